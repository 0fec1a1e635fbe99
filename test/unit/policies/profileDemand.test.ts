// Which schedules are a profile's next known demand (functions/store/profileDemand.ts): active schedules whose job
// runs warm on the same profile hash, the earliest next fire first; paused, deleted, reuse-never, other-profile and
// invalid schedules are no demand. And the profile's idle gaps (idle → next arrival).
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../shared/config";
import { effectiveProfile, profileCatalog } from "../../../shared/profiles";
import { placeholderValuesFromConfig } from "../../../shared/profiles/placeholders";
import { jobSecurityOptions } from "../../../shared/security/jobPolicy";
import {
  DemandHistoryStore,
  GAPS_KEPT,
  nextScheduledDemand,
  warmProfileHashOf,
  type ScheduleProfileContext,
} from "../../../functions/store/profileDemand";
import type { JobflowBlobStore } from "../../../shared/cloud/blobStore";
import type { ScheduleRecord } from "../../../functions/policies/scheduleStore";

const config = loadConfig({ JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake" });
const profiles = profileCatalog();
const ctx: ScheduleProfileContext = {
  profiles,
  placeholders: placeholderValuesFromConfig(config),
  knownEdges: config.edgeVms,
  security: jobSecurityOptions(config, profiles),
};
const NOW = Date.parse("2026-12-01T10:00:00Z");
const cluster = (over: Record<string, unknown> = {}) => ({ profile: "default", reuse: "warm", keepWarmMinutes: 30, ...over });
const hashOf = (c: Record<string, unknown>): string => {
  const eff = effectiveProfile({ cluster: { overrides: {}, ...c } as never }, profiles, ctx.placeholders);
  if (!eff.ok) throw new Error("bad profile");
  return eff.hash;
};
const HASH = hashOf(cluster());

function schedule(id: string, cron: string, over: Partial<ScheduleRecord> = {}, clusterOver: Record<string, unknown> = {}): ScheduleRecord {
  return {
    id,
    cron,
    timezone: "UTC",
    state: "active",
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
    runs: [],
    job: { name: id, cluster: cluster(clusterOver), steps: [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py" }] },
    ...over,
  };
}

describe("nextScheduledDemand", () => {
  it.each<[string, ScheduleRecord[], string | undefined]>([
    ["no schedules", [], undefined],
    ["one warm schedule of the profile", [schedule("a", "30 10 * * *")], "a@2026-12-01T10:30:00.000Z"],
    ["the earliest of two", [schedule("late", "0 12 * * *"), schedule("soon", "15 10 * * *")], "soon@2026-12-01T10:15:00.000Z"],
    [
      "a paused one is no demand",
      [schedule("p", "15 10 * * *", { state: "paused" }), schedule("a", "0 11 * * *")],
      "a@2026-12-01T11:00:00.000Z",
    ],
    ["a deleted one is no demand", [schedule("d", "15 10 * * *", { state: "deleted" })], undefined],
    ["reuse never creates its own cluster: no demand for this one", [schedule("n", "15 10 * * *", {}, { reuse: "never" })], undefined],
    ["another profile hash is no demand", [schedule("o", "15 10 * * *", {}, { overrides: { workerCount: 7 } })], undefined],
    ["an invalid job document is no demand", [schedule("bad", "15 10 * * *", { job: { name: "bad", steps: [] } })], undefined],
    ["a schedule in another time zone", [schedule("tz", "0 12 * * *", { timezone: "Europe/Paris" })], "tz@2026-12-01T11:00:00.000Z"],
  ])("%s", (_what, records, expected) => {
    const next = nextScheduledDemand(records, HASH, NOW, ctx);
    expect(next ? `${next.source}@${next.at}` : undefined).toBe(expected);
    if (next) expect(next.kind).toBe("schedule");
  });

  it("a templated job is validated with the schedule's parameters (without its required value it is no demand)", () => {
    const templated = (parameters?: Record<string, string>): ScheduleRecord => {
      const record = schedule("t", "15 10 * * *", parameters ? { parameters } : {});
      const steps = [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py", args: ["--region", "{{ params.region }}"] }];
      record.job = { ...record.job, parameters: { region: { type: "string" } }, steps };
      return record;
    };
    expect(warmProfileHashOf(templated({ region: "apac" }), "2026-12-01T10:15:00.000Z", ctx)).toBe(HASH);
    expect(warmProfileHashOf(templated(), "2026-12-01T10:15:00.000Z", ctx)).toBeUndefined();
  });
});

describe("DemandHistoryStore", () => {
  /** Just the two JSON calls the store uses, over a Map (the store is the unit here; Azurite runs it in integration). */
  function memoryBlobs(): JobflowBlobStore {
    const m = new Map<string, unknown>();
    const fake = {
      getJson: async (c: string, n: string) => (m.has(`${c}/${n}`) ? { value: structuredClone(m.get(`${c}/${n}`)), etag: "e" } : undefined),
      putJson: async (c: string, n: string, v: unknown) => (m.set(`${c}/${n}`, structuredClone(v)), "e"),
    };
    return fake as unknown as JobflowBlobStore;
  }

  it("an idle moment opens a gap, the next arrival closes it; more arrivals add nothing until the next idle; 20 kept", async () => {
    const store = new DemandHistoryStore(memoryBlobs(), "jobs");
    await store.recordArrival("h", NOW); // nothing open: no gap
    expect(await store.get("h")).toEqual({ profileHash: "h", idleGapsMs: [] });
    await store.recordIdle("h", NOW);
    await store.recordIdle("h", NOW + 5 * 60_000); // still idle since NOW (a second cluster of the profile)
    await store.recordArrival("h", NOW + 12 * 60_000);
    await store.recordArrival("h", NOW + 13 * 60_000); // same burst
    expect(await store.get("h")).toEqual({ profileHash: "h", idleGapsMs: [12 * 60_000] });
    for (let i = 0; i < 25; i++) {
      await store.recordIdle("h", NOW + i * 3_600_000);
      await store.recordArrival("h", NOW + i * 3_600_000 + i * 1000);
    }
    const gaps = (await store.get("h")).idleGapsMs;
    expect(gaps).toHaveLength(GAPS_KEPT);
    expect(gaps.at(-1)).toBe(24_000);
  });
});
