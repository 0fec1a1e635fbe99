// Issue 11 §7 and §8 (cache): a cluster's gateway login is pinned to the Key Vault secret version it was created
// with, so rotating the secret does not break later jobs joining the warm cluster; and the login is cached per
// cluster instead of a Key Vault read on every Livy/Ambari poll (counted in the sandbox's request log).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, gatewayRequests, jobDoc, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const SECRET = "cluster-gateway-password";
const secretReads = (): number => stack.sandbox.control.requests({ component: "keyvault" })
  .filter((r) => r.method === "GET" && r.path.includes(`/secrets/${SECRET}`)).length;

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
