// When a failing cluster delete is asked again and when operators are told (issue 11 §5): pure rules, table-tested
// in test/unit/workflow/teardownRules.test.ts, applied by orchestrations/clusterTeardown.ts.

/** After the first look, the delete's status is polled every 30 s growing ×1.5 per round up to 5 minutes. */
export const DELETE_POLL_FIRST_MS = 30_000;
export const DELETE_POLL_MAX_MS = 5 * 60_000;

/**
 * Delay before the status poll number `round` of an accepted delete (0 = the first look). The first look waits for
 * the expected deletion time (the profile's observed p50, shared/cost/clusterTimings.ts) when there is one — a
 * delete takes minutes, so polls before it only cost episodes — but never longer than the longest poll step (a
 * p50 skewed by deletes that kept failing must not leave a gone cluster, and its bill, unseen for long); then
 * 30 s growing ×1.5 up to 5 minutes.
 */
export function deletePollDelayMs(round: number, expectedDeletionMs?: number): number {
  if (round === 0 && expectedDeletionMs !== undefined)
    return Math.min(DELETE_POLL_MAX_MS, Math.max(DELETE_POLL_FIRST_MS, expectedDeletionMs));
  const r = expectedDeletionMs === undefined ? round : round - 1;
  return Math.min(DELETE_POLL_MAX_MS, Math.round(DELETE_POLL_FIRST_MS * Math.pow(1.5, r)));
}

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
