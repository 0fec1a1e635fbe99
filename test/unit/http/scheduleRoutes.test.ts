// The schedule routes built from RouteDeps (functions/policies/scheduleRoutes.ts and scheduleRunRoutes.ts through
// createApiRoutes) on the in-memory fakes: create stores the record, starts the schedule's orchestration and
// publishes jobflow.schedule.created at the fake clock's time; an invalid schedule creates nothing; pause wakes the
// live orchestration; "run now" submits through the deps' submit path with the schedule's key. The integration tests
// (test/integration/policies/schedules.test.ts, backfill.test.ts) run the same routes over real HTTP.
import { describe, expect, it } from "vitest";
import type { ScheduleOrchestrationInput } from "../../../shared/policies/workflowTypes";
import { EVENT, ORCHESTRATION } from "../../../shared/workflow/activities";
import { routeHarness } from "./harness";

const JOB = {
  name: "nightly",
  cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
  steps: [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py" }],
};

describe("schedule routes from RouteDeps", () => {
  it("creates a schedule: record, orchestration and event at the clock's time", async () => {
    const h = routeHarness();
    const created = await h.call("schedulesCreate", { path: "schedules", body: { cron: "0 2 * * *", timezone: "UTC", job: JOB } });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    const now = h.deps.clock.now().toISOString();
    expect(await h.deps.schedules.get(id)).toMatchObject({ id, cron: "0 2 * * *", state: "active", createdAt: now });
    expect(h.durable.started).toEqual([
      { name: ORCHESTRATION.schedule, instanceId: id, input: { scheduleId: id, after: now } satisfies ScheduleOrchestrationInput },
    ]);
    expect(h.cloud.events.types()).toEqual(["jobflow.schedule.created"]);
  });

  it("refuses an invalid schedule with its problems and creates nothing", async () => {
    const h = routeHarness();
    const refused = await h.call("schedulesCreate", {
      path: "schedules",
      body: { cron: "not a cron", timezone: "Mars/Olympus", job: JOB },
    });
    expect(refused.status).toBe(400);
    const pointers = (refused.body as { problems: { pointer: string }[] }).problems.map((p) => p.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/cron", "/timezone"]));
    expect(await h.deps.schedules.list()).toEqual([]);
    expect(h.durable.started).toEqual([]);
    expect(h.cloud.events.types()).toEqual([]);
  });

  it("pauses a schedule (its live orchestration is told) and runs one now through the submit path", async () => {
    const h = routeHarness();
    const created = await h.call("schedulesCreate", { path: "schedules", body: { cron: "0 2 * * *", timezone: "UTC", job: JOB } });
    const { id } = created.body as { id: string };
    const paused = await h.call("schedulesPause", { path: `schedules/${id}/pause` });
    expect(paused).toMatchObject({ status: 200, body: { id, state: "paused" } });
    expect((await h.deps.schedules.get(id))?.state).toBe("paused");
    expect(h.durable.raised).toEqual([
      { instanceId: id, eventName: EVENT.scheduleChanged, payload: expect.objectContaining({ state: "paused" }) },
    ]);
    const run = await h.call("schedulesRunNow", { path: `schedules/${id}/run`, body: {} });
    expect(run.status).toBe(202);
    expect(h.submitted).toHaveLength(1);
    expect(h.submitted[0].body).toMatchObject({ idempotencyKey: expect.stringContaining(`${id}@manual@`) });
    const missing = await h.call("schedulesGet", { path: "schedules/s-missing" });
    expect(missing.status).toBe(404);
  });
});
