// Calling a classified cloud activity (functions/activities/classified.ts) from an orchestration: transient and
// throttled failures are retried by the Durable retry policy; permanent and not-found ones come back at once as a
// value and are thrown here as ActivityFailedError, whose `kind` the caller can branch on (issue 11 §6).
import type { OrchestrationContext, Task } from "durable-functions";
import type * as df from "durable-functions";
import { ActivityFailedError, isActivityFailure } from "../shared/workflow/activityFailure";
import { cloudRetry } from "./waits";

export function* callCloud<T>(context: OrchestrationContext, activity: string, input: unknown, retry: df.RetryOptions | null = cloudRetry()): Generator<Task, T, unknown> {
  const result = retry ? yield context.df.callActivityWithRetry(activity, retry, input) : yield context.df.callActivity(activity, input);
  if (isActivityFailure(result)) throw new ActivityFailedError(activity, result.activityFailure);
  return result as T;
}
