// Calling a classified cloud activity (functions/activities/classified.ts) from an orchestration: transient and
// throttled failures are retried by the Durable retry policy; permanent and not-found ones come back at once as a
// value and are thrown here as ActivityFailedError, whose `kind` the caller can branch on (issue 11 §6).
// The input and the result are typed by the activity's contract (shared/workflow/activityContracts.ts).
import type { OrchestrationContext, Task } from "durable-functions";
import type * as df from "durable-functions";
import { ActivityFailedError, isActivityFailure } from "../shared/workflow/activityFailure";
import type { ActivityInput, ActivityResult, ClassifiedActivityName } from "../shared/workflow/activityContracts";
import { cloudRetry } from "./waits";

export function callCloud<N extends ClassifiedActivityName>(
  context: OrchestrationContext,
  activity: N,
  input: ActivityInput<N>,
  retry?: df.RetryOptions | null,
): Generator<Task, ActivityResult<N>, unknown>;
export function* callCloud(
  context: OrchestrationContext,
  activity: string,
  input: unknown,
  retry: df.RetryOptions | null = cloudRetry(),
): Generator<Task, unknown, unknown> {
  const result: unknown = retry
    ? yield context.df.callActivityWithRetry(activity, retry, input)
    : yield context.df.callActivity(activity, input);
  if (isActivityFailure(result)) throw new ActivityFailedError(activity, result.activityFailure);
  return result;
}
