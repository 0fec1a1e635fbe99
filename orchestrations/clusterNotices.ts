// Messages from the cluster orchestration to others: notices to holders (through the raiseEventTo activity, since
// an orchestration cannot raise an event on another instance by itself) and the detach of edges before delete
// (retried after the delete until it succeeds).
import type { OrchestrationContext, Task } from "durable-functions";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  edgeInstanceId,
  type ClusterNotice,
  type EdgeSyncInput,
  type EdgeSyncResult,
} from "../shared/workflow/activities";
import { deleteFailingDue, deleteRetryDelayMs } from "../shared/workflow/teardownRules";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { activityTask, callActivityTyped } from "./activityCall";

/** Hands `notice` to each holder, in parallel (one raiseEventTo activity each). */
export function* notifyHolders(
  context: OrchestrationContext,
  holders: readonly string[],
  notice: ClusterNotice,
): Generator<Task, void, unknown> {
  if (holders.length === 0) return;
  yield context.df.Task.all(
    holders.map((instanceId) =>
      activityTask(context, ACTIVITY.raiseEventTo, { instanceId, eventName: EVENT.clusterNotice, payload: notice }, cloudRetry()),
    ),
  );
}

/**
 * Detaches every edge VM recorded as attached to this cluster (DESIGN: detach before the cluster goes away).
 * Returns the VMs whose detach failed (edgeSync never throws; it reports).
 */
export function* detachEdgesOf(
  context: OrchestrationContext,
  clusterName: string,
  round = 0,
  /** The attached VMs, when already listed (by the teardown's side effects): no listEdgesAttachedTo of its own. */
  listed?: string[],
): Generator<Task, string[], unknown> {
  let vms: string[];
  try {
    vms = listed ?? (yield* callActivityTyped(context, ACTIVITY.listEdgesAttachedTo, { clusterName }, cloudRetry()));
  } catch {
    return []; // the edge records cannot be read now: never a reason to keep the cluster (edges are re-synced on attach)
  }
  if (vms.length === 0) return [];
  const opId = context.df.newGuid(`detach-${clusterName}-${round}`).slice(0, 8);
  const tasks = vms.map((vm) => {
    const input: EdgeSyncInput = { vm, mode: "detach", clusterName, requestedBy: `cluster-${clusterName}`, opId };
    return context.df.callSubOrchestrator(ORCHESTRATION.edgeSync, input, edgeInstanceId(vm, opId));
  });
  yield context.df.Task.all(tasks);
  return tasks
    .map((t) => t.result as EdgeSyncResult)
    .filter((r) => !r.ok)
    .map((r) => r.vm);
}

/**
 * Detach never gives up either: edges whose detach failed are detached again after the cluster is gone (a VM
 * pointing at a deleted cluster is wrong but costs nothing, so it does not hold the cluster up), on the delete's
 * backoff, with `jobflow.edge.detachFailing` after every DELETE_FAILING_AFTER_ATTEMPTS failed rounds.
 */
export function* retryDetaches(context: OrchestrationContext, clusterName: string, failed: string[]): Generator<Task, void, unknown> {
  for (let failures = 1; failed.length > 0; failures++) {
    const waitMs = deleteRetryDelayMs(failures);
    if (deleteFailingDue(failures)) {
      yield* callActivityTyped(
        context,
        ACTIVITY.publishEvents,
        failed.map((vm) => ({
          type: "jobflow.edge.detachFailing",
          subject: `edges/${vm}`,
          data: {
            vm,
            clusterName,
            consecutiveFailures: failures,
            nextAttemptAt: new Date(nowMs(context) + waitMs).toISOString(),
            time: nowIso(context),
          },
        })),
      );
    }
    yield context.df.createTimer(at(nowMs(context) + waitMs));
    failed = yield* detachEdgesOf(context, clusterName, failures);
  }
}
