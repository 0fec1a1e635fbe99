// Warm-up rules of schedules (issue 13): whether a schedule warms up, the lead time (override, observed p90 +
// margin, default before any history), the deterministic cluster name, keeping or cancelling a held warm-up, the
// hand-over after the fire, the schedule body's schema for the warm-up fields and the wasted warm-up's cost rule.
import { describe, expect, it } from "vitest";
import { compileSchema, ajvProblems } from "../../../shared/spec/ajv";
import { isValidClusterName } from "../../../shared/builders/clusterName";
import { scheduleBodySchema } from "../../../shared/policies/scheduleSchema";
import {
  DEFAULT_WARMUP_GRACE_MS,
  handOverDecision,
  heldWarmupDecision,
  warmupClusterName,
  warmupEnabled,
  warmupLead,
  warmupProblems,
  type HeldWarmup,
} from "../../../shared/policies/warmupRules";
import { warmupCost } from "../../../functions/policies/warmupView";
import type { ClusterCost } from "../../../shared/cost/billing";

const MIN = 60_000;

describe("warmupEnabled / warmupProblems", () => {
  const cases: [{ warmup?: boolean; warmupLeadMinutes?: number }, "warm" | "never" | undefined, boolean, string[]][] = [
    [{}, "warm", true, []],
    [{}, undefined, true, []],
    [{ warmup: true }, "warm", true, []],
    [{ warmup: false }, "warm", false, []],
    [{}, "never", false, []],
    [{ warmup: true }, "never", false, ["/warmup"]],
    [{ warmup: false, warmupLeadMinutes: 30 }, "warm", false, ["/warmupLeadMinutes"]],
    [{ warmupLeadMinutes: 30 }, "warm", true, []],
  ];
  for (const [settings, reuse, enabled, pointers] of cases) {
    it(`${JSON.stringify(settings)} reuse ${reuse}`, () => {
      expect(warmupEnabled(settings, reuse).enabled).toBe(enabled);
      expect(warmupProblems(settings, reuse).map((p) => p.pointer)).toEqual(pointers);
    });
  }
});

describe("warmupLead", () => {
  it("uses the override, else the observed p90 + 2 min, else the 20-minute default + 2 min", () => {
    expect(warmupLead({ warmupLeadMinutes: 45 }, { p50Ms: 1, p90Ms: 30 * MIN, samples: 5, source: "observed" })).toEqual({
      ms: 45 * MIN,
      basis: "warmupLeadMinutes 45",
    });
    expect(warmupLead({}, { p50Ms: 20 * MIN, p90Ms: 21.5 * MIN, samples: 7, source: "observed" })).toEqual({
      ms: 23.5 * MIN,
      basis: "observed provisioning p90 21.5 min (7 creates) + 2 min margin",
    });
    expect(warmupLead({}, { p50Ms: 20 * MIN, p90Ms: 20 * MIN, samples: 0, source: "default" })).toEqual({
      ms: 22 * MIN,
      basis: "default provisioning 20 min (none observed yet) + 2 min margin",
    });
    expect(warmupLead({}, undefined).ms).toBe(22 * MIN);
    expect(warmupLead({}, undefined, 5 * MIN).ms).toBe(25 * MIN);
  });
});

describe("warmupClusterName", () => {
  it("is a valid cluster name, the same for the same fire and different per fire and schedule", () => {
    const a = warmupClusterName("s-0123456789ab", "2026-11-23T07:00:00.000Z");
    expect(isValidClusterName(a)).toBe(true);
    expect(warmupClusterName("s-0123456789ab", "2026-11-23T07:00:00.000Z")).toBe(a);
    expect(warmupClusterName("s-0123456789ab", "2026-11-23T08:00:00.000Z")).not.toBe(a);
    expect(warmupClusterName("s-ffffffffffff", "2026-11-23T07:00:00.000Z")).not.toBe(a);
  });
});

