// A host killed mid-job and started again on the same data folder finishes the job: no second cluster, no second
// Livy batch for a step, nothing left behind (cluster deleted, batches cleaned, edges detached, no orchestration
// still running). The host goes down twice: while its cluster provisions and while a step runs, with virtual time
// passing while it is down (Azure keeps going).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { clusters, createPuts, expectNoClustersLeft, finish, jobDoc, record, sandboxBatches } from "./jobHelpers";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a host killed mid-job", () => {
  it("is restarted and finishes the job with no duplicate cluster and nothing left behind", async () => {
    const id = await stack.submit(
      jobDoc(
        "survivor",
        [
          { id: "one", seconds: 900 },
          { id: "two", seconds: 300 },
        ],
        { edges: ["dss-edge-01"] },
      ),
    );
    await stack.runUntil(async () => (await clusters(stack)).some((c) => /inprogress/i.test(c.provisioningState)), {
      what: "provisioning",
    });
    await stack.restartHost({ downForMs: 7 * 60_000 });

    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "first step running" });
    const clusterName = (await record(stack, id)).cluster.name as string;
    await stack.restartHost({ downForMs: 5 * 60_000 });

    const r = await finish(stack, id);
    expect(r.error).toBeUndefined();
    expect(r.state).toBe("succeeded");
    expect(r.cluster.name).toBe(clusterName);
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["one", "succeeded", 1],
      ["two", "succeeded", 1],
    ]);
    expect(r.edges).toEqual([{ vm: "dss-edge-01", state: "detached" }]);

    // One create, one batch per step, each batch deleted through Livy once its state was recorded.
    expect(createPuts(stack)).toEqual([clusterName]);
    const batches = await sandboxBatches(stack, clusterName);
    expect(batches.map((b) => [b.request.file.split("/").pop(), b.state, b.deletedThroughLivy])).toEqual([
      ["one.py", "success", true],
      ["two.py", "success", true],
    ]);

    await expectNoClustersLeft(stack);
    // The cluster's orchestration completes at its next delete poll (the cluster is already gone from ARM).
    const stillRunning = (): string[] =>
      (stack.host.engine?.query() ?? [])
        .filter((i) => ["Running", "Pending"].includes(i.runtimeStatus))
        .map((i) => `${i.name} ${i.instanceId}`);
    await stack.runUntil(() => stillRunning().length === 0, { what: "every orchestration done", maxVirtualMs: 30 * 60_000 });
    expect(stack.host.engine?.query().filter((i) => i.runtimeStatus === "Failed")).toEqual([]);
    const edges = (await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] };
    expect(edges.edges.every((e) => e.attachedTo === null)).toBe(true);
  }, 90_000);
});
