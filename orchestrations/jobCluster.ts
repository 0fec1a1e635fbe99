// Cluster acquisition and release for the job orchestration. Acquire = (a scheduled run with a warm-up held for it:
// that cluster; warm: find a compatible warm cluster) →
// make sure the cluster's singleton orchestration exists → send it "acquire" → wait for its notice, a cancel or a
// timeout. A warm cluster that turns out to be going away ("unavailable") is replaced by a fresh one, once.
import type { OrchestrationContext, Task } from "durable-functions";
import { clusterNameForJob } from "../shared/builders/clusterName";
import {
  ACTIVITY,
  EVENT,
  clusterInstanceId,
  type ClusterCommand,
  type ClusterNotice,
  type ClusterOrchestrationInput,
  type SaveJobRecordInput,
} from "../shared/workflow/activities";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import { at, cloudRetry, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

export interface NoticeBox {
  /** The open waitForExternalEvent(clusterNotice) task; replaced each time it completes. */
  task: Task;
  /** Notices taken from `task` so far in this execution. */
  taken?: number;
}

export type AcquireResult =
  | { outcome: "ready"; clusterName: string; acquisition: "created" | "joined" }
  | { outcome: "failed"; clusterName?: string; acquisition?: "created" | "joined"; reason: string }
  | { outcome: "cancelled"; clusterName?: string; acquisition?: "created" | "joined" };

const DEFAULT_ACQUIRE_TIMEOUT_MINUTES = 90;

/** Sends a command to the cluster's orchestration; `save`: a job record save riding on it (answered: written?). */
export function* sendClusterCommand(
  context: OrchestrationContext,
  clusterName: string,
  payload: ClusterCommand,
  save?: SaveJobRecordInput,
): Generator<Task, boolean, unknown> {
  const sent = yield* callActivityTyped(
    context,
    ACTIVITY.raiseEventTo,
    { instanceId: clusterInstanceId(clusterName), eventName: EVENT.clusterCommand, payload, ...(save ? { save } : {}) },
    cloudRetry(),
  );
  return sent.saved === true;
}

export function* acquireCluster(
  context: OrchestrationContext,
  input: JobRunInput,
  notices: NoticeBox,
  cancel: Task,
  /**
   * A record save riding on the first acquireCluster call (written after the acquisition); when the ride fails it
   * goes on its own at once, before the wait for the cluster — so the save is done when the acquisition is sent.
   */
  save?: SaveJobRecordInput,
): Generator<Task, AcquireResult, unknown> {
  const { job, jobId } = input;
  for (let attempt = 0; attempt < 2; attempt++) {
    // A repair run's own cluster gets its own name: the previous run's cluster may still be being deleted.
    let clusterName = clusterNameForJob(input.repair ? `${jobId}-run${input.repair.run}` : jobId);
    let acquisition: "created" | "joined" = "created";
    if (job.cluster.reuse === "warm" && attempt === 0 && input.warmup) {
      // A scheduled run whose schedule holds a warm-up for it: join that cluster (same profile hash by construction).
      clusterName = input.warmup.clusterName;
      acquisition = "joined";
    }
    const clusterInput: ClusterOrchestrationInput = {
      clusterName,
      profileName: job.cluster.profile,
      overrides: job.cluster.overrides,
      profileHash: input.profileHash,
      owner: { jobId },
      keepWarmMinutes: job.cluster.keepWarmMinutes,
      ...(job.cluster.keepWarmPolicy ? { keepWarmPolicy: job.cluster.keepWarmPolicy } : {}),
      maxLifetimeMinutes: job.cluster.maxLifetimeMinutes,
      reuse: job.cluster.reuse,
      jobTags: job.tags,
      adlsAccounts: job.data.adls?.accounts ?? [],
      ...(input.profile ? { profile: input.profile } : {}),
    };
    // One activity: for a warm job without a warm-up, find a warm cluster or claim this job's name as the profile's
    // next one (concurrent warm jobs converge); make sure the cluster's orchestration runs; send it "acquire".
    const warm = job.cluster.reuse === "warm" && attempt === 0 && !input.warmup;
    const acquired = yield* callActivityTyped(
      context,
      ACTIVITY.acquireCluster,
      {
        cluster: clusterInput,
        holder: jobId,
        replyTo: jobId,
        ...(warm ? { warm: { profileHash: input.profileHash, minRemainingMinutes: 30, candidate: clusterName } } : {}),
        ...(save && attempt === 0 ? { save } : {}),
      },
      cloudRetry(),
    );
    if (save && attempt === 0 && acquired.saved !== true) yield* callActivityTyped(context, ACTIVITY.saveJobRecord, save, cloudRetry());
    if (acquired.joinedWarm) acquisition = "joined";
    clusterName = acquired.clusterName;

    const timeoutMinutes = input.acquireTimeoutMinutes ?? DEFAULT_ACQUIRE_TIMEOUT_MINUTES;
    const timer = context.df.createTimer(at(nowMs(context) + timeoutMinutes * 60_000));
    const winner = (yield context.df.Task.any([notices.task, cancel, timer])) as Task;
    if (winner === cancel) {
      timer.cancel();
      return { outcome: "cancelled", clusterName, acquisition };
    }
    if (winner === timer) {
      return {
        outcome: "failed",
        clusterName,
        acquisition,
        reason: `cluster ${clusterName} was not ready within ${timeoutMinutes} minutes`,
      };
    }
    timer.cancel();
    const notice = notices.task.result as ClusterNotice;
    notices.task = context.df.waitForExternalEvent(EVENT.clusterNotice);
    notices.taken = (notices.taken ?? 0) + 1;
    if (notice.type === "ready") return { outcome: "ready", clusterName, acquisition };
    if (notice.type === "unavailable" && attempt === 0) continue; // the warm cluster is going away: create our own
    return { outcome: "failed", clusterName, acquisition, reason: notice.reason };
  }
  return { outcome: "failed", reason: "no cluster could be acquired" };
}

/**
 * `drain`: why the job found the cluster unusable (no one else should join it), if it did. `save`: the job's final
 * record save riding on the release; true when it was written.
 */
export function* releaseCluster(
  context: OrchestrationContext,
  clusterName: string,
  jobId: string,
  terminate: boolean,
  drain?: string,
  save?: SaveJobRecordInput,
): Generator<Task, boolean, unknown> {
  return yield* sendClusterCommand(
    context,
    clusterName,
    drain ? { type: "release", holder: jobId, terminate, drain } : { type: "release", holder: jobId, terminate },
    save,
  );
}
