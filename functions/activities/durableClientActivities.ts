// Activities that talk to the Durable runtime itself (orchestrations cannot raise events on other instances or
// start singletons idempotently on their own): raise an event on another instance, make sure a cluster's singleton
// orchestration runs, find a compatible warm cluster among the running cluster orchestrations.
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import { OrchestrationRuntimeStatus } from "durable-functions";
import { appClock } from "../runtime/appClock";
import {
  ACTIVITY,
  ORCHESTRATION,
  clusterInstanceId,
  type ClusterOrchestrationInput,
} from "../../shared/workflow/activities";

const RUNNING = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.ContinuedAsNew];
const clientInput = df.input.durableClient();

df.app.activity(ACTIVITY.raiseEventTo, {
  extraInputs: [clientInput],
  handler: async (input: { instanceId: string; eventName: string; payload: unknown }, context: InvocationContext) => {
    const client = df.getClient(context);
    await client.raiseEvent(input.instanceId, input.eventName, input.payload);
    return { raised: true };
  },
});

df.app.activity(ACTIVITY.ensureClusterOrchestration, {
  extraInputs: [clientInput],
  handler: async (input: ClusterOrchestrationInput, context: InvocationContext) => {
    const client = df.getClient(context);
    const instanceId = clusterInstanceId(input.clusterName);
    const existing = await client.getStatus(instanceId).catch(() => undefined);
    if (existing && RUNNING.includes(existing.runtimeStatus)) return { instanceId, started: false };
    try {
      await client.startNew(ORCHESTRATION.cluster, { instanceId, input });
      return { instanceId, started: true };
    } catch (err) {
      // Another job started it between our status read and our start: that is the singleton we wanted.
      const again = await client.getStatus(instanceId).catch(() => undefined);
      if (again && RUNNING.includes(again.runtimeStatus)) return { instanceId, started: false };
      throw err;
    }
  },
});

interface ClusterCustomStatus {
  phase?: string;
  profileHash?: string;
  reuse?: string;
  expiresAt?: string;
  holders?: string[];
}

df.app.activity(ACTIVITY.findWarmCluster, {
  extraInputs: [clientInput],
  handler: async (input: { profileHash: string; minRemainingMinutes: number }, context: InvocationContext) => {
    const client = df.getClient(context);
    const instances = await client.getStatusBy({ runtimeStatus: RUNNING });
    const now = appClock().nowMs();
    const candidates = instances
      .filter((s) => s.instanceId.startsWith("cluster-") && s.name === ORCHESTRATION.cluster)
      .map((s) => ({ name: s.instanceId.slice("cluster-".length), status: (s.customStatus ?? {}) as ClusterCustomStatus }))
      .filter(({ status }) => status.reuse === "warm" && status.profileHash === input.profileHash)
      .filter(({ status }) => status.phase === "ready" || status.phase === "creating")
      .filter(({ status }) => !status.expiresAt || Date.parse(status.expiresAt) - now > input.minRemainingMinutes * 60_000)
      // Prefer a ready cluster, then the one that lives longest.
      .sort((a, b) => (a.status.phase === b.status.phase ? Date.parse(b.status.expiresAt ?? "") - Date.parse(a.status.expiresAt ?? "") : a.status.phase === "ready" ? -1 : 1));
    return candidates.length ? { clusterName: candidates[0].name } : {};
  },
});
