// ARM throttling budgets and injected faults as the real SDK clients experience them.
import { describe, expect, it } from "vitest";
import type { FullOperationResponse } from "@azure/core-client";
import { TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";
import { sparkClusterBody } from "./clusterBodies";

const env = useTestSandbox();

async function ensureCluster(name: string): Promise<void> {
  await env.current.hdinsight({ principal: "setup" }).clusters.beginCreate(RG, name, sparkClusterBody());
}

describe("sandbox: throttling and faults", () => {
  it("lets the SDK retry a 429 that carries Retry-After, and returns a bare 429 to the caller", async () => {
    await ensureCluster("jf-throttle-01");
    const client = env.current.hdinsight({ principal: "retry-tester" });
    const since = env.current.sandbox.control.requests().at(-1)?.seq ?? 0;
    env.current.sandbox.control.addFault({
      kind: "throttle",
      method: "GET",
      pathContains: "/clusters/jf-throttle-01",
      retryAfterSeconds: 1,
    });
    const cluster = await client.clusters.get(RG, "jf-throttle-01");
    expect(cluster.name).toBe("jf-throttle-01");
    expect(env.current.sandbox.control.requests({ sinceSeq: since }).map((r) => r.status)).toEqual([429, 200]);

    env.current.sandbox.control.addFault({
      kind: "throttle",
      method: "GET",
      pathContains: "/clusters/jf-throttle-01",
      retryAfterSeconds: null,
    });
    await expect(client.clusters.get(RG, "jf-throttle-01")).rejects.toMatchObject({ statusCode: 429 });
  });

  it("retries 503s and dropped connections (timeout fault)", async () => {
    const client = env.current.hdinsight({ principal: "retry-tester" });
    env.current.sandbox.control.addFault({ kind: "error", status: 503, retryAfterSeconds: 0, pathContains: "/clusters/jf-throttle-01" });
    env.current.sandbox.control.addFault({ kind: "timeout", hangMs: 20, pathContains: "/clusters/jf-throttle-01" });
    expect((await client.clusters.get(RG, "jf-throttle-01")).name).toBe("jf-throttle-01");
    const notes = env.current.sandbox.control
      .requests()
      .slice(-3)
      .map((r) => r.note ?? String(r.status));
    expect(notes).toEqual(["fault:error", "fault:timeout", "200"]);
  });

  it("enforces ARM's read budget per subscription and principal (250 burst, 25/s)", async () => {
    const reader = env.current.hdinsight({ principal: "hungry-reader", maxRetries: 0 });
    let remaining: string | undefined;
    const onResponse = (r: FullOperationResponse): void => {
      remaining = r.headers.get("x-ms-ratelimit-remaining-subscription-reads");
    };
    for (let i = 0; i < 250; i++) await reader.clusters.get(RG, "jf-throttle-01", { onResponse });
    expect(remaining).toBe("0");
    const refused = await reader.clusters.get(RG, "jf-throttle-01").catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 429, code: "SubscriptionRequestsThrottled" });
    expect((refused as { response?: { headers: { get(n: string): string | undefined } } }).response?.headers.get("retry-after")).toBe("1");
    // Another principal has its own bucket; and a second of (virtual) time refills 25 tokens.
    await env.current.hdinsight({ principal: "someone-else", maxRetries: 0 }).clusters.get(RG, "jf-throttle-01");
    await env.current.sandbox.control.advanceBy(1_000);
    for (let i = 0; i < 25; i++) await reader.clusters.get(RG, "jf-throttle-01");
    await expect(reader.clusters.get(RG, "jf-throttle-01")).rejects.toMatchObject({ statusCode: 429 });
  });

  it("enforces configured write budgets and Compute's per-VM Update VM policy (12 burst)", async () => {
    env.current.sandbox.control.setThrottling({ writes: { capacity: 2, refillPerSecond: 0.1 } });
    const writer = env.current.hdinsight({ principal: "writer", maxRetries: 0 });
    await writer.clusters.update(RG, "jf-throttle-01", { tags: { a: "1" } });
    await writer.clusters.update(RG, "jf-throttle-01", { tags: { a: "2" } });
    await expect(writer.clusters.update(RG, "jf-throttle-01", { tags: { a: "3" } })).rejects.toMatchObject({ statusCode: 429 });
    env.current.sandbox.control.setThrottling({ writes: { capacity: 200, refillPerSecond: 10 } });

    const compute = env.current.compute({ principal: "vm-operator", maxRetries: 0 });
    for (let i = 0; i < 12; i++) await compute.virtualMachineRunCommands.delete(RG, "dss-edge-01", `missing-${i}`).pollUntilDone();
    await expect(compute.virtualMachineRunCommands.delete(RG, "dss-edge-01", "missing-13").pollUntilDone()).rejects.toMatchObject({
      statusCode: 429,
    });
    // Other VMs have their own budget.
    await compute.virtualMachineRunCommands.delete(RG, "jupyter-edge-01", "missing-0").pollUntilDone();
  });

  it("can be switched off", async () => {
    env.current.sandbox.control.setThrottling({ enabled: false });
    const compute = env.current.compute({ principal: "vm-operator", maxRetries: 0 });
    await compute.virtualMachineRunCommands.delete(RG, "dss-edge-01", "missing-14").pollUntilDone();
    env.current.sandbox.control.setThrottling({ enabled: true });
  });
});
