// Activities that talk to the Durable runtime, through the factory with a fake Durable client and the blob fake:
// the cluster singleton started once, warm-cluster matching and claims, ended holders, raised events.
import { beforeEach, describe, expect, it } from "vitest";
import { ACTIVITY, ORCHESTRATION, type ClusterOrchestrationInput } from "../../../shared/workflow/activities";
import { activityHarness } from "./harness";

const clusterInput: ClusterOrchestrationInput = {
  clusterName: "jf-c1",
  profileName: "default",
  overrides: {},
  profileHash: "hash-1",
  owner: { jobId: "job-1" },
  keepWarmMinutes: 30,
  maxLifetimeMinutes: 240,
  reuse: "warm",
  jobTags: {},
  adlsAccounts: [],
};

describe("durable client activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("ensureClusterOrchestration starts the singleton once, with a cost ledger", async () => {
    expect(await h.call(ACTIVITY.ensureClusterOrchestration, clusterInput)).toEqual({ instanceId: "cluster-jf-c1", started: true });
    expect(await h.call(ACTIVITY.ensureClusterOrchestration, clusterInput)).toEqual({ instanceId: "cluster-jf-c1", started: false });
    expect(h.durable.started).toEqual([
      { name: ORCHESTRATION.cluster, instanceId: "cluster-jf-c1", input: { ...clusterInput, costLedger: true } },
    ]);
  });

  it("a start that fails with no live singleton afterwards is thrown (retried by the orchestration)", async () => {
    h.durable.failNextStart = new Error("conflict");
    h.durable.put({ instanceId: "cluster-jf-c1", name: ORCHESTRATION.cluster, runtimeStatus: "Completed" });
    await expect(h.call(ACTIVITY.ensureClusterOrchestration, clusterInput)).rejects.toThrow("conflict");
  });

  it("findWarmCluster prefers a ready compatible cluster with enough lifetime left", async () => {
    const expiresAt = (minutes: number): string => new Date(h.cloud.clock.nowMs() + minutes * 60_000).toISOString();
    const warm = (name: string, status: Record<string, unknown>): void =>
      h.durable.put({
        instanceId: `cluster-${name}`,
        name: ORCHESTRATION.cluster,
        runtimeStatus: "Running",
        customStatus: { reuse: "warm", profileHash: "hash-1", ...status },
      });
    warm("short", { phase: "ready", expiresAt: expiresAt(10) });
    warm("creating", { phase: "creating", expiresAt: expiresAt(200) });
    warm("ready", { phase: "ready", expiresAt: expiresAt(100) });
    warm("drained", { phase: "ready", expiresAt: expiresAt(300), drained: "gateway login rejected" });
    warm("other", { phase: "ready", expiresAt: expiresAt(300), profileHash: "hash-2" });
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "hash-1", minRemainingMinutes: 30 })).toEqual({ clusterName: "ready" });
  });

  it("acquireCluster is the whole acquisition in one hop: claim or join, singleton started once (with the acquire), acquire sent", async () => {
    const first = await h.call(ACTIVITY.acquireCluster, {
      cluster: clusterInput,
      holder: "job-1",
      replyTo: "job-1",
      warm: { profileHash: "hash-1", minRemainingMinutes: 30, candidate: "jf-c1" },
    });
    expect(first).toEqual({ clusterName: "jf-c1", joinedWarm: false });
    // A second warm job of the same profile, a moment later: it joins the claimed cluster, nothing new is started.
    const second = await h.call(ACTIVITY.acquireCluster, {
      cluster: { ...clusterInput, clusterName: "jf-c2", owner: { jobId: "job-2" } },
      holder: "job-2",
      replyTo: "job-2",
      warm: { profileHash: "hash-1", minRemainingMinutes: 30, candidate: "jf-c2" },
    });
    expect(second).toEqual({ clusterName: "jf-c1", joinedWarm: true });
    expect(h.durable.started.map((s) => s.instanceId)).toEqual(["cluster-jf-c1"]);
    // The starter's acquire comes with the start (no event, no episode of its own); the joiner's is raised.
    expect(h.durable.started[0]?.input).toMatchObject({ firstCommands: [{ type: "acquire", holder: "job-1", replyTo: "job-1" }] });
    expect(h.durable.raised).toEqual([
      { instanceId: "cluster-jf-c1", eventName: "clusterCommand", payload: { type: "acquire", holder: "job-2", replyTo: "job-2" } },
    ]);
    // Without a warm search (reuse: never), the job's own cluster.
    const own = await h.call(ACTIVITY.acquireCluster, {
      cluster: { ...clusterInput, clusterName: "jf-c3", reuse: "never" },
      holder: "job-3",
      replyTo: "job-3",
    });
    expect(own).toEqual({ clusterName: "jf-c3", joinedWarm: false });
    expect(h.durable.started.map((s) => s.instanceId)).toEqual(["cluster-jf-c1", "cluster-jf-c3"]);
    // Retried after its start (the reply was lost): the instance runs, so the acquire is raised — never a second start.
    await h.call(ACTIVITY.acquireCluster, {
      cluster: { ...clusterInput, clusterName: "jf-c3", reuse: "never" },
      holder: "job-3",
      replyTo: "job-3",
    });
    expect(h.durable.started.map((s) => s.instanceId)).toEqual(["cluster-jf-c1", "cluster-jf-c3"]);
    expect(h.durable.raised.at(-1)).toMatchObject({ instanceId: "cluster-jf-c3", payload: { holder: "job-3" } });
  });

  it("with nothing warm, the first job claims its candidate and the next one joins the claim", async () => {
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "hash-1", minRemainingMinutes: 30 })).toEqual({});
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "hash-1", minRemainingMinutes: 30, candidate: "jf-a" })).toEqual({
      clusterName: "jf-a",
    });
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "hash-1", minRemainingMinutes: 30, candidate: "jf-b" })).toEqual({
      clusterName: "jf-a",
    });
    // Once the claim is stale (its cluster never appeared), the next job claims anew.
    h.cloud.clock.advance(11 * 60_000);
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "hash-1", minRemainingMinutes: 30, candidate: "jf-c" })).toEqual({
      clusterName: "jf-c",
    });
  });

  it("findEndedHolders lists holders that ended or never existed, not suspended ones", async () => {
    h.durable.put({ instanceId: "job-live", name: ORCHESTRATION.jobRun, runtimeStatus: "Running" });
    h.durable.put({ instanceId: "job-paused", name: ORCHESTRATION.jobRun, runtimeStatus: "Suspended" });
    h.durable.put({ instanceId: "job-done", name: ORCHESTRATION.jobRun, runtimeStatus: "Completed" });
    expect(await h.call(ACTIVITY.findEndedHolders, { holders: ["job-live", "job-paused", "job-done", "job-purged"] })).toEqual([
      "job-done",
      "job-purged",
    ]);
  });

  it("raiseEventTo raises the event on the named instance", async () => {
    expect(
      await h.call(ACTIVITY.raiseEventTo, { instanceId: "cluster-jf-c1", eventName: "clusterCommand", payload: { type: "release" } }),
    ).toEqual({ raised: true });
    expect(h.durable.raised).toEqual([{ instanceId: "cluster-jf-c1", eventName: "clusterCommand", payload: { type: "release" } }]);
  });
});
