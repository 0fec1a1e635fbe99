// What a failed step (after its retries) does to the job, the other steps and the cluster — EMR's ActionOnFailure
// as a table (DESIGN §5).

import type { ActionOnFailure } from "../model/job";
import type { JobOutcome } from "./job";

export interface FailureEffect {
  /** Stop scheduling new steps and end the job after in-flight steps are dealt with. */
  stopJob: boolean;
  /** The job's outcome, unless something worse (cancel, error) happens. */
  jobOutcome: Extract<JobOutcome, "failed" | "completedWithFailures">;
  /** Steps not yet submitted: cancelled, or only the failed step's dependents skipped (the rest run on). */
  pendingSteps: "cancel" | "skipDependents";
  /** Steps already running: killed (Livy DELETE), left to finish, or left to go on. */
  runningSteps: "kill" | "waitForCompletion" | "continue";
  /** What happens to the cluster when the job releases it. */
  cluster: "deleteUnlessHeldByOthers" | "releasePerKeepWarm";
}

export const ACTION_ON_FAILURE: { readonly [A in ActionOnFailure]: FailureEffect } = {
  TERMINATE_CLUSTER: {
    stopJob: true,
    jobOutcome: "failed",
    pendingSteps: "cancel",
    runningSteps: "kill",
    cluster: "deleteUnlessHeldByOthers",
  },
  CANCEL_AND_WAIT: {
    stopJob: true,
    jobOutcome: "failed",
    pendingSteps: "cancel",
    runningSteps: "waitForCompletion",
    cluster: "releasePerKeepWarm",
  },
  CONTINUE: {
    stopJob: false,
    jobOutcome: "completedWithFailures",
    pendingSteps: "skipDependents",
    runningSteps: "continue",
    cluster: "releasePerKeepWarm",
  },
};

/** The effect of a terminally failed step (after retries). */
export function failureEffect(action: ActionOnFailure): FailureEffect {
  return ACTION_ON_FAILURE[action];
}

/**
 * The job outcome from the final step states and how the job stopped: cancel wins, then an error or a stopping
 * failure (failed), then any failed/timed-out step (completedWithFailures), else succeeded.
 */
export function jobOutcomeOf(options: {
  cancelled: boolean;
  errored: boolean;
  failedSteps: { actionOnFailure: ActionOnFailure }[];
}): JobOutcome {
  if (options.cancelled) return "cancelled";
  if (options.errored) return "failed";
  if (options.failedSteps.some((s) => ACTION_ON_FAILURE[s.actionOnFailure].stopJob)) return "failed";
  return options.failedSteps.length > 0 ? "completedWithFailures" : "succeeded";
}
