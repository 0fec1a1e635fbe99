// Long step phases end to end: the step phase runs as its own sub-orchestration (orchestrations/stepPhase.ts) that
// cuts its history with continueAsNew; a step that outlives several executions still succeeds with one attempt,
// and a cancel that arrives after the history was cut still kills the batch and cancels the rest.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { finish, jobDoc, record, sandboxBatches, useStackPerFile } from "./jobHelpers";

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
    // The phase woke the job as it ended (a stepsEnded notice), rather than leaving it to the job's check timer.
    const job = stack.host.engine?.getInstance(id) as unknown as { history: { EventType: number; Name?: string; Input?: string }[] };
    const ended = job.history.filter((e) => e.EventType === 15 && e.Name === "clusterNotice" && (e.Input ?? "").includes('"stepsEnded"'));
    expect(ended.map((e) => (JSON.parse(e.Input as string) as { run: number }).run)).toEqual([1]);
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
});
