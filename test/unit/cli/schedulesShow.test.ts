// `jobflow schedules show` warm-up lines and `schedules backfill --wait` progress lines (cli/commands/schedules.ts).
import { describe, expect, it } from "vitest";
import { backfillProgress, warmupLines } from "../../../cli/commands/schedules";

describe("warmupLines", () => {
  const base = { id: "s-1", cron: "0 0 * * * *", timezone: "UTC", state: "active", nextRunAt: null, runs: [] };
  it("says whether warm-ups are on and lists each with its cluster, fire time, outcome and cost", () => {
    const lines = warmupLines({
      ...base,
      warmup: { enabled: true, why: "", leadMinutes: null, nextWarmupAt: null },
      warmups: [
        {
          fireAt: "2026-11-21T09:00:00.000Z",
          clusterName: "jfabc-s-1",
          startedAt: "2026-11-21T08:38:00.000Z",
          created: true,
          state: "wasted",
          reason: "schedule paused",
          cost: { amount: 1.234, currency: "USD", nodeMinutes: 180, final: true, basis: "the whole cluster (created, no job)" },
        },
        {
          fireAt: "2026-11-21T08:00:00.000Z",
          clusterName: "jfdef-x",
          startedAt: "2026-11-21T07:38:00.000Z",
          created: false,
          state: "used",
          jobId: "j-9",
          readyAt: "2026-11-21T07:58:00.000Z",
          cost: { amount: 0.5, currency: "USD", nodeMinutes: 60, final: false, basis: "its holder share" },
        },
      ],
    });
    expect(lines[0]).toBe("warm-up: on, observed p90 provisioning + 2 min before each fire");
    expect(lines[1]).toMatch(/^ {2}warm-up for .* {2}wasted {2}jfabc-s-1 created .* {2}1\.23 USD \(180 node-min\) {2}schedule paused$/);
    expect(lines[2]).toMatch(/used {2}jfdef-x joined .*, ready .* {2}job j-9 {2}0\.50 USD \(60 node-min so far\)$/);
    expect(warmupLines({ ...base, warmup: { enabled: false, why: "warmup: false", leadMinutes: null, nextWarmupAt: null } })).toEqual([
      "warm-up: off (warmup: false)",
    ]);
    expect(warmupLines(base)).toEqual([]);
  });
});

describe("backfillProgress", () => {
  it("counts ended (succeeded or not), running and waiting runs", () => {
    const runs = ["succeeded", "failed", "running", "queued", "waiting", "waiting"].map((state, i) => ({ logicalDate: `d${i}`, state }));
    expect(backfillProgress({ backfillId: "b-1", state: "running", runs })).toBe(
      "backfill b-1: 2/6 ended (1 succeeded, 1 not), 2 running, 2 waiting",
    );
  });
});
