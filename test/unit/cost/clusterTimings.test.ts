// The profile timing estimates: defaults before history, nearest-rank percentiles, the kept window, retried records.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_DELETION_MS,
  DEFAULT_PROVISIONING_MS,
  TIMING_SAMPLES_KEPT,
  addTimingSample,
  estimateTimings,
} from "../../../shared/cost/clusterTimings";
import { nearestRank, nearestRankSorted } from "../../../shared/percentile";

describe("cluster timing estimates", () => {
  it("uses HDInsight's typical durations before there is any history", () => {
    expect(estimateTimings(undefined)).toEqual({
      provisioning: { p50Ms: DEFAULT_PROVISIONING_MS, p90Ms: DEFAULT_PROVISIONING_MS, samples: 0, source: "default" },
      deletion: { p50Ms: DEFAULT_DELETION_MS, p90Ms: DEFAULT_DELETION_MS, samples: 0, source: "default" },
    });
  });

  it("takes nearest-rank percentiles of the observed samples", () => {
    expect(nearestRank([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(nearestRank([5, 1, 4, 2, 3], 90)).toBe(5);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeNaN();
    expect(nearestRankSorted([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRankSorted([1, 2, 3, 4], 0)).toBe(1);
    let s = addTimingSample(undefined, "h", "provisioning", { clusterName: "c0", ms: 60_000 });
    for (let i = 1; i < 10; i++) s = addTimingSample(s, "h", "provisioning", { clusterName: `c${i}`, ms: (i + 1) * 60_000 });
    const e = estimateTimings(s);
    expect(e.provisioning).toEqual({ p50Ms: 5 * 60_000, p90Ms: 9 * 60_000, samples: 10, source: "observed" });
    expect(e.deletion.source).toBe("default");
  });

  it("keeps the last samples only, and counts a retried record once", () => {
    let s = addTimingSample(undefined, "h", "deletion", { clusterName: "c", ms: 1000 });
    expect(addTimingSample(s, "h", "deletion", { clusterName: "c", ms: 1000 })).toBe(s);
    expect(addTimingSample(s, "h", "deletion", { clusterName: "d", ms: Number.NaN })).toBe(s);
    expect(addTimingSample(s, "h", "deletion", { clusterName: "d", ms: 0 })).toBe(s);
    for (let i = 0; i < TIMING_SAMPLES_KEPT + 5; i++) s = addTimingSample(s, "h", "deletion", { clusterName: `x${i}`, ms: 1000 + i });
    expect(s.deletion).toHaveLength(TIMING_SAMPLES_KEPT);
    expect(s.deletion[0].clusterName).toBe("x5");
  });
});
