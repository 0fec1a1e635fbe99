// The cluster's side effects as one activity (functions/activities/clusterEffectsActivities.ts) on the cloud fakes:
// every part done as its own activity did it (ledger blob, events, notices raised, timing sample, price book, audit
// record, edge list), each attempted on its own; a failed retried part (ledger, notice, audit, edge list) is
// answered back — only the failed items — and a second call with that answer does them without repeating anything
// that succeeded; events, timings and prices are never retried.
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import { newLedger } from "../../../shared/cost/ledger";
import { ACTIVITY, EVENT } from "../../../shared/workflow/activities";
import type { ClusterSideEffectsInput } from "../../../shared/workflow/clusterSideEffects";
import { EDGE_VM, activityHarness } from "./harness";

const ledger = newLedger({
  clusterName: "jf-c1",
  profile: "default",
  profileHash: "hash-1",
  region: "westeurope",
  creator: "j1",
  tags: {},
});
const notice = { type: "ready" as const, clusterName: "jf-c1" };
const effects: ClusterSideEffectsInput = {
  ledger,
  events: [
    { type: "jobflow.cluster.ready", subject: "clusters/jf-c1", data: { clusterName: "jf-c1" } },
    { type: "jobflow.cluster.holderReconciled", subject: "clusters/jf-c1", data: { clusterName: "jf-c1" } },
  ],
  notices: [
    { instanceId: "j1", notice },
    { instanceId: "j2", notice },
  ],
  timings: [{ profileHash: "hash-1", clusterName: "jf-c1", kind: "provisioning", ms: 19 * 60_000 }],
  prices: { region: "westeurope" },
  edgesOf: "jf-c1",
};

describe("clusterSideEffects activity", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(async () => {
    h = activityHarness();
    await h.call(ACTIVITY.recordEdgeSync, { result: { vm: EDGE_VM, ok: true, mode: "attach", clusterName: "jf-c1" }, requestedBy: "j1" });
  });

  it("does every part once: ledger blob, events in order, one notice per holder, timing sample, prices, the edge list", async () => {
    const result = await h.call(ACTIVITY.clusterSideEffects, effects);
    expect(result).toEqual({ failed: [], edges: [EDGE_VM] });
    expect((await h.cloud.blobs.getJson(h.config.containers.jobs, "ledgers/jf-c1.json"))?.value).toEqual(ledger);
    expect(h.cloud.events.types()).toEqual(["jobflow.cluster.ready", "jobflow.cluster.holderReconciled"]);
    expect(h.durable.raised).toEqual([
      { instanceId: "j1", eventName: EVENT.clusterNotice, payload: notice },
      { instanceId: "j2", eventName: EVENT.clusterNotice, payload: notice },
    ]);
    expect(await h.call(ACTIVITY.getClusterTimingEstimate, { profileHash: "hash-1" })).toMatchObject({
      provisioning: { p50Ms: 19 * 60_000, samples: 1 },
    });
    expect(h.cloud.retailPrices.callsTo("listPrices").length).toBeGreaterThan(0);
  });

  it("answers only the failed retried items; the next call with that answer does them, nothing that succeeded is repeated", async () => {
    h.cloud.blobs.failNext("putJson", new JobflowError("TransientError", "blob write timed out", { statusCode: 503 })); // the ledger's
    h.durable.failNextRaise = new Error("HTTP 503 from the task hub"); // j1's notice
    h.cloud.events.failNext("publish", new JobflowError("TransientError", "topic busy", { statusCode: 503 }));
    const first = await h.call(ACTIVITY.clusterSideEffects, effects);
    expect(first.failed).toEqual(["events", "ledger", "notices"]);
    // Events are not retried (a second publish could double them); j2's notice, the edge list, timings went through.
    expect(first.retry).toEqual({ ledger, notices: [{ instanceId: "j1", notice }] });
    expect(first.edges).toEqual([EDGE_VM]);
    expect(h.durable.raised.map((r) => r.instanceId)).toEqual(["j2"]);
    expect(await h.cloud.blobs.getJson(h.config.containers.jobs, "ledgers/jf-c1.json")).toBeUndefined();

    const second = await h.call(ACTIVITY.clusterSideEffects, first.retry as ClusterSideEffectsInput);
    expect(second).toEqual({ failed: [] });
    expect(h.durable.raised.map((r) => r.instanceId)).toEqual(["j2", "j1"]); // each holder told exactly once
    expect(h.cloud.events.published).toEqual([]); // the failed publish stays lost, as the publishEvents activity left it
    expect((await h.cloud.blobs.getJson(h.config.containers.jobs, "ledgers/jf-c1.json"))?.value).toEqual(ledger);
    expect(await h.call(ACTIVITY.getClusterTimingEstimate, { profileHash: "hash-1" })).toMatchObject({ provisioning: { samples: 1 } });
  });

  it("an edge list that cannot be read is retried alone; an empty input does nothing", async () => {
    h.cloud.blobs.failNext("list", new JobflowError("TransientError", "list timed out", { statusCode: 503 }));
    const first = await h.call(ACTIVITY.clusterSideEffects, { edgesOf: "jf-c1" });
    expect(first).toEqual({ failed: ["edges"], retry: { edgesOf: "jf-c1" } });
    expect(await h.call(ACTIVITY.clusterSideEffects, { edgesOf: "jf-c1" })).toEqual({ failed: [], edges: [EDGE_VM] });
    expect(await h.call(ACTIVITY.clusterSideEffects, {})).toEqual({ failed: [] });
  });
});
