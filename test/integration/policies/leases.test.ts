// Compute leases on the embedded stack: a signed request → a cluster → a signed "ready" callback to a 127.0.0.1
// receiver (endpoints and the NAME of the gateway secret, never its value) → renew → release (cluster deleted);
// a second lease whose receiver answers junk expires on time and its cluster goes; bad signature, stale timestamp,
// unknown caller and a replayed request are refused and create nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SECRETS } from "../../../local/stack";
import { createDurableInvoker } from "../../../local/host/durableInvoker";
import { SIGNATURE_HEADERS, signPayload } from "../../../shared/policies/webhookSignature";
import type { LeaseStatus } from "../../../shared/policies/workflowTypes";
import { startTestStack, type TestStack } from "../../support/stack";
import { CALLER_SECRET, cli, clusterNames, policyStackOptions, signedPost, startReceiver, type Receiver } from "./helpers";

let stack: TestStack;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  // The 127.0.0.1 receiver is allowed explicitly (callbacks otherwise go to public https endpoints only).
  stack = await startTestStack(
    policyStackOptions({ JOBFLOW_REAPER_SCHEDULE: "0 0 0 1 1 *", JOBFLOW_WEBHOOK_ALLOW_HOSTS: receiver.hostPort }),
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const lease = async (id: string): Promise<LeaseStatus> => (await (await stack.api(`/compute-requests/${id}`)).json()) as LeaseStatus;
const callbacks = (path: string) => receiver.received.filter((r) => r.path === path);

describe("compute leases", () => {
  it("calls back signed when ready, renews, and deletes the cluster on release", async () => {
    const res = await signedPost(stack, "/compute-requests", { profile: "default", durationMinutes: 60, callbackUrl: `${receiver.url}/a` });
    expect(res.status).toBe(202);
    const { leaseId, clusterName } = (await res.json()) as { leaseId: string; clusterName: string };
    await stack.runUntil(() => callbacks("/a").length > 0, { what: "ready callback" });

    const cb = callbacks("/a")[0];
    const ts = Number(cb.headers[SIGNATURE_HEADERS.timestamp]);
    expect(cb.headers[SIGNATURE_HEADERS.signature]).toBe(signPayload(CALLER_SECRET, ts, cb.body));
    expect(cb.headers[SIGNATURE_HEADERS.delivery]).toBe(`${leaseId}-ready`);
    const body = JSON.parse(cb.body) as {
      type: string;
      leaseId: string;
      endpoints: { livyUrl: string; ambariUrl: string; sshHost?: string; gateway: { passwordSecretName: string } };
    };
    expect(body).toMatchObject({ type: "jobflow.lease.ready", leaseId, clusterName });
    expect(body.endpoints.livyUrl).toContain(`/gateway/${clusterName}/livy`);
    expect(body.endpoints.gateway.passwordSecretName).toBe("cluster-gateway-password");
    for (const secret of Object.values(LOCAL_SECRETS)) expect(cb.body).not.toContain(secret);
    expect((await lease(leaseId)).state).toBe("ready");

    // A reaper decision that raced this lease's acquire: the cluster orchestration refuses to reap a held cluster.
    const raise = await fetch(
      `${stack.host.url}/runtime/webhooks/durabletask/instances/cluster-${clusterName}/raiseEvent/clusterCommand?code=${stack.masterKey}`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "reap", reason: "idle: test" }) },
    );
    expect(raise.status).toBe(202);
    await stack.runUntil(
      () => stack.events().some((e) => e.type === "jobflow.cluster.reapRefused" && e.subject === `clusters/${clusterName}`),
      { what: "reap refused" },
    );
    expect((await clusterNames(stack)).get(clusterName)?.clusterState).toMatch(/running/i);
    expect((await lease(leaseId)).state).toBe("ready");

    const before = Date.parse((await lease(leaseId)).expiresAt);
    expect((await signedPost(stack, `/compute-requests/${leaseId}/renew`, { durationMinutes: 180 })).status).toBe(202);
    await stack.runUntil(async () => (await lease(leaseId)).renewals === 1, { what: "renewed" });
    expect(Date.parse((await lease(leaseId)).expiresAt)).toBeGreaterThan(before);
    expect((await signedPost(stack, `/compute-requests/${leaseId}/renew`, { durationMinutes: "junk" })).status).toBe(400);

    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(202);
    await stack.runUntil(async () => (await lease(leaseId)).state === "released" && !(await clusterNames(stack)).has(clusterName), {
      what: "released and deleted",
    });
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(409);
    const listed = await cli(stack, ["leases"]);
    expect(listed.code).toBe(0);
    expect(listed.lines.find((l) => l.startsWith(leaseId))).toMatch(/airflow\s+released/);
    await stack.runUntil(
      () => stack.events().some((e) => e.type === "jobflow.cluster.deleted" && e.subject === `clusters/${clusterName}`),
      { what: "cluster deleted event" },
    );
    expect(
      stack
        .events()
        .filter((e) => e.subject === `clusters/${clusterName}`)
        .map((e) => e.type),
    ).toEqual([
      "jobflow.cluster.creating",
      "jobflow.cluster.ready",
      "jobflow.cluster.reapRefused",
      "jobflow.cluster.deleting",
      "jobflow.cluster.deleted",
    ]);
    const types = stack
      .events()
      .filter((e) => e.subject === `leases/${leaseId}`)
      .map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "jobflow.lease.requested",
        "jobflow.lease.ready",
        "jobflow.lease.renewed",
        "jobflow.lease.released",
        "jobflow.webhook.delivered",
      ]),
    );
  }, 60_000);

  it("expires on time although the receiver only ever answers junk, and the cluster goes", async () => {
    receiver.statusFor.set("/junk", 500);
    const requestedMs = stack.clock.nowMs();
    const res = await signedPost(stack, "/compute-requests", {
      profile: "default",
      durationMinutes: 30,
      callbackUrl: `${receiver.url}/junk`,
    });
    const { leaseId, clusterName } = (await res.json()) as { leaseId: string; clusterName: string };
    await stack.runUntil(async () => (await lease(leaseId)).state === "expired", { what: "expired" });
    const ended = await lease(leaseId);
    expect(Date.parse(ended.endedAt as string)).toBe(requestedMs + 30 * 60_000);
    const deletedEvent = () => stack.events().find((e) => e.type === "jobflow.cluster.deleted" && e.subject === `clusters/${clusterName}`);
    await stack.runUntil(async () => !!deletedEvent() && !(await clusterNames(stack)).has(clusterName), {
      what: "cluster deleted after expiry",
    });
    // The junk answers were retried, but never kept anything alive.
    expect(callbacks("/junk").length).toBeGreaterThan(1);
    expect((deletedEvent()?.data as { reason: string }).reason).toContain("released by its last holder");
  }, 60_000);

  it("fails with a signed 'failed' callback when provisioning fails, and leaves nothing behind", async () => {
    const res = await signedPost(stack, "/compute-requests", {
      profile: "default",
      durationMinutes: 60,
      callbackUrl: `${receiver.url}/fail`,
    });
    const { leaseId, clusterName } = (await res.json()) as { leaseId: string; clusterName: string };
    await stack.runUntil(async () => (await clusterNames(stack)).has(clusterName), { what: "create PUT" });
    stack.sandbox.control.failProvisioning(clusterName);
    await stack.runUntil(async () => (await lease(leaseId)).state === "failed" && callbacks("/fail").length > 0, {
      what: "failed callback",
    });
    const body = JSON.parse(callbacks("/fail")[0].body) as { type: string; error: string };
    expect(body.type).toBe("jobflow.lease.failed");
    expect(body.error).toMatch(/provision|fail/i);
    await stack.runUntil(async () => !(await clusterNames(stack)).has(clusterName), { what: "failed cluster deleted" });
  }, 60_000);

  it("does not retry a callback the receiver refuses (403): one attempt, and the failure says it is permanent", async () => {
    receiver.statusFor.set("/forbidden", 403);
    const res = await signedPost(stack, "/compute-requests", {
      profile: "default",
      durationMinutes: 60,
      callbackUrl: `${receiver.url}/forbidden`,
    });
    const { leaseId, clusterName } = (await res.json()) as { leaseId: string; clusterName: string };
    const failed = () => stack.events().find((e) => e.type === "jobflow.webhook.failed" && e.subject === `leases/${leaseId}`);
    await stack.runUntil(() => !!failed(), { what: "ready callback given up" });
    expect(failed()?.data).toMatchObject({ attempts: 1, status: 403, kind: "permanent" });
    // Well past the first backoff (30 s): still the one attempt.
    const later = stack.clock.nowMs() + 5 * 60_000;
    await stack.runUntil(() => stack.clock.nowMs() >= later, { what: "five minutes later" });
    expect(callbacks("/forbidden")).toHaveLength(1);
    expect((await lease(leaseId)).state).toBe("ready"); // the lease itself is fine; its caller just refuses callbacks
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(202);
    await stack.runUntil(async () => !(await clusterNames(stack)).has(clusterName), { what: "released lease's cluster deleted" });
  }, 60_000);

  it("getLeaseEndpoints is classified: a 403 from ARM comes back once, as a permanent failure, not an error to retry", async () => {
    const clusterName = "lease-endpoints-forbidden";
    stack.sandbox.control.addFault({ kind: "error", status: 403, method: "GET", pathContains: `/clusters/${clusterName}`, count: 1 });
    const invoker = createDurableInvoker(stack.host.logger);
    const result = await invoker.invokeActivity("getLeaseEndpoints", { clusterName, profileName: "default" });
    expect(result).toMatchObject({ activityFailure: { kind: "permanent", statusCode: 403 } });
    expect(
      stack.sandbox.control.requests({ component: "arm" }).filter((r) => r.method === "GET" && r.path.includes(`/clusters/${clusterName}`)),
    ).toHaveLength(1);
  }, 30_000);

  it("refuses a bad signature, a stale timestamp, an unknown caller and a replay, creating nothing", async () => {
    const body = JSON.stringify({ profile: "default", durationMinutes: 30, callbackUrl: `${receiver.url}/never` });
    const now = stack.clock.nowMs();
    const leasesBefore = ((await (await stack.api("/compute-requests")).json()) as { leases: unknown[] }).leases.length;

    expect((await signedPost(stack, "/compute-requests", body, { secret: "wrong-secret" })).status).toBe(401);
    expect((await signedPost(stack, "/compute-requests", body, { atMs: now - 6 * 60_000 })).status).toBe(401);
    expect((await signedPost(stack, "/compute-requests", body, { caller: "mallory" })).status).toBe(403);
    const unsigned = await stack.api("/compute-requests", { method: "POST", body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("content-type")).toContain("application/problem+json");

    const ts = Math.floor(now / 1000);
    const headers = {
      [SIGNATURE_HEADERS.caller]: "airflow",
      [SIGNATURE_HEADERS.timestamp]: String(ts),
      [SIGNATURE_HEADERS.signature]: signPayload(CALLER_SECRET, ts, body),
    };
    const junk = JSON.stringify({ profile: "default", durationMinutes: 99999, callbackUrl: "ftp://x" });
    const junkTs = { ...headers, [SIGNATURE_HEADERS.signature]: signPayload(CALLER_SECRET, ts, junk) };
    expect((await signedPost(stack, "/compute-requests", junk, { headers: junkTs })).status).toBe(400);
    const first = await signedPost(stack, "/compute-requests", body, { headers });
    expect(first.status).toBe(202);
    const replay = await signedPost(stack, "/compute-requests", body, { headers });
    expect(replay.status).toBe(409);
    const leasesAfter = ((await (await stack.api("/compute-requests")).json()) as { leases: unknown[] }).leases.length;
    expect(leasesAfter).toBe(leasesBefore + 1);
    const { leaseId } = (await first.json()) as { leaseId: string };
    // The lease answers once its orchestration has run its first episode (before, its id is unknown to the routes).
    await stack.runUntil(async () => (await stack.api(`/compute-requests/${leaseId}`)).status === 200, { what: "lease visible" });
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {}, { caller: "airflow", secret: "wrong" })).status).toBe(401);
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(202);
  }, 60_000);
  it("takes an idle warm cluster of its profile instead of creating one; the cluster stays warm after the release", async () => {
    const file = "abfss://code@jobflowlake.dfs.core.windows.net/warm.py";
    const job = await stack.submit({
      name: "warm-before-lease",
      cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 90, keepWarmPolicy: "fixed" },
      steps: [{ id: "s", file }],
    });
    await stack.runUntil(async () => (await stack.job(job)).state === "succeeded", { what: "warm job done" });
    const warmName = ((await stack.job(job)).cluster as { name: string }).name;
    await stack.runUntil(
      () => stack.events().some((e) => e.type === "jobflow.cluster.keepWarmDecided" && e.subject === `clusters/${warmName}`),
      { what: "cluster idle" },
    );
    const puts = () =>
      stack.sandbox.control.requests({ component: "arm" }).filter((r) => r.method === "PUT" && /\/clusters\/[^/]+$/.test(r.path)).length;
    const putsBefore = puts();

    const res = await signedPost(stack, "/compute-requests", {
      profile: "default",
      durationMinutes: 30,
      callbackUrl: `${receiver.url}/warm`,
    });
    expect(res.status).toBe(202);
    const { leaseId } = (await res.json()) as { leaseId: string };
    await stack.runUntil(() => callbacks("/warm").length > 0, { what: "ready callback" });
    expect(JSON.parse(callbacks("/warm")[0]?.body ?? "{}")).toMatchObject({ type: "jobflow.lease.ready", clusterName: warmName });
    expect(await lease(leaseId)).toMatchObject({ state: "ready", clusterName: warmName });
    expect(puts()).toBe(putsBefore);

    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(202);
    await stack.runUntil(async () => (await lease(leaseId)).state === "released", { what: "released" });
    await stack.host.engine?.waitForIdle();
    expect((await clusterNames(stack)).get(warmName)?.clusterState).toMatch(/running/i); // kept warm, not deleted with the lease
    await stack.runUntil(async () => !(await clusterNames(stack)).has(warmName), {
      what: "kept-warm cluster deleted",
      maxVirtualMs: 3 * 3_600_000,
    });
  }, 180_000);
});
