// Typed activity calls for orchestrations: the input is checked against the activity's contract
// (shared/workflow/activityContracts.ts) and the result comes back with the contract's type, so orchestrations do
// not cast results by hand. For classified cloud activities use callCloud (./cloudCall.ts), which also turns an
// ActivityFailure value into a thrown ActivityFailedError.
import type { OrchestrationContext, Task } from "durable-functions";
import type * as df from "durable-functions";
import type { ActivityInput, ActivityName, ActivityReturn } from "../shared/workflow/activityContracts";

/**
 * The Task of one activity call (with the retry policy when given): yield it, or collect it into Task.all/any.
 * Its result, once yielded, is an ActivityReturn<N> (see taskResult for Task.all/any).
 */
export function activityTask<N extends ActivityName>(
  context: OrchestrationContext,
  activity: N,
  input: ActivityInput<N>,
  retry: df.RetryOptions | null = null,
): Task {
  if (retry) return context.df.callActivityWithRetry(activity, retry, input);
  return context.df.callActivity(activity, input);
}

/** Calls an activity and returns its result, typed by the contract: `const r = yield* callActivityTyped(context, …)`. */
export function* callActivityTyped<N extends ActivityName>(
  context: OrchestrationContext,
  activity: N,
  input: ActivityInput<N>,
  retry: df.RetryOptions | null = null,
): Generator<Task, ActivityReturn<N>, unknown> {
  const result: unknown = retry
    ? yield context.df.callActivityWithRetry(activity, retry, input)
    : yield context.df.callActivity(activity, input);
  return result as ActivityReturn<N>;
}

/** The result of a completed activity Task (one collected into Task.all/any), typed by the contract. */
export function taskResult<N extends ActivityName>(_activity: N, task: Task): ActivityReturn<N> {
  return task.result as ActivityReturn<N>;
}
