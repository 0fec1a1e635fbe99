// Issue 11 §7 and §8 (cache): a cluster's gateway login is pinned to the Key Vault secret version it was created
// with, so rotating the secret does not break later jobs joining the warm cluster; and the login is cached per
// cluster instead of a Key Vault read on every Livy/Ambari poll (counted in the sandbox's request log).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, gatewayRequests, jobDoc, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const SECRET = "cluster-gateway-password";
const secretReads = (): number =>
  stack.sandbox.control.requests({ component: "keyvault" }).filter((r) => r.method === "GET" && r.path.includes(`/secrets/${SECRET}`))
    .length;

describe("gateway login pinned per cluster", () => {
  it("a job joining a warm cluster after the gateway password was rotated still runs", async () => {
    const cluster = { profile: "default", reuse: "warm", keepWarmMinutes: 30 };
    const first = await stack.submit(jobDoc("before-rotation", [{ id: "s", seconds: 600 }], { cluster }));
    await stack.runUntil(async () => (await stack.job(first)).state === "running", { what: "first job running" });
    const name = (await clusters(stack))[0]?.name as string;
    expect((await clusters(stack))[0]?.tags["jobflow-gateway-secret-version"]).toMatch(/^[0-9a-f]{8,}$/i);

    const rotated = await sandboxControl(stack, "POST", "/keyvault/secrets", { [SECRET]: "Rotated-Gateway-Passw0rd!" });
    expect(rotated.status).toBeLessThan(300);
    const second = await stack.submit(jobDoc("after-rotation", [{ id: "s", seconds: 120 }], { cluster }));
    const [r1, r2] = [await finish(stack, first), await finish(stack, second)];
    expect([r1.state, r2.state]).toEqual(["succeeded", "succeeded"]);
    expect(r2.cluster.name).toBe(name);
    expect(r2.cluster.acquisition).toBe("joined");
    // The gateway never saw a wrong password.
    expect(gatewayRequests(stack, name, "GET", "/").filter((r) => r.status === 401)).toEqual([]);
    expect(gatewayRequests(stack, name, "POST", "/").filter((r) => r.status === 401)).toEqual([]);
  }, 180_000);
});

describe("gateway login cache", () => {
  it("reads Key Vault a few times per cluster, not once per poll", async () => {
    const before = secretReads();
    const gatewayBefore = stack.sandbox.control.requests({ component: "gateway" }).length;
    const r = await finish(stack, await stack.submit(jobDoc("long-poll", [{ id: "s", seconds: 1800 }])));
    expect(r.state).toBe("succeeded");
    const reads = secretReads() - before;
    const gatewayCalls = stack.sandbox.control.requests({ component: "gateway" }).length - gatewayBefore;
    // One read at create, then at most one per 5-minute cache period of the half-hour step (+ slack for the
    // submit/finish around it); before the cache it was one per gateway call.
    expect(gatewayCalls).toBeGreaterThan(20);
    expect(reads).toBeLessThanOrEqual(1 + Math.ceil(30 / 5) + 3);
    expect(reads).toBeLessThan(gatewayCalls / 2);
  }, 180_000);
});

/** ARM PATCH of a cluster's tags, as an operator (or a script) would do it. */
async function patchClusterTags(name: string, tags: Record<string, string>): Promise<number> {
  const { request } = await import("node:https");
  const path = `/subscriptions/${stack.settings.JOBFLOW_SUBSCRIPTION_ID ?? "00000000-0000-0000-0000-000000000000"}/resourceGroups/${stack.settings.JOBFLOW_RESOURCE_GROUP ?? "jobflow-local"}/providers/Microsoft.HDInsight/clusters/${name}?api-version=2021-06-01`;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, stack.sandbox.url),
      { method: "PATCH", ca: stack.sandbox.caPem, headers: { authorization: "Bearer operator", "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ tags }));
  });
}

describe("a cluster whose gateway login is rejected", () => {
  it("fails the job with a clear reason and is drained: deleted, not joined by the next warm job", async () => {
    const cluster = { profile: "default", reuse: "warm", keepWarmMinutes: 60 };
    const first = await stack.submit(jobDoc("locked-out", [{ id: "s", seconds: 3600 }], { cluster }));
    await stack.runUntil(async () => (await stack.job(first)).state === "running", { what: "job running" });
    const row = (await clusters(stack))[0];
    const name = row?.name as string;
    // A cluster that recorded no version (created before pinning), then the secret is rotated: the login Jobflow
    // reads no longer matches the cluster's.
    const tags = { ...row?.tags };
    delete tags["jobflow-gateway-secret-version"];
    expect(await patchClusterTags(name, tags)).toBe(200);
    expect((await sandboxControl(stack, "POST", "/keyvault/secrets", { [SECRET]: "Another-Gateway-Passw0rd!" })).status).toBeLessThan(300);

    const r = await finish(stack, first);
    expect(r.state).toBe("failed");
    expect(JSON.stringify(r)).toMatch(/gateway credential rejected: the gateway of cluster/);
    expect(JSON.stringify(r)).not.toContain("Passw0rd");
    await stack.runUntil(() => stack.events().some((e) => e.type === "jobflow.cluster.drained" && e.subject === `clusters/${name}`), {
      what: "drained event",
    });
    // Drained: deleted now (not after keep-warm), and the next warm job gets a cluster of its own.
    const second = await stack.submit(jobDoc("after-lockout", [{ id: "s", seconds: 60 }], { cluster }));
    const r2 = await finish(stack, second);
    expect(r2.state).toBe("succeeded");
    expect(r2.cluster.name).not.toBe(name);
    await stack.runUntil(async () => (await clusters(stack)).every((c) => c.name !== name), {
      what: "drained cluster deleted",
      maxVirtualMs: 30 * 60_000,
    });
  }, 300_000);
});
