// Schedules run now and backfill on the embedded stack: a backfill of 5 logical dates submits one run per date with
// that date's built-ins, all on one warm cluster, and posting it again creates nothing; `schedules run` fires one
// manual run now with -p values over the schedule's own.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { createPuts, finish, record, sandboxBatches, useStackPerFile } from "../jobs/jobHelpers";
import { cli } from "./helpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const job = {
  name: "daily-{{ ds_nodash }}",
  parameters: { table: { pattern: "[a-z_]+" } },
  cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
  steps: [
    {
      id: "load",
      file: "abfss://code@jobflowlake.dfs.core.windows.net/load.py",
      args: ["{{ params.table }}", "{{ ds }}", "{{ run_id }}"],
      conf: { "spark.jobflow.sandbox.durationSeconds": "300" },
    },
  ],
};

async function createPausedSchedule(): Promise<string> {
  const res = await stack.api("/schedules", {
    method: "POST",
    body: JSON.stringify({ cron: "0 0 * * *", timezone: "UTC", job, parameters: { table: "orders" } }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  expect((await stack.api(`/schedules/${id}/pause`, { method: "POST" })).status).toBe(200); // the cron stays out of the way
  return id;
}

interface Backfill {
  backfillId: string;
  state: string;
  runs: { logicalDate: string; jobId?: string; state: string; duplicate?: boolean }[];
}

describe("schedules backfill", () => {
  it("submits one run per logical date with its built-ins, shares one warm cluster, and creates nothing twice", async () => {
    const id = await createPausedSchedule();
    const putsBefore = createPuts(stack).length;
    const started = await cli(stack, [
      "schedules",
      "backfill",
      id,
      "--from",
      "2026-11-10",
      "--to",
      "2026-11-14T12:00:00Z",
      "--max-concurrent",
      "1",
      "-p",
      "table=line_items",
      "--json",
    ]);
    expect(started.code).toBe(0);
    const { backfillId, runs, duplicate } = started.json as { backfillId: string; runs: number; duplicate: boolean };
    expect([runs, duplicate]).toEqual([5, false]);
    const view = async (): Promise<Backfill> => (await (await stack.api(`/schedules/${id}/backfills/${backfillId}`)).json()) as Backfill;
    await stack.runUntil(async () => (await view()).state === "completed", { what: "backfill completed", maxVirtualMs: 12 * 3_600_000 });
    const done = await view();
    expect(done.runs.map((r) => [r.logicalDate, r.state])).toEqual(
      ["10", "11", "12", "13", "14"].map((d) => [`2026-11-${d}T00:00:00.000Z`, "succeeded"]),
    );

    // One warm cluster for all five runs.
    const records = await Promise.all(done.runs.map((r) => finish(stack, r.jobId as string)));
    const clusterNames = new Set(records.map((r) => r.cluster.name));
    expect(clusterNames.size).toBe(1);
    expect(createPuts(stack).length - putsBefore).toBe(1);
    expect(records.map((r) => r.cluster.acquisition)).toEqual(["created", "joined", "joined", "joined", "joined"]);
    // Each run rendered with its own logical date and the backfill's values.
    expect(records.map((r) => r.name)).toEqual(["20261110", "20261111", "20261112", "20261113", "20261114"].map((d) => `daily-${d}`));
    const batches = await sandboxBatches(stack, [...clusterNames][0] as string);
    expect(batches).toHaveLength(5);
    expect(records[2].parameters).toEqual({ table: "line_items" });
    // The key is the scheduled run's (<schedule>@<interval end>): the schedule itself would not run it again.
    expect(records[0].idempotencyKey).toBe(`${id}@2026-11-11T00:00:00.000Z`);

    // Posting the same backfill again returns it; no job and no cluster is created.
    const jobsBefore = stack.host.engine?.query().filter((i) => i.name === "jobRun").length;
    const again = await stack.api(`/schedules/${id}/backfill`, {
      method: "POST",
      body: JSON.stringify({ from: "2026-11-10", to: "2026-11-14T12:00:00Z", maxConcurrent: 1 }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ backfillId, duplicate: true });
    // An overlapping backfill reuses the existing runs' jobs (same keys) and adds only the new date.
    const overlapping = await stack.api(`/schedules/${id}/backfill`, {
      method: "POST",
      body: JSON.stringify({ from: "2026-11-13", to: "2026-11-15", parameters: { table: "line_items" } }),
    });
    expect(overlapping.status).toBe(202);
    const second = ((await overlapping.json()) as { backfillId: string }).backfillId;
    const view2 = async (): Promise<Backfill> => (await (await stack.api(`/schedules/${id}/backfills/${second}`)).json()) as Backfill;
    await stack.runUntil(async () => (await view2()).state === "completed", { what: "second backfill", maxVirtualMs: 6 * 3_600_000 });
    expect((await view2()).runs.map((r) => [r.logicalDate.slice(0, 10), r.duplicate === true])).toEqual([
      ["2026-11-13", true],
      ["2026-11-14", true],
      ["2026-11-15", false],
    ]);
    expect(stack.host.engine?.query().filter((i) => i.name === "jobRun").length).toBe((jobsBefore ?? 0) + 1);

    const bad = await stack.api(`/schedules/${id}/backfill`, {
      method: "POST",
      body: JSON.stringify({ from: "2026-11-20", to: "2026-11-10", maxConcurrent: 99 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { pointer: string }[] }).problems.map((p) => p.pointer)).toEqual(["/to", "/maxConcurrent"]);
    expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBe(204);
  }, 300_000);

  it("`schedules run` fires the schedule now as a manual run with -p over the schedule's values", async () => {
    const id = await createPausedSchedule();
    const fired = await cli(stack, ["schedules", "run", id, "-p", "table=refunds", "--json"]);
    expect(fired.code).toBe(0);
    const jobId = (fired.json as { jobId: string }).jobId;
    const r = await finish(stack, jobId);
    expect(r.state).toBe("succeeded");
    expect(r.parameters).toEqual({ table: "refunds" });
    const [batch] = await sandboxBatches(stack, r.cluster.name as string);
    expect(batch.request.file).toMatch(/load\.py$/);
    const schedule = (await (await stack.api(`/schedules/${id}`)).json()) as { runs: { kind?: string; jobId?: string }[] };
    expect(schedule.runs[0]).toMatchObject({ kind: "manual", jobId });
    const invalid = await stack.api(`/schedules/${id}/run`, {
      method: "POST",
      body: JSON.stringify({ parameters: { table: "Not Valid" } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { problems: { pointer: string }[] }).problems.map((p) => p.pointer)).toEqual(["/parameters/table"]);
    expect((await record(stack, jobId)).name).toMatch(/^daily-\d{8}$/);
    expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBe(204);
  }, 180_000);
});
