// Step semantics end to end (local host + sandbox + Azurite, manual virtual clock): a DAG under a concurrency
// budget, each ActionOnFailure, retries with one log per attempt, and a step timeout that kills the Livy batch.
// After every test no cluster is left in the sandbox (each policy here deletes its cluster in the end).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, expectNoClustersLeft, finish, jobDoc, ms, sandboxBatches, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const stepOf = (r: { steps: { id: string }[] }, id: string) =>
  r.steps.find((s) => s.id === id) as (typeof r.steps)[number] & {
    state: string;
    startedAt?: string;
    endedAt?: string;
    error?: string;
    attempts: { attempt: number; livyState?: string; logBlob?: string; batchId?: number }[];
  };

describe("a DAG with maxConcurrentSteps 2", () => {
  it("runs independent steps together, never more than two at once, and a dependent one after both", async () => {
    const id = await stack.submit(
      jobDoc(
        "dag",
        [
          { id: "a", seconds: 600 },
          { id: "b", seconds: 900 },
          { id: "c", dependsOn: ["a", "b"], seconds: 120 },
          { id: "d", seconds: 300 },
        ],
        { maxConcurrentSteps: 2 },
      ),
    );
    const r = await finish(stack, id);
    expect(r.error).toBeUndefined();
    expect(r.state).toBe("succeeded");
    const [a, b, c, d] = ["a", "b", "c", "d"].map((x) => stepOf(r, x));
    for (const s of [a, b, c, d]) expect(s.state).toBe("succeeded");
    // The cost estimate covers the time the job held the cluster (default profile: 2 head + workers + 3 ZooKeeper nodes).
    expect(r.estimatedCost?.nodeHours).toBeGreaterThan(0);
    expect(r.estimatedCost?.amount).toBeGreaterThan(0);
    // a and b overlapped.
    expect(ms(a.startedAt)).toBeLessThan(ms(b.endedAt));
    expect(ms(b.startedAt)).toBeLessThan(ms(a.endedAt));
    // c started after both of its dependencies ended.
    expect(ms(c.startedAt)).toBeGreaterThanOrEqual(Math.max(ms(a.endedAt), ms(b.endedAt)));
    // Never more than two running at any instant (check at every start).
    const intervals = [a, b, c, d].map((s) => [ms(s.startedAt), ms(s.endedAt)] as const);
    for (const [start] of intervals) {
      expect(intervals.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);
    }
    // d waited for a slot: it started when a (the first to end) ended, before b ended.
    expect(ms(d.startedAt)).toBeGreaterThanOrEqual(ms(a.endedAt));
    expect(ms(d.startedAt)).toBeLessThan(ms(b.endedAt));
  }, 60_000);
});

