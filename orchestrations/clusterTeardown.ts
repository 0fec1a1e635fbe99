// The end of a cluster: request the delete and poll until ARM says it is gone — and never give up while it exists.
// A delete that fails (ARM 5xx, throttling, a lock, a transient auth problem) is asked again on a durable timer with
// a capped backoff (2 minutes doubling to an hour); after DELETE_FAILING_AFTER_ATTEMPTS failures, and again every
// that many, a `jobflow.cluster.deleteFailing` event tells operators (docs/events.md). The reaper stays the backstop
// for a cluster whose orchestration is gone. Commands arriving meanwhile are answered, never left waiting.
import type { OrchestrationContext, Task } from "durable-functions";
import { ACTIVITY, type ClusterCommand, type ClusterNotice, type ClusterStatusResult } from "../shared/workflow/activities";
import { notifyHolders } from "./clusterNotices";
import { callCloud } from "./cloudCall";
import type { CommandInbox } from "./commandInbox";
import { deleteFailingDue, deletePollDelayMs, deleteRetryDelayMs } from "../shared/workflow/teardownRules";
import { failureText } from "../shared/workflow/activityFailure";
import { at, nowIso, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

export interface TeardownProgress {
  deleteAttempts: number;
  deleteFailures: number;
  lastDeleteError?: string;
}

/**
 * Deletes `clusterName` and waits until it is gone. `refusal` is the notice an acquire gets meanwhile;
 * `report` receives the progress (custom status, so the API can say that teardown is still pending).
 */
export function* teardownCluster(
  context: OrchestrationContext,
  clusterName: string,
  inbox: CommandInbox<ClusterCommand>,
  refusal: ClusterNotice,
  report: (progress: TeardownProgress) => void,
  /** How long a delete of this profile's clusters usually takes (absent: unknown; the first look comes at 30 s). */
  expectedDeletionMs?: number,
): Generator<Task, void, unknown> {
  const progress: TeardownProgress = { deleteAttempts: 0, deleteFailures: 0 };
  let needDelete = true;
  let pollRound = 0;
  for (;;) {
    let waitMs = deletePollDelayMs(pollRound, expectedDeletionMs);
    if (needDelete) {
      progress.deleteAttempts += 1;
      try {
        yield* callCloud(context, ACTIVITY.beginDeleteCluster, { clusterName }, null);
        needDelete = false;
        progress.deleteFailures = 0;
        progress.lastDeleteError = undefined;
      } catch (err) {
        progress.deleteFailures += 1;
        progress.lastDeleteError = failureText(err);
        waitMs = deleteRetryDelayMs(progress.deleteFailures);
        if (deleteFailingDue(progress.deleteFailures)) {
          yield* callActivityTyped(context, ACTIVITY.publishEvents, [
            {
              type: "jobflow.cluster.deleteFailing",
              subject: `clusters/${clusterName}`,
              data: {
                clusterName,
                attempts: progress.deleteAttempts,
                consecutiveFailures: progress.deleteFailures,
                error: progress.lastDeleteError,
                nextAttemptAt: new Date(nowMs(context) + waitMs).toISOString(),
                time: nowIso(context),
              },
            },
          ]);
        }
      }
      report({ ...progress });
    }
    yield* waitServing(context, inbox, nowMs(context) + waitMs, refusal);
    let s: ClusterStatusResult | undefined;
    try {
      s = yield* callCloud(context, ACTIVITY.getClusterStatus, { clusterName }, null);
    } catch {
      s = undefined; // could not look: wait and look again (a failed read is no reason to stop)
    }
    if (s?.phase === "gone") return;
    if (s && s.phase !== "deleting") needDelete = true; // the delete did not take (e.g. still provisioning): ask again
    if (!needDelete) pollRound += 1;
  }
}

/** Waits until `untilMs`, answering every command that arrives (acquire → `refusal`; the rest are moot). */
function* waitServing(
  context: OrchestrationContext,
  inbox: CommandInbox<ClusterCommand>,
  untilMs: number,
  refusal: ClusterNotice,
): Generator<Task, void, unknown> {
  for (;;) {
    let cmd = inbox.next();
    if (cmd === undefined) {
      // A fresh timer per wait: a task may be yielded inside one Task.any only (the SDK would schedule it again).
      const timer = context.df.createTimer(at(Math.max(untilMs, nowMs(context))));
      const winner = (yield context.df.Task.any([inbox.waiter(), timer])) as Task;
      if (winner === timer) return;
      timer.cancel();
      cmd = inbox.next();
    }
    if (cmd?.type === "acquire") yield* notifyHolders(context, [cmd.replyTo], refusal);
  }
}
