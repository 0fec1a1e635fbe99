// Messages from the cluster orchestration to others: notices to holders (through the raiseEventTo activity, since
// an orchestration cannot raise an event on another instance by itself) and the detach of edges before delete.
import type { OrchestrationContext, Task } from "durable-functions";
import { ACTIVITY, EVENT, ORCHESTRATION, edgeInstanceId, type ClusterNotice, type EdgeSyncInput } from "../shared/workflow/activities";
import { cloudRetry } from "./waits";

export function* notifyHolders(context: OrchestrationContext, holders: readonly string[], notice: ClusterNotice): Generator<Task, void, unknown> {
  if (holders.length === 0) return;
  yield context.df.Task.all(
    holders.map((instanceId) => context.df.callActivityWithRetry(ACTIVITY.raiseEventTo, cloudRetry(), { instanceId, eventName: EVENT.clusterNotice, payload: notice })),
  );
}

/** Detaches every edge VM recorded as attached to this cluster (DESIGN: detach before the cluster goes away). */
export function* detachEdgesOf(context: OrchestrationContext, clusterName: string): Generator<Task, void, unknown> {
  const vms = (yield context.df.callActivityWithRetry(ACTIVITY.listEdgesAttachedTo, cloudRetry(), { clusterName })) as string[];
  if (vms.length === 0) return;
  const opId = context.df.newGuid(`detach-${clusterName}`).slice(0, 8);
  yield context.df.Task.all(
    vms.map((vm) => {
      const input: EdgeSyncInput = { vm, mode: "detach", clusterName, requestedBy: `cluster-${clusterName}`, opId };
      return context.df.callSubOrchestrator(ORCHESTRATION.edgeSync, input, edgeInstanceId(vm, opId));
    }),
  );
}
