// Cluster activities through the factory on the cloud fakes: the create request and its pinned gateway login,
// status mapping, delete idempotency, idle checks, and how a failure crosses the Durable boundary (permanent →
// a value, never retried; throttled/transient → thrown for the retry policy).
import { beforeEach, describe, expect, it } from "vitest";
import { GATEWAY_SECRET_VERSION_TAG } from "../../../functions/runtime/gatewayCredentials";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, type BeginCreateClusterInput } from "../../../shared/workflow/activities";
import { isActivityFailure } from "../../../shared/workflow/activityFailure";
import { GATEWAY_PASSWORD, SSH_PASSWORD, activityHarness } from "./harness";

const createInput: BeginCreateClusterInput = {
  clusterName: "jf-c1",
  profileName: "default",
  overrides: {},
  profileHash: "hash-1",
  owner: { jobId: "job-1" },
  keepWarmMinutes: 0,
  maxLifetimeMinutes: 120,
  createdAt: "2026-01-01T00:00:00.000Z",
  jobTags: { team: "data" },
  adlsAccounts: [],
};

describe("cluster activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("beginCreateCluster sends one create with the secrets from the store, pins the gateway secret version and returns no secret", async () => {
    h.cloud.secrets.set("cluster-gateway-password", GATEWAY_PASSWORD); // v2 is current
    const result = await h.call(ACTIVITY.beginCreateCluster, createInput);
    expect(isActivityFailure(result)).toBe(false);
    expect(result).toMatchObject({ accepted: true, region: expect.any(String) });
    expect((result as { nodes: unknown[] }).nodes.length).toBeGreaterThan(0);
    expect(h.cloud.clusters.callsTo("beginCreate")).toHaveLength(1);
    const request = h.cloud.clusters.requests.get("jf-c1");
    expect(request?.tags?.[GATEWAY_SECRET_VERSION_TAG]).toBe("v2");
    expect(JSON.stringify(request)).toContain(SSH_PASSWORD); // the create request is where the secret must go…
    expect(JSON.stringify(result)).not.toContain(GATEWAY_PASSWORD); // …and never into the result (orchestration history)
    expect(JSON.stringify(result)).not.toContain(SSH_PASSWORD);
  });

  it("a create carrying the job's effective profile (resolved at submit) reads no profile and uses it as given", async () => {
    const profile = await h.deps.profile("default");
    const sized = { ...profile, workerNode: { ...profile.workerNode, count: 7 } };
    h.profileReads.length = 0;
    const result = await h.call(ACTIVITY.beginCreateCluster, { ...createInput, profile: sized });
    expect(isActivityFailure(result)).toBe(false);
    expect(h.profileReads).toEqual([]);
    const workers = (result as { nodes: { role: string; count: number }[] }).nodes.find((n) => n.role === "workernode");
    expect(workers?.count).toBe(7);
  });

  it("the accepted create carries the profile's timing estimate (no activity of its own); a failed read never fails the create", async () => {
    await h.call(ACTIVITY.recordClusterTiming, { profileHash: "hash-1", clusterName: "jf-old", kind: "provisioning", ms: 17 * 60_000 });
    const result = await h.call(ACTIVITY.beginCreateCluster, createInput);
    expect(result).toMatchObject({
      accepted: true,
      timings: {
        provisioning: { p50Ms: 17 * 60_000, p90Ms: 17 * 60_000, samples: 1, source: "observed" },
        deletion: { source: "default" },
      },
    });
    const profile = await h.deps.profile("default");
    h.cloud.blobs.failNext("getJson", new JobflowError("TransientError", "blob read timed out", { statusCode: 503 }));
    const blind = await h.call(ACTIVITY.beginCreateCluster, { ...createInput, clusterName: "jf-c2", profile });
    expect(isActivityFailure(blind)).toBe(false);
    expect(blind).toMatchObject({ accepted: true });
    expect(blind).not.toHaveProperty("timings");
    expect(h.cloud.clusters.callsTo("beginCreate")).toHaveLength(2);
  });

  it("a refused create (403) comes back as a permanent failure value, not an exception to retry", async () => {
    h.cloud.clusters.failNext("beginCreate", new JobflowError("AuthError", "AuthorizationFailed (HTTP 403)", { statusCode: 403 }));
    const result = await h.call(ACTIVITY.beginCreateCluster, createInput);
    expect(result).toEqual({
      activityFailure: { kind: "permanent", errorName: "AuthError", message: "AuthorizationFailed (HTTP 403)", statusCode: 403 },
    });
    // One-shot: the next create goes through.
    expect(isActivityFailure(await h.call(ACTIVITY.beginCreateCluster, createInput))).toBe(false);
  });

  it("a throttled create is thrown, tagged, for the Durable retry policy", async () => {
    h.cloud.clusters.failNext(
      "beginCreate",
      new JobflowError("ThrottledError", "Too many requests (HTTP 429)", { statusCode: 429, retryAfterInMs: 1000 }),
    );
    await expect(h.call(ACTIVITY.beginCreateCluster, createInput)).rejects.toMatchObject({
      name: "ThrottledError",
      message: expect.stringMatching(/^\[throttled\] /),
    });
  });

  it("a missing secret is a not-found failure naming the secret", async () => {
    h.cloud.secrets.reset();
    const result = await h.call(ACTIVITY.beginCreateCluster, createInput);
    expect(result).toMatchObject({
      activityFailure: { kind: "notFound", errorName: "NotFoundError", message: expect.stringContaining("cluster-gateway-password") },
    });
    expect(h.cloud.clusters.callsTo("beginCreate")).toHaveLength(0);
  });

  it("getClusterStatus maps ARM states: creating, ready with its gateway, failed with the RP's errors, gone", async () => {
    await h.call(ACTIVITY.beginCreateCluster, createInput);
    expect(await h.call(ACTIVITY.getClusterStatus, { clusterName: "jf-c1" })).toMatchObject({
      phase: "creating",
      provisioningState: "InProgress",
    });
    h.cloud.clusters.setState("jf-c1", { provisioningState: "Succeeded", clusterState: "Running" });
    expect(await h.call(ACTIVITY.getClusterStatus, { clusterName: "jf-c1" })).toMatchObject({
      phase: "ready",
      gatewayEndpoint: "jf-c1.azurehdinsight.net",
    });
    h.cloud.clusters.setState("jf-c1", {
      provisioningState: "Failed",
      clusterState: "Error",
      errors: [{ code: "QuotaExceeded", message: "no cores" }],
    });
    expect(await h.call(ACTIVITY.getClusterStatus, { clusterName: "jf-c1" })).toMatchObject({
      phase: "failed",
      errors: ["QuotaExceeded: no cores"],
    });
    expect(await h.call(ACTIVITY.getClusterStatus, { clusterName: "nope" })).toEqual({ phase: "gone", errors: [] });
  });

  it("beginDeleteCluster of a missing cluster succeeds (404 = success); of a live one it starts the delete", async () => {
    expect(await h.call(ACTIVITY.beginDeleteCluster, { clusterName: "nope" })).toEqual({ accepted: true });
    h.cloud.clusters.put({ name: "jf-c2" });
    await h.call(ACTIVITY.beginDeleteCluster, { clusterName: "jf-c2" });
    expect(await h.call(ACTIVITY.getClusterStatus, { clusterName: "jf-c2" })).toMatchObject({ phase: "deleting" });
  });

  it("checkClusterIdle counts Livy batches not yet final and running YARN apps", async () => {
    h.cloud.clusters.put({ name: "jf-c3" });
    expect(await h.call(ACTIVITY.checkClusterIdle, { clusterName: "jf-c3", profileName: "default" })).toEqual({
      idle: true,
      activeBatches: 0,
      runningApps: 0,
    });
    const livy = h.cloud.livy("jf-c3");
    const done = await livy.submitBatch({ file: "a.py", name: "done" });
    livy.setState(done.id, "success");
    await livy.submitBatch({ file: "b.py", name: "running" });
    h.cloud.gateway("jf-c3").apps = [{ id: "application_1_0001", state: "RUNNING" }];
    expect(await h.call(ACTIVITY.checkClusterIdle, { clusterName: "jf-c3", profileName: "default" })).toEqual({
      idle: false,
      activeBatches: 1,
      runningApps: 1,
    });
  });

  it("a rejected gateway login while checking idleness is permanent (not retried)", async () => {
    h.cloud.livy("jf-c4").failNext("listBatches", new JobflowError("AuthError", "livy: Unauthorized (HTTP 401)", { statusCode: 401 }));
    expect(await h.call(ACTIVITY.checkClusterIdle, { clusterName: "jf-c4", profileName: "default" })).toMatchObject({
      activityFailure: { kind: "permanent", statusCode: 401 },
    });
  });
});
