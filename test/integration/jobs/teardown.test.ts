// Issue 11 §5: deleting a cluster never gives up. ARM DELETE fails again and again (a lock answers 409, then
// 500s): the cluster orchestration keeps asking on a durable backoff, raises jobflow.cluster.deleteFailing after
// three failures, the finished job says teardown is still pending, and once ARM accepts, the cluster goes.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const CLUSTERS_PATH = "/providers/Microsoft.HDInsight/clusters/";

describe("a delete that keeps failing", () => {
  it("is retried durably, reported, noted on the job, and succeeds in the end", async () => {
    const id = await stack.submit(jobDoc("undeletable", [{ id: "s", seconds: 60 }]));
    await stack.runUntil(async () => (await stack.job(id)).state === "running", { what: "job running" });
    const FAILURES = 7;
    stack.sandbox.control.addFault({ kind: "error", status: 409, method: "DELETE", pathContains: CLUSTERS_PATH, count: FAILURES });
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    const name = r.cluster.name as string;
    const failing = () => stack.events().filter((e) => e.type === "jobflow.cluster.deleteFailing" && e.subject === `clusters/${name}`);
    await stack.runUntil(() => failing().length > 0, { what: "deleteFailing event", maxVirtualMs: 6 * 3_600_000 });
    expect(failing()[0]?.data).toMatchObject({ clusterName: name, consecutiveFailures: 3 });
    expect(String((failing()[0]?.data as { error?: string }).error)).toMatch(/409/);
    // The job is over, its cluster is not: the job says so.
    const pending = (await stack.job(id)) as unknown as { cluster: { teardown?: { state: string; deleteFailures: number } } };
    expect(pending.cluster.teardown).toMatchObject({ state: "pending" });
    expect(pending.cluster.teardown?.deleteFailures).toBeGreaterThanOrEqual(3);

    await stack.runUntil(async () => (await clusters(stack)).every((c) => c.name !== name), {
      what: "cluster deleted",
      maxVirtualMs: 12 * 3_600_000,
    });
    const deletes = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${name}`));
    expect(deletes.filter((d) => d.status === 409)).toHaveLength(FAILURES);
    expect(deletes.filter((d) => d.status < 300).length).toBeGreaterThanOrEqual(1);
    // Backoff: consecutive failed attempts are spaced further and further apart, never more than an hour.
    const gaps = deletes.slice(1, FAILURES).map((d, i) => d.atMs - (deletes[i] as { atMs: number }).atMs);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] as number);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60 * 60_000 + 5 * 60_000);
    await stack.runUntil(() => stack.host.engine?.getInstance(`cluster-${name}`)?.runtimeStatus !== "Running", {
      what: "cluster orchestration ended",
    });
    expect(stack.host.engine?.getInstance(`cluster-${name}`)?.runtimeStatus).toBe("Completed");
    expect(
      stack
        .events()
        .filter((e) => e.subject === `clusters/${name}`)
        .map((e) => e.type),
    ).toContain("jobflow.cluster.deleted");
    expect((await stack.job(id)) as unknown as { cluster: { teardown?: unknown } }).not.toHaveProperty("cluster.teardown");
  }, 300_000);
});

describe("an edge detach that keeps failing", () => {
  it("does not hold the cluster up and is retried after the delete until the VM is detached", async () => {
    const vm = "dss-edge-01";
    const id = await stack.submit(jobDoc("sticky-edge", [{ id: "s", seconds: 60 }], { edges: [vm] }));
    await stack.runUntil(async () => (await stack.job(id)).state === "running", { what: "job running" });
    // The job's own detach, the cluster's detach before delete and two retries fail; the fifth run works.
    stack.sandbox.control.addRunCommandFault(vm, { kind: "fail", count: 4, exitCode: 1, message: "injected: VM agent busy" });
    const r = await finish(stack, id);
    const name = r.cluster.name as string;
    await stack.runUntil(async () => (await clusters(stack)).every((c) => c.name !== name), { what: "cluster deleted" });
    const failing = () => stack.events().filter((e) => e.type === "jobflow.edge.detachFailing" && e.subject === `edges/${vm}`);
    await stack.runUntil(() => failing().length > 0, { what: "detachFailing event", maxVirtualMs: 3_600_000 });
    expect(failing()[0]?.data).toMatchObject({ vm, clusterName: name, consecutiveFailures: 3 });
    await stack.runUntil(() => stack.host.engine?.getInstance(`cluster-${name}`)?.runtimeStatus !== "Running", {
      what: "cluster orchestration ended",
      maxVirtualMs: 3_600_000,
    });
    expect(stack.host.engine?.getInstance(`cluster-${name}`)?.runtimeStatus).toBe("Completed");
    const edges = (await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] };
    expect(edges.edges.find((e) => e.name === vm)?.attachedTo ?? null).toBeNull();
  }, 300_000);
});
