// Schedule warm-ups (issue 13) on the embedded stack (manual virtual clock, 20-minute provisioning): a warm-up is
// ready at its fire time and the scheduled job's first step runs within a minute of it on that cluster; a schedule
// paused (or deleted) after its warm-up started deletes the cluster and records the waste with its cost; two
// schedules of one profile firing close together share one warm-up cluster; a host restart in the middle of a
// warm-up is survived; `warmup: false` (and bad warm-up fields, refused with 400) create nothing early.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { clusters, createPuts, expectNoClustersLeft, finish, step } from "../jobs/jobHelpers";
import { cli } from "./helpers";
import type { WarmupView } from "../../../shared/policies/workflowTypes";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(); // virtual 2026-11-21T08:00Z
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface ScheduleView {
  id: string;
  state: string;
  nextRunAt: string | null;
  warmup: { enabled: boolean; why: string; nextWarmupAt: string | null };
  runs: { occurrence: string; outcome: string; jobId?: string }[];
  warmups: WarmupView[];
}

const MIN = 60_000;
const schedule = async (id: string): Promise<ScheduleView> => (await (await stack.api(`/schedules/${id}`)).json()) as ScheduleView;
const job = (name: string, seconds = 600): Record<string, unknown> => ({
  name,
  cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 0 },
  steps: [step({ id: "main", seconds })],
});

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await stack.api("/schedules", { method: "POST", body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function remove(...ids: string[]): Promise<void> {
  for (const id of ids) expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBe(204);
}

const firstStepStart = (r: JobRecord): number => Date.parse(r.steps[0].attempts[0].startedAt as string);

describe("schedule warm-ups", () => {
  it("refuses bad warm-up fields with every problem, creating nothing", async () => {
    const res = await stack.api("/schedules", {
      method: "POST",
      body: JSON.stringify({
        cron: "0 0 9 * * *",
        timezone: "UTC",
        job: { ...job("x"), cluster: { profile: "default", reuse: "never" } },
        warmup: true,
        warmupLeadMinutes: 0,
        warmupLead: 5,
      }),
    });
    expect(res.status).toBe(400);
    const pointers = ((await res.json()) as { problems: { pointer: string }[] }).problems.map((p) => p.pointer).sort();
    expect(pointers).toEqual(["/warmup", "/warmupLead", "/warmupLeadMinutes"]);
    expect(((await (await stack.api("/schedules")).json()) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it("is ready at the fire time: the scheduled job runs on the warm-up's cluster within a minute", async () => {
    // 25 minutes of lead: ready (20 min) and noticed by the create poll before 09:00 whatever its cadence.
    const id = await create({ cron: "0 0 9 * * *", timezone: "UTC", job: job("nine-oclock"), warmupLeadMinutes: 25 });
    await stack.runUntil(async () => (await schedule(id)).warmup.nextWarmupAt !== null, { what: "warm-up planned" });
    expect((await schedule(id)).warmup).toMatchObject({ enabled: true, nextWarmupAt: "2026-11-21T08:35:00.000Z" });
    await stack.runUntil(async () => (await schedule(id)).warmups.length > 0, { what: "warm-up started" });
    const started = (await schedule(id)).warmups[0];
    expect(started).toMatchObject({
      fireAt: "2026-11-21T09:00:00.000Z",
      state: "holding",
      created: true,
      startedAt: "2026-11-21T08:35:00.000Z",
      leadBasis: "warmupLeadMinutes 25",
    });
    expect(stack.clock.nowMs()).toBeLessThan(Date.parse("2026-11-21T09:00:00Z"));

    await stack.runUntil(async () => (await schedule(id)).runs.length > 0 && (await schedule(id)).warmups[0].state !== "holding", {
      what: "fired and handed over",
    });
    const s = await schedule(id);
    const jobId = s.runs[0].jobId as string;
    expect(s.warmups[0]).toMatchObject({ state: "used", jobId, clusterName: started.clusterName });
    expect(Date.parse(s.warmups[0].readyAt as string)).toBeLessThanOrEqual(Date.parse("2026-11-21T09:00:00Z"));
    const r = await finish(stack, jobId);
    expect(r.state).toBe("succeeded");
    expect(r.cluster).toMatchObject({
      name: started.clusterName,
      acquisition: "joined",
      warmup: { scheduleId: id, fireAt: "2026-11-21T09:00:00.000Z", clusterName: started.clusterName },
    });
    expect(firstStepStart(r) - Date.parse("2026-11-21T09:00:00Z")).toBeLessThanOrEqual(MIN);
    expect(createPuts(stack)).toEqual([started.clusterName]);

    const shown = await cli(stack, ["schedules", "show", id]);
    expect(shown.lines.some((l) => l.startsWith("warm-up: on, 25 min before each fire"))).toBe(true);
    expect(
      shown.lines.some((l) => l.includes("warm-up for") && l.includes("used") && l.includes(started.clusterName) && l.includes(jobId)),
    ).toBe(true);
    await remove(id);
    await expectNoClustersLeft(stack);
  }, 120_000);

  it("a schedule paused after its warm-up started deletes the cluster and records the waste with its cost", async () => {
    const id = await create({ cron: "0 0 12 * * *", timezone: "UTC", job: job("noon") });
    await stack.runUntil(async () => (await schedule(id)).warmups.length > 0, { what: "warm-up started" });
    const w = (await schedule(id)).warmups[0];
    expect(w.leadBasis).toMatch(/provisioning p90 [\d.]+ min .*\+ 2 min margin/);
    await stack.runUntil(async () => (await clusters(stack)).some((c) => c.name === w.clusterName), { what: "warm-up cluster creating" });
    await stack.runUntil(() => stack.clock.nowMs() >= Date.parse(w.startedAt) + 5 * MIN, { what: "five minutes into the warm-up" });
    expect((await stack.api(`/schedules/${id}/pause`, { method: "POST" })).status).toBe(200);
    await stack.runUntil(async () => (await schedule(id)).warmups[0].state === "wasted", { what: "warm-up cancelled" });
    await expectNoClustersLeft(stack);
    await stack.runUntil(async () => (await schedule(id)).warmups[0].cost?.final === true, { what: "waste cost final" });
    const wasted = (await schedule(id)).warmups[0];
    expect(wasted).toMatchObject({ state: "wasted", reason: "schedule paused", created: true });
    expect(wasted.cost?.amount).toBeGreaterThan(0);
    expect(wasted.cost?.basis).toContain("used by no job");
    expect(stack.events().some((e) => e.type === "jobflow.schedule.warmupWasted" && e.subject === `schedules/${id}`)).toBe(true);
    // Nothing fires while paused, and no warm-up starts again.
    await stack.runUntil(() => stack.clock.nowMs() >= Date.parse("2026-11-21T12:30:00Z"), { what: "past noon" });
    expect((await schedule(id)).runs).toEqual([]);
    expect((await schedule(id)).warmups).toHaveLength(1);
    await remove(id);
  }, 120_000);

  it("a schedule deleted during its warm-up deletes the cluster (waste event with the reason)", async () => {
    const id = await create({ cron: "0 0 14 * * *", timezone: "UTC", job: job("fourteen") });
    await stack.runUntil(async () => (await schedule(id)).warmups.length > 0, { what: "warm-up started" });
    const w = (await schedule(id)).warmups[0];
    await stack.runUntil(async () => (await clusters(stack)).some((c) => c.name === w.clusterName), { what: "warm-up cluster creating" });
    await remove(id);
    await expectNoClustersLeft(stack);
    const wasted = stack.events().find((e) => e.type === "jobflow.schedule.warmupWasted" && e.subject === `schedules/${id}`);
    expect(wasted?.data).toMatchObject({ clusterName: w.clusterName, fireAt: "2026-11-21T14:00:00.000Z", reason: "schedule deleted" });
    expect(stack.clock.nowMs()).toBeLessThan(Date.parse("2026-11-21T14:00:00Z"));
  }, 120_000);

  it("two schedules of one profile firing five minutes apart share one warm-up cluster", async () => {
    const a = await create({ cron: "0 0 15 * * *", timezone: "UTC", job: job("fifteen-a", 300) });
    const b = await create({ cron: "0 5 15 * * *", timezone: "UTC", job: job("fifteen-b", 300) });
    const before = createPuts(stack).length;
    await stack.runUntil(
      async () =>
        (await schedule(a)).runs.length > 0 &&
        (await schedule(b)).runs.length > 0 &&
        (await schedule(a)).warmups[0]?.state === "used" &&
        (await schedule(b)).warmups[0]?.state === "used",
      { what: "both fired and handed over" },
    );
    const [wa, wb] = [(await schedule(a)).warmups[0], (await schedule(b)).warmups[0]];
    expect(wa.created).toBe(true);
    expect(wb).toMatchObject({ created: false, clusterName: wa.clusterName });
    const jobs = await Promise.all(
      [(await schedule(a)).runs[0].jobId, (await schedule(b)).runs[0].jobId].map((j) => finish(stack, j as string)),
    );
    expect(jobs.map((r) => [r.state, r.cluster.name])).toEqual([
      ["succeeded", wa.clusterName],
      ["succeeded", wa.clusterName],
    ]);
    expect(firstStepStart(jobs[0]) - Date.parse("2026-11-21T15:00:00Z")).toBeLessThanOrEqual(MIN);
    expect(firstStepStart(jobs[1]) - Date.parse("2026-11-21T15:05:00Z")).toBeLessThanOrEqual(MIN);
    expect(createPuts(stack).slice(before)).toEqual([wa.clusterName]);
    await remove(a, b);
    await expectNoClustersLeft(stack);
  }, 120_000);

  it("survives a host restart in the middle of a warm-up", async () => {
    const id = await create({ cron: "0 0 18 * * *", timezone: "UTC", job: job("eighteen"), warmupLeadMinutes: 30 });
    const before = createPuts(stack).length;
    await stack.runUntil(
      async () => (await schedule(id)).warmups.length > 0 && (await clusters(stack)).some((c) => /inprogress/i.test(c.provisioningState)),
      { what: "warm-up provisioning" },
    );
    await stack.restartHost({ downForMs: 6 * MIN });
    await stack.runUntil(async () => (await schedule(id)).warmups[0]?.state === "used", { what: "handed over after the restart" });
    const s = await schedule(id);
    const r = await finish(stack, s.runs[0].jobId as string);
    expect(r.state).toBe("succeeded");
    expect(r.cluster.name).toBe(s.warmups[0].clusterName);
    expect(firstStepStart(r) - Date.parse("2026-11-21T18:00:00Z")).toBeLessThanOrEqual(MIN);
    expect(createPuts(stack).slice(before)).toEqual([s.warmups[0].clusterName]);
    await remove(id);
    await expectNoClustersLeft(stack);
  }, 120_000);

  it("a warm-up whose occurrence is skipped (the previous run still going) is released and counted as wasted", async () => {
    // Fires at 19:00 and 19:30; the 19:00 run takes 50 minutes, so the 19:30 occurrence is skipped.
    const id = await create({ cron: "0 0,30 19 * * *", timezone: "UTC", job: job("long", 3000) });
    await stack.runUntil(async () => (await schedule(id)).runs.length >= 2, { what: "two occurrences", maxVirtualMs: 3 * 3_600_000 });
    const s = await schedule(id);
    expect(s.runs.map((r) => [r.occurrence, r.outcome])).toEqual([
      ["2026-11-21T19:30:00.000Z", "skipped"],
      ["2026-11-21T19:00:00.000Z", "submitted"],
    ]);
    const [second, first] = s.warmups;
    expect(first).toMatchObject({ fireAt: "2026-11-21T19:00:00.000Z", state: "used", created: true });
    // The 19:30 warm-up joined the cluster the 19:00 run was using (nothing new created) and is released unused.
    expect(second).toMatchObject({ fireAt: "2026-11-21T19:30:00.000Z", state: "wasted", created: false, clusterName: first.clusterName });
    expect(second.reason).toMatch(/^occurrence skipped: previous run j-/);
    await remove(id);
    const r = await finish(stack, s.runs[1].jobId as string);
    expect([r.state, r.cluster.name]).toEqual(["succeeded", first.clusterName]);
    await expectNoClustersLeft(stack);
  }, 120_000);

  it("warmup: false creates nothing before the fire; the job creates its own cluster then", async () => {
    const id = await create({ cron: "0 0 21 * * *", timezone: "UTC", job: job("twenty-one", 60), warmup: false });
    expect((await schedule(id)).warmup).toMatchObject({ enabled: false, why: "warmup: false" });
    const before = createPuts(stack).length;
    await stack.runUntil(() => stack.clock.nowMs() >= Date.parse("2026-11-21T20:59:00Z"), { what: "a minute before the fire" });
    expect(createPuts(stack).length).toBe(before);
    expect((await schedule(id)).warmups).toEqual([]);
    expect((await schedule(id)).warmup.nextWarmupAt).toBeNull();
    await stack.runUntil(async () => (await schedule(id)).runs.length > 0, { what: "fired" });
    const r = await finish(stack, (await schedule(id)).runs[0].jobId as string);
    expect(r.cluster.warmup).toBeUndefined();
    expect(r.cluster.acquisition).toBe("created");
    expect(firstStepStart(r) - Date.parse("2026-11-21T21:00:00Z")).toBeGreaterThanOrEqual(20 * MIN);
    await remove(id);
    await expectNoClustersLeft(stack);
  }, 120_000);
});
