// A job end to end through the full embedded stack with durable workers on (`host.durableWorkers: 2`): the job's
// orchestrations and activities run in worker threads — the real Azure SDK clients to the sandbox and Azurite, the
// events they publish forwarded to the main thread's topic, their log records to the host's sink (scrubbed as in
// process) — while the API and the engine stay on the main thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SECRETS } from "../../../local/stack";
import { startTestStack, type TestStack } from "../../support/stack";
import { createPuts, finish, jobDoc, record, TERMINAL } from "./jobHelpers";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ host: { durableWorkers: 2 } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a job with durable workers on", () => {
  it("runs to success through the workers, with events, logs and the virtual clock bridged", async () => {
    const id = await stack.submit(
      jobDoc("workers", [
        { id: "a", seconds: 120 },
        { id: "b", dependsOn: ["a"], seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => TERMINAL.includes((await stack.job(id)).state), { what: "job finished" });
    const job = await record(stack, id);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe("succeeded");
    expect(job.steps.map((s) => s.state)).toEqual(["succeeded", "succeeded"]);
    const log = await stack.api(`/jobs/${id}/steps/b/log`);
    expect(log.status).toBe(200);

    const workers = stack.host.durableWorkers;
    expect(workers?.size).toBe(2);
    expect(workers?.stats.invocations).toBeGreaterThan(10);
    expect(workers?.stats.lost).toBe(0);

    // Events published by activities in the workers reach the stack's topic, in the job's order, on virtual time.
    const events = stack.events().filter((e) => e.subject === `jobs/${id}`);
    expect(events.map((e) => e.type)).toEqual(["jobflow.job.started", "jobflow.job.clusterReady", "jobflow.job.succeeded"]);
    for (const e of events) expect(Math.abs(Date.parse(e.time ?? "") - stack.clock.nowMs())).toBeLessThan(24 * 3_600_000);
    // The started event carries the virtual time, not the wall clock (the test's clock starts in 2026-11).
    expect(Date.parse(events[0].time ?? "")).toBeLessThan(Date.now() - 24 * 3_600_000);

    // The workers' log records reach the host's sink, with function and instance, and no secret in any of them.
    const logs = stack.logs().map((l) => JSON.parse(l) as { functionName?: string; instanceId?: string; event?: string });
    expect(logs.filter((l) => l.event === "worker.started")).toHaveLength(2);
    expect(logs.some((l) => l.event === "function.succeeded" && l.functionName && l.instanceId?.includes(id))).toBe(true);
    const text = stack.logs().join("\n");
    for (const secret of ["Local-Gateway-Passw0rd!", "Local-Ssh-Passw0rd!", LOCAL_SECRETS["cluster-gateway-password"]]) {
      expect(text).not.toContain(secret);
    }

    await stack.runUntil(async () => ((await (await stack.api("/clusters")).json()) as { clusters: unknown[] }).clusters.length === 0, {
      what: "cluster deleted",
    });
  }, 180_000);

  it("finishes a job across a host restart mid-step: the new host's workers pick the work up, nothing runs twice", async () => {
    const id = await stack.submit(jobDoc("workers-restart", [{ id: "long", seconds: 900 }]));
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "step running" });
    await stack.restartHost({ downForMs: 5 * 60_000 });
    expect(stack.host.durableWorkers?.size).toBe(2);
    const job = await finish(stack, id);
    expect(job.state).toBe("succeeded");
    expect(job.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([["long", "succeeded", 1]]);
    expect(createPuts(stack).filter((name) => name === job.cluster.name)).toHaveLength(1);
    expect(stack.host.durableWorkers?.stats.invocations).toBeGreaterThan(0);
  }, 180_000);
});
