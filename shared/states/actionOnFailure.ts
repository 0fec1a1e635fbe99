// What a step that failed for good (retries exhausted) does to the job, the other steps and the cluster — EMR's
// ActionOnFailure as one table (docs/job-spec.md "ActionOnFailure"). The step-phase decider applies it, and
// nothing else does (shared/workflow/stepsDecider.ts); the outcome of the steps phase is jobOutcome in shared/workflow/stepScheduler.ts.
import type { ActionOnFailure } from "../model/job";

export interface FailureEffect {
  /** Pending (and retrying) steps are cancelled. */
  cancelPending: boolean;
  /** Steps still running are killed (Livy DELETE). */
  killRunning: boolean;
  /** The job ends failed (otherwise it goes on and ends completedWithFailures). */
  jobFails: boolean;
  /** The job asks the cluster to be deleted at release (unless another job holds it); else keep-warm applies. */
  terminateCluster: boolean;
}

export const ACTION_ON_FAILURE: { readonly [A in ActionOnFailure]: FailureEffect } = {
  TERMINATE_CLUSTER: { cancelPending: true, killRunning: true, jobFails: true, terminateCluster: true },
  // Valid only for a step that cannot overlap another (shared/spec/semantic.ts), so nothing else is running when
  // it fails; killRunning only matters if that rule is ever relaxed.
  CANCEL_AND_WAIT: { cancelPending: true, killRunning: true, jobFails: true, terminateCluster: false },
  CONTINUE: { cancelPending: false, killRunning: false, jobFails: false, terminateCluster: false },
};

/** The effect of a terminally failed step (after retries). */
export function failureEffect(action: ActionOnFailure): FailureEffect {
  return ACTION_ON_FAILURE[action];
}
