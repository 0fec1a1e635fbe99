// Table tests of the create-poll schedule (shared/workflow/clusterPolling.ts): sparse until the expected ready time
// comes near, every 30 s around it, then backing off — and a cluster ready at any second of the window is seen
// within 30 s.
import { describe, expect, it } from "vitest";
import { DEFAULT_CLUSTER_TIMINGS, POLL, nextCreatePollAtMs, type ClusterTimings } from "../../../shared/workflow/clusterPolling";

const MIN = 60_000;
const t = (p50Min: number, p90Min: number): ClusterTimings => ({
  provisioning: { p50Ms: p50Min * MIN, p90Ms: p90Min * MIN },
  deletion: { p50Ms: 5 * MIN },
});

/** Every poll time from the create (at 0) until `untilMs`. */
function polls(timings: ClusterTimings, untilMs: number): number[] {
  const out: number[] = [];
  for (let at = nextCreatePollAtMs(0, 0, timings); at <= untilMs; at = nextCreatePollAtMs(0, at, timings)) out.push(at);
  return out;
}

describe("nextCreatePollAtMs", () => {
  it.each([
    // [now (s), p50 (min), p90 (min), next poll (s)]
    [0, 20, 20, 60], // the first look comes after a minute (fast failures are seen fast)
    [60, 20, 20, 120],
    [120, 20, 20, 240], // sparse: the elapsed time again (1, 2, 4, 8 minutes)…
    [240, 20, 20, 480],
    [720, 20, 20, 1_020], // …at most 5 minutes apart…
    [900, 20, 20, 1080], // …never past the start of the dense window (p50 − 2 min)
    [1080, 20, 20, 1110], // dense: every 30 s
    [1_490, 20, 20, 1_520],
    [1_500, 20, 20, 1_560], // past p90 + 5 min: backing off again (at least a minute)
    [3_000, 20, 20, 3_300], // capped at 5 minutes
    [0, 1, 1, 30], // a profile that is ready in a minute: dense (30 s) from the start
    [200, 10, 30, 400], // sparse (the elapsed 200 s again) before the dense window at p50 − 2 min = 480 s…
    [300, 10, 30, 480],
    [2_000, 10, 30, 2_030], // …until p90 + 5 min = 2 100 s
  ])("at %i s with p50 %i min / p90 %i min → %i s", (nowS, p50, p90, nextS) => {
    expect(nextCreatePollAtMs(0, nowS * 1000, t(p50, p90))).toBe(nextS * 1000);
  });

  it("sees a cluster ready at any second between p50 − 2 min and p90 + 5 min within 30 s", () => {
    const timings = t(18, 24);
    const all = polls(timings, 40 * MIN);
    for (let readyS = 16 * 60; readyS <= 29 * 60; readyS += 7) {
      const seen = all.find((p) => p >= readyS * 1000) as number;
      expect(seen - readyS * 1000).toBeLessThanOrEqual(POLL.denseEveryMs);
    }
  });

  it("with the defaults: 5 sparse looks before the window (1, 2, 4, 8, 13 min: 5 at most apart), then one every 30 s", () => {
    const all = polls(DEFAULT_CLUSTER_TIMINGS, 25 * MIN);
    const sparse = all.filter((p) => p < 18 * MIN);
    expect(sparse).toEqual([1, 2, 4, 8, 13].map((m) => m * MIN));
    expect(all.filter((p) => p >= 18 * MIN && p <= 25 * MIN).length).toBe(15);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });

  it("depends only on the create time and the estimate (absolute): asking twice gives the same time", () => {
    expect(nextCreatePollAtMs(1_000, 301_000, t(20, 20))).toBe(nextCreatePollAtMs(1_000, 301_000, t(20, 20)));
    expect(nextCreatePollAtMs(1_000, 301_000, t(20, 20)) - 1_000).toBe(nextCreatePollAtMs(0, 300_000, t(20, 20)));
  });
});
