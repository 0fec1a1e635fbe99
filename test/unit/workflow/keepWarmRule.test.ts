// Table tests of the break-even keep-warm rule (shared/workflow/keepWarmRule.ts): known demand within break-even
// and the cap → keep until it (+ grace); farther → delete now; ad-hoc → min(break-even, cap), or delete at once when
// every recent idle gap is far longer than break-even; farther known demand → delete now unless the next job usually
// comes within the limit anyway; policy "fixed" → keepWarmMinutes; cap 0 → delete.
import { describe, expect, it } from "vitest";
import { KEEP_WARM, breakEvenMs, decideKeepWarm, type KeepWarmInputs } from "../../../shared/workflow/keepWarmRule";
import type { ClusterTimings } from "../../../shared/workflow/clusterPolling";

const MIN = 60_000;
const NOW = Date.parse("2026-12-01T10:00:00Z");
const timings = (p90Min = 20, delP50Min = 5): ClusterTimings => ({
  provisioning: { p50Ms: 18 * MIN, p90Ms: p90Min * MIN },
  deletion: { p50Ms: delP50Min * MIN },
});
const inMin = (m: number): string => new Date(NOW + m * MIN).toISOString();
const schedule = (m: number) => ({ at: inMin(m), kind: "schedule" as const, source: "nightly" });

describe("breakEvenMs", () => {
  it.each([
    [20, 5, 25],
    [30, 10, 40],
    [12, 3, 15],
  ])("provisioning p90 %i min + deletion p50 %i min = %i min", (p90, del, be) => {
    expect(breakEvenMs(timings(p90, del))).toBe(be * MIN);
  });
});

describe("decideKeepWarm", () => {
  const base: KeepWarmInputs = { policy: "breakEven", keepWarmMinutes: 60, timings: timings(), idleGapsMs: [] };
  it.each<[string, Partial<KeepWarmInputs>, "keep" | "delete", number | undefined, RegExp]>([
    ["cap 0 deletes at once", { keepWarmMinutes: 0 }, "delete", 0, /keepWarmMinutes is 0/],
    [
      "fixed keeps exactly the cap, whatever is known",
      { policy: "fixed", keepWarmMinutes: 30, nextDemand: schedule(300) },
      "keep",
      30,
      /fixed/,
    ],
    [
      "a schedule in 10 min (within break-even 25) → keep until it + grace",
      { nextDemand: schedule(10) },
      "keep",
      10 + KEEP_WARM.graceMs / MIN,
      /within break-even/,
    ],
    ["a schedule exactly at break-even → keep", { nextDemand: schedule(25) }, "keep", 25 + KEEP_WARM.graceMs / MIN, /within break-even/],
    ["a schedule in 26 min (beyond break-even) → delete now", { nextDemand: schedule(26) }, "delete", 0, /beyond break-even/],
    ["a schedule in 3 h → delete now", { nextDemand: schedule(180) }, "delete", 0, /beyond break-even/],
    [
      "a schedule in 10 min but a cap of 5 → delete now (the cap ends it before)",
      { nextDemand: schedule(10), keepWarmMinutes: 5 },
      "delete",
      0,
      /beyond the cap/,
    ],
    ["grace clipped to the cap", { nextDemand: schedule(14), keepWarmMinutes: 15 }, "keep", 15, /within break-even/],
    [
      "a schedule already due (in the past) → keep for the grace",
      { nextDemand: schedule(-1) },
      "keep",
      KEEP_WARM.graceMs / MIN,
      /within break-even/,
    ],
    ["no history: ad-hoc keep for break-even (cap larger)", {}, "keep", 25, /ad-hoc/],
    ["no history: ad-hoc keep for the cap (cap smaller)", { keepWarmMinutes: 10 }, "keep", 10, /ad-hoc/],
    ["longer observed times → longer break-even", { timings: timings(30, 10) }, "keep", 40, /ad-hoc/],
    [
      "recent idle gaps all far longer than break-even → delete now",
      { idleGapsMs: [120 * MIN, 90 * MIN, 200 * MIN] },
      "delete",
      0,
      /far longer/,
    ],
    ["one short gap among long ones → keep", { idleGapsMs: [120 * MIN, 5 * MIN, 200 * MIN] }, "keep", 25, /ad-hoc/],
    ["too few gaps to judge → keep", { idleGapsMs: [120 * MIN, 200 * MIN] }, "keep", 25, /ad-hoc/],
    ["gaps just above break-even (not far longer) → keep", { idleGapsMs: [30 * MIN, 30 * MIN, 30 * MIN] }, "keep", 25, /ad-hoc/],
    [
      "known demand wins over the ad-hoc history",
      { nextDemand: schedule(5), idleGapsMs: [120 * MIN, 90 * MIN, 200 * MIN] },
      "keep",
      5 + KEEP_WARM.graceMs / MIN,
      /next known demand/,
    ],
    [
      "known demand far, but the next job usually comes within the limit → ad-hoc keep",
      { nextDemand: schedule(180), idleGapsMs: [5 * MIN, 40 * MIN, 10 * MIN] },
      "keep",
      25,
      /usually comes sooner/,
    ],
    [
      "known demand far, median idle gap beyond the limit → delete now",
      { nextDemand: schedule(180), idleGapsMs: [5 * MIN, 40 * MIN, 30 * MIN] },
      "delete",
      0,
      /re-creating costs less/,
    ],
    [
      "known demand far, too little history → delete now",
      { nextDemand: schedule(180), idleGapsMs: [1 * MIN, 2 * MIN] },
      "delete",
      0,
      /re-creating costs less/,
    ],
    [
      "known demand far, short gaps judged against the cap (10) → keep 10",
      { nextDemand: schedule(180), keepWarmMinutes: 10, idleGapsMs: [5 * MIN, 8 * MIN, 9 * MIN] },
      "keep",
      10,
      /usually comes sooner/,
    ],
  ])("%s", (_what, over, action, keepMin, reason) => {
    const d = decideKeepWarm({ ...base, ...over }, NOW);
    expect(d.action).toBe(action);
    expect(d.untilMs - NOW).toBe((keepMin ?? 0) * MIN);
    expect(d.reason).toMatch(reason);
    expect(d.capMs).toBe((over.keepWarmMinutes ?? base.keepWarmMinutes) * MIN);
  });
});
