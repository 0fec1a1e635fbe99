// Table tests of the create-poll schedule (shared/workflow/clusterPolling.ts): a look after a minute, evenly spaced
// looks at most 10 minutes apart until the expected ready time comes near, every 30 s around it, then backing off —
// a cluster ready at any second of the window is seen within 30 s, a failure before it within 10 minutes.
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
    [60, 20, 20, 615], // then evenly spaced looks at most 10 minutes apart up to the dense window (19.5 min: 2 steps)…
    [615, 20, 20, 1_170], // …the dense window starts 30 s before p50 when no spread is known (p90 = p50)
    [900, 20, 20, 1_170], // a look that could not be read is retried: never past the start of the dense window
    [1_170, 20, 20, 1_200], // dense: every 30 s
    [1_490, 20, 20, 1_520],
    [1_500, 20, 20, 1_560], // past p90 + 5 min: backing off again (at least a minute)
    [3_000, 20, 20, 3_300], // capped at 5 minutes
    [0, 1, 1, 30], // a profile that is ready in a minute: dense (30 s) from the start
    [60, 60, 60, 645], // a long create: six evenly spaced looks (585 s apart) before the window at 59.5 min
    [200, 10, 30, 480], // a wide spread (p90 − p50 = 20 min): the window starts 2 min before p50 (480 s)…
    [2_000, 10, 30, 2_030], // …until p90 + 5 min = 2 100 s
    [0, 20, 21, 60],
    [60, 20, 21, 60 + 540], // spread 1 min: the window starts at 19 min (1 140 s), two steps of 540 s
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

  it.each([
    [20, 20],
    [45, 50],
    [90, 120],
    [2, 3],
  ])("p50 %i / p90 %i min: a failure at any second before the window is seen within 10 minutes", (p50, p90) => {
    const timings = t(p50, p90);
    const all = polls(timings, (p90 + 10) * MIN);
    for (let failS = 1; failS <= (p50 - 2) * 60; failS += 13) {
      const seen = all.find((p) => p >= failS * 1000) as number;
      expect(seen - failS * 1000).toBeLessThanOrEqual(POLL.sparseMaxMs);
    }
  });

  it("with the defaults: looks at 1 and 10¼ min, then every 30 s from 19½ min — a cluster ready at 20 min is seen on the 4th", () => {
    const all = polls(DEFAULT_CLUSTER_TIMINGS, 25 * MIN);
    expect(all.filter((p) => p <= 20 * MIN)).toEqual([60_000, 615_000, 1_170_000, 1_200_000]);
    expect(all.filter((p) => p >= 19.5 * MIN && p <= 25 * MIN).length).toBe(12);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });

  it("depends only on the create time and the estimate (absolute): asking twice gives the same time", () => {
    expect(nextCreatePollAtMs(1_000, 301_000, t(20, 20))).toBe(nextCreatePollAtMs(1_000, 301_000, t(20, 20)));
    expect(nextCreatePollAtMs(1_000, 301_000, t(20, 20)) - 1_000).toBe(nextCreatePollAtMs(0, 300_000, t(20, 20)));
  });
});
