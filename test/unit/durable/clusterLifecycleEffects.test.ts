// The real cluster orchestration (orchestrations/clusterLifecycle.ts) replayed by the durable-functions SDK on the
// local engine, its activities in-memory: a reuse-never cluster from create to gone, with its side effects as one
// clusterSideEffects activity per batch. Checked: the side effects of each step go out once, in one call; a call
// whose retried parts failed is followed — after a durable timer — by one with only those parts (so no event or
// notice is doubled); the teardown's edge list rides on its side effects; a cluster with a stuck ledger still ends.
import { describe, expect, it } from "vitest";
import clusterLifecycle from "../../../orchestrations/clusterLifecycle";
import { EVENT, ORCHESTRATION, type ClusterOrchestrationInput } from "../../../shared/workflow/activities";
import type { ClusterSideEffectsInput, ClusterSideEffectsResult } from "../../../shared/workflow/clusterSideEffects";
import { DEFAULT_CLUSTER_TIMINGS } from "../../../shared/workflow/clusterPolling";
import { T0, makeEngine, type OrchestratorFn } from "./helpers";

const MIN = 60_000;
const input: ClusterOrchestrationInput = {
  clusterName: "jf-c1",
  profileName: "default",
  overrides: {},
  profileHash: "hash-1",
  owner: { jobId: "j1" },
  keepWarmMinutes: 0,
  maxLifetimeMinutes: 240,
  reuse: "never",
  jobTags: {},
  adlsAccounts: [],
  costLedger: true,
};

/** A cluster ready 20 minutes after its create, gone 5 minutes after its delete; side effects failing as told. */
async function runCluster(failures: (call: ClusterSideEffectsInput, n: number) => ClusterSideEffectsResult) {
  let deleteAtMs: number | undefined;
  const effects: ClusterSideEffectsInput[] = [];
  const effectsAt: number[] = [];
  const t = await makeEngine(
    { [ORCHESTRATION.cluster]: clusterLifecycle as unknown as OrchestratorFn },
    {
      beginCreateCluster: () => ({
        accepted: true,
        nodes: [{ role: "workernode", vmSize: "E8", count: 2 }],
        region: "westeurope",
        timings: DEFAULT_CLUSTER_TIMINGS,
      }),
      getClusterStatus: () => {
        const now = t.clock.nowMs();
        if (deleteAtMs !== undefined)
          return now >= deleteAtMs + 5 * MIN ? { phase: "gone", errors: [] } : { phase: "deleting", errors: [] };
        return now >= T0 + 20 * MIN
          ? { phase: "ready", errors: [], gatewayEndpoint: "https://jf-c1.example" }
          : { phase: "creating", errors: [] };
      },
      findEndedHolders: () => [],
      beginDeleteCluster: () => ((deleteAtMs = t.clock.nowMs()), { accepted: true }),
      listEdgesAttachedTo: () => {
        throw new Error("listed by the side effects, never on its own");
      },
      clusterSideEffects: (call) => {
        effects.push(call as ClusterSideEffectsInput);
        effectsAt.push(t.clock.nowMs());
        return failures(call as ClusterSideEffectsInput, effects.length);
      },
    },
  );
  const id = "cluster-jf-c1";
  await t.engine.startNew(ORCHESTRATION.cluster, { instanceId: id, inputJson: JSON.stringify(input) });
  await t.engine.raiseEvent(id, EVENT.clusterCommand, JSON.stringify({ type: "acquire", holder: "j1", replyTo: "j1" }));
  await t.engine.runUntilIdle({ maxVirtualMs: 30 * MIN });
  await t.engine.raiseEvent(id, EVENT.clusterCommand, JSON.stringify({ type: "release", holder: "j1", terminate: false }));
  await t.engine.runUntilIdle({ maxVirtualMs: 60 * MIN });
  const record = t.engine.getInstance(id);
  const calls = t.invoker.activityCalls.map((c) => c.name);
  return { t, record, effects, effectsAt, calls, events: effects.flatMap((e) => (e.events ?? []).map((x) => x.type)) };
}

describe("clusterLifecycle side effects (one activity per batch)", () => {
  it("all going through: one call per lifecycle step, each event once, the edge list with the teardown's", async () => {
    const { record, effects, calls, events } = await runCluster((call) => ({ failed: [], ...(call.edgesOf ? { edges: [] } : {}) }));
    expect(record?.runtimeStatus).toBe("Completed");
    // created (ledger, prices, creating), ready (event, notice, sample), deleting (+ edge list), deleted (+ sample)
    expect(effects.length).toBe(4);
    expect(events).toEqual(["jobflow.cluster.creating", "jobflow.cluster.ready", "jobflow.cluster.deleting", "jobflow.cluster.deleted"]);
    expect(effects[1]?.notices).toEqual([{ instanceId: "j1", notice: expect.objectContaining({ type: "ready" }) }]);
    expect(effects[2]?.edgesOf).toBe("jf-c1");
    expect(effects.map((e) => e.ledger?.events.at(-1)?.type)).toEqual(["createAccepted", undefined, "deleteRequested", "deleted"]);
    expect(calls.filter((c) => c === "getClusterStatus").length).toBe(5); // 1, 10¼, 19½, 20 min; once after the delete
    expect(calls).not.toContain("getClusterTimingEstimate");
    expect(calls).not.toContain("listEdgesAttachedTo");
  });

  it("a ledger save and a notice failing once: one more call with only them, after a timer; nothing doubled", async () => {
    const { record, effects, effectsAt, events } = await runCluster((call, n) => {
      const edges = call.edgesOf ? { edges: [] } : {};
      if (n === 2) return { failed: ["notices"], retry: { notices: call.notices ?? [] } };
      if (n === 4) return { failed: ["ledger"], retry: { ledger: call.ledger ?? null }, ...edges } as ClusterSideEffectsResult;
      return { failed: [], ...edges };
    });
    expect(record?.runtimeStatus).toBe("Completed");
    // 2: ready (notice fails) → 3: the notice alone; 4: deleting (ledger fails) → 5: the ledger alone; 6: deleted.
    expect(effects[2]).toEqual({ notices: effects[1]?.notices });
    expect(Object.keys(effects[4] ?? {})).toEqual(["ledger"]);
    expect([(effectsAt[2] ?? 0) - (effectsAt[1] ?? 0), (effectsAt[4] ?? 0) - (effectsAt[3] ?? 0)]).toEqual([15_000, 15_000]);
    expect(effects.length).toBe(6);
    expect(events).toEqual(["jobflow.cluster.creating", "jobflow.cluster.ready", "jobflow.cluster.deleting", "jobflow.cluster.deleted"]);
    expect(effects.flatMap((e) => e.notices ?? []).length).toBe(2); // told once, retried once: the only failed part
  });

  it("a part failing on every call is given up after SIDE_EFFECT_ATTEMPTS calls; the cluster still ends", async () => {
    const { record, effects } = await runCluster((call) =>
      call.ledger ? { failed: ["ledger"], retry: { ledger: call.ledger } } : { failed: [], ...(call.edgesOf ? { edges: [] } : {}) },
    );
    expect(record?.runtimeStatus).toBe("Completed");
    // created: 1 + 5 retries; ready: 1; deleting: 1 + 5; deleted: 1 + 5
    expect(effects.length).toBe(6 + 1 + 6 + 6);
  });
});
