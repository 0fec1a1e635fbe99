// npm run bench:cost's issue-13 target checks (bench/cost/targets.ts) and when its runs create the trace's schedules
// (bench/cost/trace.ts schedulesCreatedAtMs).
import { describe, expect, it } from "vitest";
import { checkTargets, targetLines } from "../../../bench/cost/targets";
import type { Delays, PolicyFigures } from "../../../bench/cost/summary";
import { SCHEDULES_LEAD_MS, schedulesCreatedAtMs, type Trace } from "../../../bench/cost/trace";

const d = (p95: number | null): Delays => ({ p50: p95, p95, max: p95 });
const fig = (policy: PolicyFigures["policy"], billed: number, scheduledP95: number | null, adhocP95: number | null): PolicyFigures => ({
  policy,
  billedNodeMinutes: billed,
  amount: 0,
  ratioToOracle: null,
  startDelayMinutes: d(null),
  scheduledStartDelayMinutes: d(scheduledP95),
  adhocStartDelayMinutes: d(adhocP95),
  clustersCreated: 0,
  armWrites: null,
  jobsTotal: 0,
  jobsEnded: null,
  clustersLeft: null,
});

describe("checkTargets", () => {
  it("holds, misses, or says n/a when the figures were not measured", () => {
    const all = [fig("jobflow", 1200, 0.5, 3), fig("emr", 1750, 23, 23), fig("adf-ttl-30", 1379, 23, 3), fig("oracle", 1000, 0, 0)];
    expect(checkTargets(all).map((c) => c.holds)).toEqual([true, true, true, true, true]);
    const worse = [fig("jobflow", 1300, 1.5, 4), fig("emr", 1300, 23, 23), fig("adf-ttl-30", 1379, 23, 3), fig("oracle", 1000, 0, 0)];
    expect(checkTargets(worse).map((c) => c.holds)).toEqual([false, false, true, false, false]);
    expect(checkTargets([fig("jobflow", 1200, null, 3)]).map((c) => c.holds)).toEqual([null, null, null, null, null]);
    expect(targetLines(checkTargets(worse))[1]).toBe("  MISS  billed node-minutes ≤ 1.25 × oracle: jobflow 1300 vs 1250");
  });
});

describe("schedulesCreatedAtMs", () => {
  const trace = (crons: string[]): Trace => ({
    name: "t",
    start: "2026-11-23T06:00:00Z",
    durationHours: 3,
    submissions: [],
    schedules: crons.map((cron, i) => ({ id: `s${i}`, cron, timeZone: "UTC", job: { name: "j", steps: [] } })),
  });
  const start = Date.parse("2026-11-23T06:00:00Z");
  it("is SCHEDULES_LEAD_MS before the start unless an occurrence falls in between, and at least a minute before", () => {
    expect(schedulesCreatedAtMs(trace(["0 0 * * * *"]))).toBe(start - SCHEDULES_LEAD_MS);
    expect(schedulesCreatedAtMs(trace(["0 0 * * * *", "0 */15 * * * *"]))).toBe(Date.parse("2026-11-23T05:45:01Z"));
    expect(schedulesCreatedAtMs(trace(["0 * * * * *"]))).toBe(start - 60_000);
  });
});
