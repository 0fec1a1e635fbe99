// Long step phases end to end: the step phase runs as its own sub-orchestration (orchestrations/stepPhase.ts) that
// cuts its history with continueAsNew; a step that outlives several executions still succeeds with one attempt,
// and a cancel that arrives after the history was cut still kills the batch and cancels the rest; the step phase and
// the cluster's orchestration (polling while it is created, then waiting for its one job) keep their histories
// under a bound however long the job runs, because both count every durable call towards their continue point.
import { describe, expect, it } from "vitest";
import { CLUSTER_CALLS_BEFORE_CONTINUE, STEP_COMMANDS_BEFORE_CONTINUE } from "../../../shared/workflow/continuePolicy";
import { clusterInstanceId } from "../../../shared/workflow/activities";
import type { TestStack } from "../../support/stack";
import { TERMINAL, finish, jobDoc, record, sandboxBatches, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

/** The step phase's durable instance of a job's first run, as the local host stores it. */
function stepPhase(jobId: string): { input: string | null; executionId: string; history: unknown[]; runtimeStatus: string } {
  const instance = stack.host.engine?.getInstance(`${jobId}-steps-1`);
  if (!instance) throw new Error(`no step phase instance for ${jobId}`);
  return instance as unknown as { input: string | null; executionId: string; history: unknown[]; runtimeStatus: string };
}

describe("a step phase longer than one history", () => {
  it("continues as new while a two-hour step runs, and the job succeeds with one attempt per step", async () => {
    const id = await stack.submit(
      jobDoc("long-step", [
        { id: "long", seconds: 7200 },
        { id: "after", seconds: 60, dependsOn: ["long"] },
      ]),
    );
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "step running" });
    const firstExecution = stepPhase(id).executionId;
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["long", "succeeded", 1],
      ["after", "succeeded", 1],
    ]);
    expect(r.steps[0].attempts[0].logBlob).toBeTruthy();
    const phase = stepPhase(id);
    expect(phase.runtimeStatus).toBe("Completed");
    expect(phase.executionId).not.toBe(firstExecution);
    expect(JSON.parse(phase.input ?? "{}")).toHaveProperty("carried.state.stage", "waiting");
    // The job continued as new for its steps and waited for the phase with no check timer: the phase's end (two
    // hours of virtual time) woke it, not a periodic wake-up.
    const job = stack.host.engine?.getInstance(id) as unknown as { input: string | null; history: { EventType: number }[] };
    expect(JSON.parse(job.input ?? "{}")).toHaveProperty("resume.run", 1);
    const timersCreated = job.history.filter((e) => e.EventType === 10).length; // TimerCreated
    expect(timersCreated).toBe(0);
  }, 120_000);

  it("hears a cancel after the history was cut: the batch is killed and the next step cancelled", async () => {
    const id = await stack.submit(
      jobDoc("long-cancel", [
        { id: "long", seconds: 7200 },
        { id: "next", seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "step running" });
    const firstExecution = stepPhase(id).executionId;
    await stack.runUntil(() => stepPhase(id).executionId !== firstExecution, { what: "step phase continued as new" });
    const res = await stack.api(`/jobs/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state])).toEqual([
      ["long", "cancelled"],
      ["next", "cancelled"],
    ]);
    const batches = await sandboxBatches(stack, r.cluster.name as string);
    expect(batches.map((b) => [b.state, b.deletedThroughLivy])).toEqual([["killed", true]]);
  }, 120_000);

  it("keeps the step phase's and the cluster's histories short through a long step, cluster creation included", async () => {
    const id = await stack.submit(jobDoc("long-bounded", [{ id: "long", seconds: 3 * 3600 }]));
    const longest = { steps: 0, cluster: 0 };
    const executions = { steps: new Set<string>(), cluster: new Set<string>() };
    let clusterName: string | undefined;
    // Sampled between every two timers of the run (runUntil evaluates its condition after each clock move).
    await stack.runUntil(
      async () => {
        const phase = stack.host.engine?.getInstance(`${id}-steps-1`);
        if (phase) {
          longest.steps = Math.max(longest.steps, phase.history.length);
          executions.steps.add(phase.executionId);
        }
        const r = await record(stack, id);
        clusterName = r.cluster?.name ?? clusterName;
        const cluster = clusterName ? stack.host.engine?.getInstance(clusterInstanceId(clusterName)) : undefined;
        if (cluster) {
          longest.cluster = Math.max(longest.cluster, cluster.history.length);
          executions.cluster.add(cluster.executionId);
        }
        return TERMINAL.includes(r.state);
      },
      { what: "job finished" },
    );
    expect((await record(stack, id)).state).toBe("succeeded");
    // A durable call adds about four history events (OrchestratorStarted/Completed, scheduled, completed); a turn may
    // run a short burst of calls after its count is reached, and the continue's drain adds one more.
    expect(longest.steps).toBeLessThanOrEqual(4 * (STEP_COMMANDS_BEFORE_CONTINUE + 6));
    expect(longest.cluster).toBeLessThanOrEqual(4 * (CLUSTER_CALLS_BEFORE_CONTINUE + 10));
    // Three hours of step polls (≥ 90 rounds): many executions. The cluster makes far fewer calls — a 20-minute create
    // takes four polls, its holder is checked at most every 30 minutes — yet it still continues as new a few times.
    expect(executions.steps.size).toBeGreaterThan(5);
    expect(executions.cluster.size).toBeGreaterThan(2);
  }, 180_000);
});
