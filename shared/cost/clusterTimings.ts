// How long a profile's clusters take to create and to delete, learnt from the last creates and deletes Jobflow saw
// (pure). The pre-provisioning lead time and the break-even keep-warm rule both use it (docs/costs.md): before any
// history the defaults are HDInsight's typical 20 minutes to create and 5 to delete.
import { nearestRank } from "../percentile";

export const DEFAULT_PROVISIONING_MS = 20 * 60_000;
export const DEFAULT_DELETION_MS = 5 * 60_000;
/** Samples kept per kind and profile: recent enough to follow a region's mood, enough for a p90. */
export const TIMING_SAMPLES_KEPT = 20;

export type ClusterTimingKind = "provisioning" | "deletion";

export interface TimingEstimate {
  p50Ms: number;
  p90Ms: number;
  /** How many observations the figures come from (0 = the default). */
  samples: number;
  source: "observed" | "default";
}

export interface ClusterTimingEstimate {
  provisioning: TimingEstimate;
  deletion: TimingEstimate;
}

/** What is kept per profile (Blob): the last samples of each kind, oldest first. */
export interface ClusterTimingSamples {
  profileHash: string;
  provisioning: TimingSample[];
  deletion: TimingSample[];
}

export interface TimingSample {
  clusterName: string;
  ms: number;
}

function estimate(samples: readonly TimingSample[], defaultMs: number): TimingEstimate {
  if (samples.length === 0) return { p50Ms: defaultMs, p90Ms: defaultMs, samples: 0, source: "default" };
  const ms = samples.map((s) => s.ms);
  return { p50Ms: nearestRank(ms, 50), p90Ms: nearestRank(ms, 90), samples: ms.length, source: "observed" };
}

export function estimateTimings(samples: ClusterTimingSamples | undefined): ClusterTimingEstimate {
  return {
    provisioning: estimate(samples?.provisioning ?? [], DEFAULT_PROVISIONING_MS),
    deletion: estimate(samples?.deletion ?? [], DEFAULT_DELETION_MS),
  };
}

/**
 * Adds one observation (ignored when not a positive finite duration, or when this cluster's sample of that kind is
 * already there — an activity retried after a lost reply must not count twice) and keeps the last TIMING_SAMPLES_KEPT.
 */
export function addTimingSample(
  current: ClusterTimingSamples | undefined,
  profileHash: string,
  kind: ClusterTimingKind,
  sample: TimingSample,
): ClusterTimingSamples {
  const base: ClusterTimingSamples = current ?? { profileHash, provisioning: [], deletion: [] };
  if (!Number.isFinite(sample.ms) || sample.ms <= 0) return base;
  if (base[kind].some((s) => s.clusterName === sample.clusterName)) return base;
  return { ...base, [kind]: [...base[kind], sample].slice(-TIMING_SAMPLES_KEPT) };
}