describe("ActionOnFailure", () => {
  // (TERMINATE_CLUSTER on a step that may run beside others is refused at validation, as EMR does.)
  it("TERMINATE_CLUSTER: the job fails, the rest is cancelled and the cluster is deleted at once despite keep-warm", async () => {
    const id = await stack.submit(
      jobDoc(
        "terminate",
        [
          { id: "first", seconds: 60 },
          { id: "boom", seconds: 120, outcome: "dead", actionOnFailure: "TERMINATE_CLUSTER" },
          { id: "after", seconds: 60 },
          { id: "last", seconds: 60 },
        ],
        { cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 120 } },
      ),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/step 'boom' failed \(TERMINATE_CLUSTER\)/);
    expect(stepOf(r, "first").state).toBe("succeeded");
    expect(stepOf(r, "boom").state).toBe("failed");
    expect(stepOf(r, "after").state).toBe("cancelled");
    expect(stepOf(r, "last").state).toBe("cancelled");
    const clusterName = r.cluster.name as string;
    expect((await sandboxBatches(stack, clusterName)).map((b) => b.request.file.split("/").pop())).toEqual(["first.py", "boom.py"]);
    // Deleted at once despite keepWarmMinutes 120: the cluster is already going away when the job ends.
    const row = (await clusters(stack)).find((c) => c.name === clusterName);
    expect(row === undefined || /delet/i.test(`${row.provisioningState} ${row.clusterState} ${row.lifecycle?.phase}`)).toBe(true);
  }, 60_000);

  it("CANCEL_AND_WAIT: the job fails, the rest is cancelled, the cluster stays for keep-warm and is deleted after", async () => {
    const id = await stack.submit(
      jobDoc(
        "cancel-and-wait",
        [
          { id: "boom", seconds: 120, outcome: "dead", actionOnFailure: "CANCEL_AND_WAIT" },
          { id: "next", seconds: 60 },
        ],
        { cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 30, keepWarmPolicy: "fixed" } },
      ),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(stepOf(r, "boom").state).toBe("failed");
    expect(stepOf(r, "next").state).toBe("cancelled");
    const clusterName = r.cluster.name as string;
    const row = (await clusters(stack)).find((c) => c.name === clusterName);
    expect(row?.clusterState).toMatch(/running/i);
    const endedMs = ms(r.endedAt);
    await expectNoClustersLeft(stack);
    const deletes = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${clusterName}`));
    expect(deletes.length).toBeGreaterThanOrEqual(1);
    expect(deletes[0].atMs - endedMs).toBeGreaterThanOrEqual(30 * 60_000);
  }, 60_000);

  it("CONTINUE: the job completes with failures; a dependent of the failed step is skipped, an independent one runs", async () => {
    const id = await stack.submit(
      jobDoc("continue", [
        { id: "bad", seconds: 60, outcome: "dead", actionOnFailure: "CONTINUE" },
        { id: "dependent", dependsOn: ["bad"], seconds: 60 },
        { id: "independent", seconds: 60 },
      ]),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("completedWithFailures");
    expect(stepOf(r, "bad").state).toBe("failed");
    expect(stepOf(r, "dependent").state).toBe("skipped");
    expect(stepOf(r, "independent").state).toBe("succeeded");
  }, 60_000);
});

describe("retries and timeouts", () => {
  it("retries a dead attempt; both attempts are recorded with their own log in Blob", async () => {
    const fault = await sandboxControl(stack, "POST", "/gateway/faults", {
      kind: "batchOutcome",
      outcome: "dead",
      count: 1,
      filePattern: "flaky",
    });
    expect(fault.status).toBe(201);
    const id = await stack.submit(jobDoc("retry", [{ id: "flaky", seconds: 120, retries: 2 }]));
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    const s = stepOf(r, "flaky");
    expect(s.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(s.attempts.map((a) => a.livyState)).toEqual(["dead", "success"]);
    expect(s.attempts[0].batchId).not.toBe(s.attempts[1].batchId);
    // Each attempt records its YARN application id.
    for (const a of s.attempts as { appId?: string }[]) expect(a.appId).toMatch(/^application_\d+_\d{4}$/);
    const first = await stack.api(`/jobs/${id}/steps/flaky/log?attempt=1`);
    const second = await stack.api(`/jobs/${id}/steps/flaky/log?attempt=2`);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await first.text()).toMatch(/final status: FAILED/);
    expect(await second.text()).not.toMatch(/final status: FAILED/);
  }, 60_000);

  it("times a step out: the step is timedOut and its batch is killed in Livy", async () => {
    const id = await stack.submit(jobDoc("timeout", [{ id: "slow", seconds: 4 * 3600, timeoutMinutes: 10 }]));
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    const s = stepOf(r, "slow");
    expect(s.state).toBe("timedOut");
    expect(s.error).toMatch(/timeoutMinutes 10/);
    const elapsed = ms(s.endedAt) - ms(s.startedAt);
    expect(elapsed).toBeGreaterThanOrEqual(10 * 60_000);
    expect(elapsed).toBeLessThan(20 * 60_000);
    const batches = await sandboxBatches(stack, r.cluster.name as string);
    expect(batches.map((b) => [b.state, b.deletedThroughLivy])).toEqual([["killed", true]]);
  }, 60_000);
});
