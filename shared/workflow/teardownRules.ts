// When a failing cluster delete is asked again and when operators are told (issue 11 §5): pure rules, table-tested
// in test/unit/workflow/teardownRules.test.ts, applied by orchestrations/clusterTeardown.ts.

export const DELETE_RETRY_FIRST_MS = 2 * 60_000;
export const DELETE_RETRY_MAX_MS = 60 * 60_000;
/** A `jobflow.cluster.deleteFailing` event after this many consecutive failures, and again every that many. */
export const DELETE_FAILING_AFTER_ATTEMPTS = 3;

/** Delay before the next delete attempt after `failures` consecutive failures: 2 min doubling, capped at 1 hour. */
export function deleteRetryDelayMs(failures: number): number {
  return Math.min(DELETE_RETRY_MAX_MS, DELETE_RETRY_FIRST_MS * Math.pow(2, Math.max(0, failures - 1)));
}

/** True when this failure count should raise `jobflow.cluster.deleteFailing` (the Nth, 2Nth, …). */
export function deleteFailingDue(failures: number): boolean {
  return failures > 0 && failures % DELETE_FAILING_AFTER_ATTEMPTS === 0;
}
