// Cancel end to end: during provisioning (the half-made cluster is deleted), during a step (the running Livy batch
// is killed, pending steps cancelled) and during teardown (the teardown finishes; nothing is left behind).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, record, sandboxBatches, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

async function cancel(id: string): Promise<number> {
  const res = await stack.api(`/jobs/${id}/cancel`, { method: "POST" });
  await res.text();
  return res.status;
}

describe("cancel", () => {
  it("during provisioning: the job is cancelled, its steps never run and the half-made cluster is deleted", async () => {
    const id = await stack.submit(
      jobDoc("cancel-provisioning", [
        { id: "one", seconds: 60 },
        { id: "two", seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await clusters(stack)).some((c) => /inprogress/i.test(c.provisioningState)), {
      what: "cluster provisioning",
    });
    expect((await record(stack, id)).state).toBe("acquiringCluster");
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["one", "cancelled", 0],
      ["two", "cancelled", 0],
    ]);
    expect(await sandboxBatches(stack, r.cluster.name as string)).toEqual([]);
  }, 60_000);

  it("during a step: the running batch is killed in Livy and the pending step is cancelled", async () => {
    const id = await stack.submit(
      jobDoc("cancel-step", [
        { id: "long", seconds: 3600 },
        { id: "next", seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "step running" });
    const clusterName = (await record(stack, id)).cluster.name as string;
    expect((await sandboxBatches(stack, clusterName)).map((b) => b.state)).toEqual(["running"]);
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state])).toEqual([
      ["long", "cancelled"],
      ["next", "cancelled"],
    ]);
    expect(r.steps[0].attempts[0].logBlob).toBeTruthy();
    const batches = await sandboxBatches(stack, clusterName);
    expect(batches.map((b) => [b.state, b.deletedThroughLivy])).toEqual([["killed", true]]);
    expect(await cancel(id)).toBe(409); // finished jobs cannot be cancelled
  }, 60_000);

  it("during teardown: the teardown completes (edges detached, cluster deleted) and the job keeps its result", async () => {
    const id = await stack.submit(jobDoc("cancel-teardown", [{ id: "one", seconds: 60 }], { edges: ["dss-edge-01"] }));
    await stack.runUntil(async () => (await record(stack, id)).state === "tearingDown", { what: "tearing down" });
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.steps[0].state).toBe("succeeded");
    expect(r.edges).toEqual([{ vm: "dss-edge-01", state: "detached" }]);
    const edges = (await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] };
    expect(edges.edges.find((e) => e.name === "dss-edge-01")?.attachedTo).toBeNull();
  }, 60_000);
});
