// When the cluster orchestration looks at a cluster being created (pure; table-tested in
// test/unit/workflow/clusterPolling.test.ts). HDInsight takes ~20 minutes to create a cluster, and the profile's
// observed provisioning times say when it will most likely be ready, so a create is looked at a few times only: once
// after a minute (a create that fails at once is seen at once), then evenly spaced looks at most 10 minutes apart (a
// later failure is seen within 10 minutes), then every 30 s from shortly before the profile's p50 — as far before it
// as p90 is after it, between 30 s and 2 minutes — until a few minutes past its p90 (so a ready cluster is seen
// within 30 s, and its first job starts at once), then back off again. With the defaults (20 minutes, no spread)
// that is 1, 10¼, 19½, 20 minutes: four looks where the old doubling schedule took ten. The poll time is absolute:
// it depends on when the create was accepted and on the estimate only — a job joining a cluster still being created
// never moves it.
import { DEFAULT_DELETION_MS, DEFAULT_PROVISIONING_MS } from "../cost/clusterTimings";

/** The part of a cluster timing estimate (shared/cost/clusterTimings.ts) the cluster's policies read. */
export interface ClusterTimings {
  provisioning: { p50Ms: number; p90Ms: number };
  deletion: { p50Ms: number };
}

/** Before any history, and when the estimate cannot be read: what HDInsight typically takes. */
export const DEFAULT_CLUSTER_TIMINGS: ClusterTimings = {
  provisioning: { p50Ms: DEFAULT_PROVISIONING_MS, p90Ms: DEFAULT_PROVISIONING_MS },
  deletion: { p50Ms: DEFAULT_DELETION_MS },
};

export const POLL = {
  /** The first look (a create that fails fast is seen fast) and the shortest sparse step. */
  sparseMinMs: 60_000,
  /** The longest gap between two sparse looks (how late a failure before the dense window is seen, at most). */
  sparseMaxMs: 10 * 60_000,
  /** The longest gap between two looks after the dense window (slower than ever observed). */
  backoffMaxMs: 5 * 60_000,
  /** The dense window starts this long before the expected (p50) ready time at most (the p90 − p50 spread)… */
  denseLeadMs: 2 * 60_000,
  /** …and at least this long (no spread known: the defaults, or every create of the profile took the same). */
  denseLeadMinMs: 30_000,
  /** …and ends this long after the p90 ready time. */
  denseTailMs: 5 * 60_000,
  denseEveryMs: 30_000,
} as const;

/** How long before the p50 ready time the dense window starts: the spread p90 − p50, within the lead's bounds. */
export function denseLeadMs(timings: ClusterTimings): number {
  const spread = timings.provisioning.p90Ms - timings.provisioning.p50Ms;
  return Math.min(POLL.denseLeadMs, Math.max(POLL.denseLeadMinMs, spread));
}

/**
 * The absolute time of the next status poll after one at `nowMs` (or right after the create was accepted at
 * `createdAtMs`). Never later than the start of the dense window, so the window is never skipped.
 */
export function nextCreatePollAtMs(createdAtMs: number, nowMs: number, timings: ClusterTimings): number {
  const denseFrom = createdAtMs + Math.max(0, timings.provisioning.p50Ms - denseLeadMs(timings));
  const denseTo = createdAtMs + Math.max(timings.provisioning.p50Ms, timings.provisioning.p90Ms) + POLL.denseTailMs;
  if (nowMs < denseFrom) {
    const firstLook = createdAtMs + POLL.sparseMinMs;
    if (nowMs < firstLook) return Math.min(denseFrom, firstLook);
    // Evenly spaced looks, at most sparseMaxMs apart, from here to the dense window (one when it is that close).
    const left = denseFrom - nowMs;
    const step = Math.max(POLL.sparseMinMs, Math.round(left / Math.ceil(left / POLL.sparseMaxMs)));
    return Math.min(denseFrom, nowMs + step);
  }
  if (nowMs < denseTo) return nowMs + POLL.denseEveryMs;
  // Slower than ever observed: back off (half the overrun, within the sparse bounds).
  return nowMs + Math.min(POLL.backoffMaxMs, Math.max(POLL.sparseMinMs, Math.round((nowMs - denseTo) / 2)));
}
