// Activities that talk to the Durable runtime, through the factory with a fake Durable client and the blob fake:
// the cluster singleton started once, warm-cluster matching and claims, ended holders, raised events, and the job
// record saves riding on the acquisition and the release.
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, ORCHESTRATION, type ClusterOrchestrationInput } from "../../../shared/workflow/activities";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { activityHarness, testJobRecord } from "./harness";

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

// A job record save riding on acquireCluster (the started save) and on raiseEventTo (the final save with the release):
// written after the call's own work, best effort — a failed save answers `saved: false` (the job sends it on its own)
// and never fails, so never repeats, the acquisition or the release.
describe("record saves riding on acquireCluster and raiseEventTo", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });
  const record = testJobRecord;
  const started = { type: "jobflow.job.started", subject: "jobs/job-1", data: { jobId: "job-1" } };
  const acquireInput = { cluster: { ...clusterInput, reuse: "never" as const }, holder: "job-1", replyTo: "job-1" };
  const stored = async (): Promise<JobRecord | undefined> =>
    (await h.cloud.blobs.getJson<JobRecord>(h.config.containers.jobs, "records/job-1.json"))?.value;

  it("acquireCluster: the cluster started with the acquire, then the record written and its event published", async () => {
    const result = await h.call(ACTIVITY.acquireCluster, {
      ...acquireInput,
      save: { record: record("acquiringCluster"), events: [started] },
    });
    expect(result).toEqual({ clusterName: "jf-c1", joinedWarm: false, saved: true });
    expect(h.durable.started.map((s) => s.instanceId)).toEqual(["cluster-jf-c1"]);
    expect((await stored())?.state).toBe("acquiringCluster");
    expect(h.cloud.events.types()).toEqual(["jobflow.job.started"]);
    // Without a rider: no `saved` at all.
    expect(await h.call(ACTIVITY.acquireCluster, { ...acquireInput, cluster: { ...acquireInput.cluster, clusterName: "jf-c9" } })).toEqual({
      clusterName: "jf-c9",
      joinedWarm: false,
    });
  });

  it("acquireCluster: a save that fails answers saved: false — the acquisition stands, done once, nothing published", async () => {
    h.cloud.blobs.failNext("putJson", new JobflowError("TransientError", "blob write timed out", { statusCode: 503 }));
    const result = await h.call(ACTIVITY.acquireCluster, {
      ...acquireInput,
      save: { record: record("acquiringCluster"), events: [started] },
    });
    expect(result).toEqual({ clusterName: "jf-c1", joinedWarm: false, saved: false });
    expect(h.durable.started.map((s) => s.instanceId)).toEqual(["cluster-jf-c1"]);
    expect(h.durable.raised).toEqual([]); // the acquire went with the start
    expect(await stored()).toBeUndefined();
    expect(h.cloud.events.published).toEqual([]);
  });

  it("raiseEventTo: the release raised, then the final record; a failed save leaves the release raised once", async () => {
    const release = {
      instanceId: "cluster-jf-c1",
      eventName: "clusterCommand",
      payload: { type: "release", holder: "job-1", terminate: false },
    };
    const done = { type: "jobflow.job.succeeded", subject: "jobs/job-1", data: { jobId: "job-1" } };
    h.cloud.blobs.failNext("putJson", new JobflowError("TransientError", "blob write timed out", { statusCode: 503 }));
    expect(await h.call(ACTIVITY.raiseEventTo, { ...release, save: { record: record("succeeded"), events: [done] } })).toEqual({
      raised: true,
      saved: false,
    });
    expect(h.durable.raised).toHaveLength(1);
    expect(h.cloud.events.published).toEqual([]);
    // The job's own save afterwards, then a ride that works.
    expect(await h.call(ACTIVITY.saveJobRecord, { record: record("succeeded"), events: [done] })).toEqual({ saved: true });
    expect(await h.call(ACTIVITY.raiseEventTo, { ...release, save: { record: record("succeeded"), previousState: "succeeded" } })).toEqual({
      raised: true,
      saved: true,
    });
    expect(h.cloud.events.types()).toEqual(["jobflow.job.succeeded"]);
    expect(await h.call(ACTIVITY.raiseEventTo, release)).toEqual({ raised: true });
  });

  it("raiseEventTo: a raise that fails throws (for the retry policy) and writes nothing", async () => {
    h.durable.failNextRaise = new Error("HTTP 503 from the task hub");
    const release = { instanceId: "cluster-jf-c1", eventName: "clusterCommand", payload: { type: "release" } };
    await expect(h.call(ACTIVITY.raiseEventTo, { ...release, save: { record: record("succeeded") } })).rejects.toThrow("HTTP 503");
    expect(await stored()).toBeUndefined();
  });
});
