// When the cluster orchestration looks at a cluster being created (pure; table-tested in
// test/unit/workflow/clusterPolling.test.ts). HDInsight takes ~20 minutes to create a cluster, and the profile's
// observed provisioning times say when it will most likely be ready: poll sparsely until shortly before the
// profile's p50 (each look doubling the time since the create), every 30 s from there until a few minutes past its p90 (so a ready cluster is seen within 30 s,
// and its first job starts at once), then back off again. The poll time is absolute: it depends on when the create
// was accepted and on the estimate only — a job joining a cluster still being created never moves it.
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
  sparseMaxMs: 5 * 60_000,
  /** The dense window starts this long before the expected (p50) ready time… */
  denseLeadMs: 2 * 60_000,
  /** …and ends this long after the p90 ready time. */
  denseTailMs: 5 * 60_000,
  denseEveryMs: 30_000,
} as const;

/**
 * The absolute time of the next status poll after one at `nowMs` (or right after the create was accepted at
 * `createdAtMs`). Never later than the start of the dense window, so the window is never skipped.
 */
export function nextCreatePollAtMs(createdAtMs: number, nowMs: number, timings: ClusterTimings): number {
  const denseFrom = createdAtMs + Math.max(0, timings.provisioning.p50Ms - POLL.denseLeadMs);
  const denseTo = createdAtMs + Math.max(timings.provisioning.p50Ms, timings.provisioning.p90Ms) + POLL.denseTailMs;
  if (nowMs < denseFrom) {
    // Doubling the elapsed time (1, 2, 4, 8, 13 minutes…): a failed create is seen within its own age (5 minutes at
    // most), with five looks in the first 16 minutes instead of a look every few minutes.
    const step = Math.min(POLL.sparseMaxMs, Math.max(POLL.sparseMinMs, nowMs - createdAtMs));
    return Math.min(denseFrom, nowMs + step);
  }
  if (nowMs < denseTo) return nowMs + POLL.denseEveryMs;
  // Slower than ever observed: back off (half the overrun, within the sparse bounds).
  return nowMs + Math.min(POLL.sparseMaxMs, Math.max(POLL.sparseMinMs, Math.round((nowMs - denseTo) / 2)));
}