describe("heldWarmupDecision", () => {
  const held: HeldWarmup = {
    clusterName: "c",
    fireAt: "2026-11-23T07:00:00.000Z",
    startedAt: "2026-11-23T06:38:00.000Z",
    created: true,
    profileHash: "h1",
  };
  const base = { exists: true, paused: false, enabled: true, nextFireAt: held.fireAt, profileHash: "h1" };
  const cases: [string, Partial<typeof base>, boolean | string][] = [
    ["unchanged", {}, true],
    ["deleted", { exists: false }, "schedule deleted"],
    ["paused", { paused: true }, "schedule paused"],
    ["turned off", { enabled: false }, "warm-up turned off"],
    [
      "cron moved the fire",
      { nextFireAt: "2026-11-23T07:30:00.000Z" },
      "schedule changed: next fire 2026-11-23T07:30:00.000Z, not 2026-11-23T07:00:00.000Z",
    ],
    ["job needs another profile", { profileHash: "h2" }, "schedule changed: its job now needs another cluster profile"],
  ];
  for (const [what, change, want] of cases) {
    it(what, () => {
      const d = heldWarmupDecision(held, { ...base, ...change });
      expect(d.keep ? true : d.reason).toBe(want);
    });
  }
});

describe("handOverDecision", () => {
  const fire = Date.parse("2026-11-23T07:00:00Z");
  it("is used once joined, wasted when the job ended elsewhere or the grace passed, else waits", () => {
    expect(handOverDecision({ joined: true, jobEnded: false }, fire + 20_000, fire)).toBe("used");
    expect(handOverDecision({ joined: false, jobEnded: false }, fire + 20_000, fire)).toBe("wait");
    expect(handOverDecision({ joined: false, jobEnded: true }, fire + 20_000, fire)).toEqual({
      wasted: "the occurrence's job ended without joining the warm-up's cluster",
    });
    expect(handOverDecision({ joined: false, jobEnded: false }, fire + DEFAULT_WARMUP_GRACE_MS, fire)).toEqual({
      wasted: "unclaimed 15 minutes after the fire time",
    });
    expect(handOverDecision({ joined: false, jobEnded: false }, fire + 5 * MIN, fire, 5 * MIN)).toEqual({
      wasted: "unclaimed 5 minutes after the fire time",
    });
  });
});

describe("scheduleBodySchema", () => {
  const valid = compileSchema(scheduleBodySchema);
  it("types the warm-up fields and refuses unknown ones", () => {
    expect(valid({ cron: "0 * * * *", timezone: "UTC", job: {}, warmup: false, warmupLeadMinutes: 30 })).toBe(true);
    expect(valid({ cron: "0 * * * *", timezone: "UTC", job: {}, warmup: "no", warmupLeadMinutes: 0, warmupLead: 3 })).toBe(false);
    expect(
      ajvProblems(valid.errors, "")
        .map((p) => p.pointer)
        .sort(),
    ).toEqual(["/warmup", "/warmupLead", "/warmupLeadMinutes"]);
  });
});

describe("warmupCost", () => {
  const figure = (amount: number, nodeMinutes: number) => ({
    micros: amount * 1e6,
    milliNodeMinutes: nodeMinutes * 1000,
    amount,
    nodeMinutes,
  });
  const cost = (holders: string[]): ClusterCost => ({
    clusterName: "c",
    profile: "default",
    region: "westeurope",
    currency: "USD",
    priceSource: "retail-prices-api",
    final: true,
    asOf: "",
    billedMinutes: 30,
    bill: figure(2, 300),
    byVmSize: [],
    phases: { provisioning: figure(1, 150), held: figure(0.5, 75), idle: figure(0, 0), teardown: figure(0.5, 75) },
    holders: holders.map((holder) => ({ holder, held: figure(0.25, 37.5), overhead: figure(0.75, 112.5), total: figure(1, 150) })),
    pool: { profile: "default", idle: figure(0, 0) },
    basis: "",
  });
  const entry = { fireAt: "f", clusterName: "c", startedAt: "s", created: true, state: "wasted" as const };
  it("a wasted warm-up alone on the cluster it created costs the whole cluster; a shared one its holder share", () => {
    expect(warmupCost(entry, "s-1", cost(["s-1"]))).toMatchObject({ amount: 2, nodeMinutes: 300, final: true });
    expect(warmupCost(entry, "s-1", cost(["s-1", "j-1"]))).toMatchObject({ amount: 1, nodeMinutes: 150 });
    expect(warmupCost({ ...entry, state: "used" }, "s-1", cost(["s-1", "j-1"]))).toMatchObject({ amount: 1 });
    expect(warmupCost({ ...entry, state: "used" }, "s-1", cost(["j-1"]))).toBeNull();
  });
});
