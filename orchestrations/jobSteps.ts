// The step phase of a job: start what the DAG and the concurrency budget allow, poll running Livy batches with one
// durable timer per round (one status probe per running step), retry, time out, apply ActionOnFailure, react to
// cancel and to the cluster's max-lifetime notice. Every finished attempt's log is copied to Blob and its Livy batch
// deleted (finishStep) before the step's final state is recorded. Every step state change goes through the step
// machine (shared/states/step.ts): a move the table does not allow throws instead of being recorded.
// Poll economy: the record is saved (and step events published) only when a round changed it, and the poll
// interval adapts (shared/workflow/stepPolling.ts).
import type { OrchestrationContext, Task } from "durable-functions";
import type { SparkStep } from "../shared/model/job";
import { ACTIVITY, EVENT, type ClusterNotice, type FinishStepInput, type StepStatusResult, type SubmitStepInput } from "../shared/workflow/activities";
import type { JobRecord, JobState, StepRecord } from "../shared/workflow/jobRecord";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import { livyOutcome } from "../shared/workflow/livyOutcome";
import { ACTION_ON_FAILURE } from "../shared/states/actionOnFailure";
import { transition } from "../shared/states/machine";
import { stepMachine, type StepEvent } from "../shared/states/step";
import { jobOutcome, mayRetry, stepPhaseDone, stepsToSkip, stepsToStart } from "../shared/workflow/stepScheduler";
import { nextPollDelayMs } from "../shared/workflow/stepPolling";
import { attemptsInRun } from "../shared/workflow/repair";
import type { NoticeBox } from "./jobCluster";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { callCloud } from "./cloudCall";
import { failureText, isActivityFailure, type ActivityFailure } from "../shared/workflow/activityFailure";

export interface StepPhaseResult {
  outcome: JobState;
  cancelled: boolean;
  fatal: boolean;
  terminateCluster: boolean;
  error?: string;
}

const DEFAULT_POLL_MS = 30_000;

interface Running {
  step: SparkStep;
  attempt: number;
  batchId: number;
  startedMs: number;
}

export function* runSteps(
  context: OrchestrationContext,
  input: JobRunInput,
  clusterName: string,
  record: JobRecord,
  notices: NoticeBox,
  cancel: Task,
  saveRecord: () => Generator<Task, void, unknown>,
): Generator<Task, StepPhaseResult, unknown> {
  const { job, jobId } = input;
  // Every save also publishes one jobflow.step.<state> event per step whose state changed since the last save.
  // A save that would write the same record (updatedAt aside) writes nothing: most poll rounds change nothing.
  const announced = new Map(record.steps.map((s) => [s.id, s.state as string]));
  const fingerprint = (): string => {
    const { updatedAt: _updatedAt, ...rest } = record; // no replacer function: this runs on every replayed round
    return JSON.stringify(rest);
  };
  let saved = fingerprint();
  let quietRounds = 0;
  const save = function* (): Generator<Task, void, unknown> {
    const now = fingerprint();
    if (now === saved) return;
    saved = now;
    quietRounds = 0;
    yield* saveRecord();
    const changed = record.steps.filter((s) => announced.get(s.id) !== s.state);
    if (changed.length === 0) return;
    for (const s of changed) announced.set(s.id, s.state);
    yield context.df.callActivity(ACTIVITY.publishEvents, changed.map((s) => ({ type: `jobflow.step.${s.state}`, subject: `jobs/${jobId}/steps/${s.id}`,
      data: { jobId, stepId: s.id, state: s.state, attempt: s.attempts.length, error: s.error, time: nowIso(context) } })));
  };
  const byId = new Map(job.steps.map((s) => [s.id, s]));
  const rec = (id: string): StepRecord => record.steps.find((s) => s.id === id) as StepRecord;
  const move = (s: StepRecord, event: StepEvent): void => {
    s.state = transition(stepMachine, s.state, event);
  };
  const cancelWaiting = (): void => {
    for (const s of record.steps) if (s.state === "pending" || s.state === "retrying") move(s, "cancel");
  };
  const running = new Map<string, Running>();
  const result: StepPhaseResult = { outcome: "running", cancelled: false, fatal: false, terminateCluster: false };
  const pollMs = input.stepPollIntervalInMs ?? DEFAULT_POLL_MS;

  const finish = function* (r: Running, livyState: string, error?: string): Generator<Task, void, unknown> {
    const finishInput: FinishStepInput = { jobId, clusterName, profileName: job.cluster.profile, stepId: r.step.id, attempt: r.attempt, batchId: r.batchId };
    const out = (yield context.df.callActivityWithRetry(ACTIVITY.finishStep, cloudRetry(), finishInput)) as { logBlob?: string };
    const a = rec(r.step.id).attempts.find((x) => x.attempt === r.attempt);
    if (a) {
      a.endedAt = nowIso(context);
      a.livyState = livyState;
      if (out.logBlob) a.logBlob = out.logBlob;
      if (error) a.error = error;
    }
    running.delete(r.step.id);
  };

  const fail = function* (stepId: string, state: "failed" | "timedOut", error: string): Generator<Task, void, unknown> {
    const s = rec(stepId);
    const step = byId.get(stepId) as SparkStep;
    // A repair run gets the step's full retry budget: only this run's attempts count.
    if (mayRetry(step.retries, attemptsInRun(s.attempts, input.repair?.run ?? 1))) {
      move(s, state === "failed" ? "failedWillRetry" : "timedOutWillRetry");
      s.error = error;
      return;
    }
    move(s, state);
    s.error = error;
    s.endedAt = nowIso(context);
    const effect = ACTION_ON_FAILURE[step.actionOnFailure];
    if (!effect.jobFails) return;
    result.fatal = true;
    result.terminateCluster = effect.terminateCluster;
    result.error = `step '${stepId}' ${state === "timedOut" ? "timed out" : "failed"} (${step.actionOnFailure}): ${error}`;
    if (effect.killRunning) yield* stopAll(`cancelled because step '${stepId}' failed (${step.actionOnFailure})`);
    if (effect.cancelPending) cancelWaiting();
  };

  const stopAll = function* (reason: string): Generator<Task, void, unknown> {
    for (const r of [...running.values()]) {
      // finishStep copies the log, then its Livy DELETE kills the running YARN application.
      yield* finish(r, "killed", reason);
      const s = rec(r.step.id);
      move(s, "cancel");
      s.error = reason;
      s.endedAt = nowIso(context);
    }
  };

  for (;;) {
    for (const id of stepsToSkip(job.steps, record.steps)) {
      move(rec(id), "skip");
      rec(id).error = "an upstream step did not succeed";
    }
    if (!result.fatal) {
      for (const id of stepsToStart(job.steps, record.steps, job.maxConcurrentSteps)) {
        const s = rec(id);
        const step = byId.get(id) as SparkStep;
        const attempt = s.attempts.length + 1;
        const submitInput: SubmitStepInput = { jobId, clusterName, profileName: job.cluster.profile, step, attempt, data: job.data };
        s.attempts.push(input.repair ? { attempt, startedAt: nowIso(context), run: input.repair.run } : { attempt, startedAt: nowIso(context) });
        s.startedAt = s.startedAt ?? nowIso(context);
        try {
          const out = yield* callCloud<{ batchId: number }>(context, ACTIVITY.submitStep, submitInput);
          const a = s.attempts[s.attempts.length - 1];
          a.batchId = out.batchId;
          move(s, "submit"); // "running" once Livy says so (see the status probe below)
          running.set(id, { step, attempt, batchId: out.batchId, startedMs: nowMs(context) });
        } catch (err) {
          s.attempts[s.attempts.length - 1].error = failureText(err);
          yield* fail(id, "failed", `submission failed: ${failureText(err)}`);
        }
      }
      yield* save();
    }
    if (running.size === 0 && (result.fatal || stepPhaseDone(job.steps, record.steps, job.maxConcurrentSteps))) break;

    const deadlinesMs = [...running.values()].filter((r) => r.step.timeoutMinutes !== undefined).map((r) => r.startedMs + (r.step.timeoutMinutes as number) * 60_000);
    const timer = context.df.createTimer(at(nowMs(context) + nextPollDelayMs({ baseMs: pollMs, quietRounds, nowMs: nowMs(context), deadlinesMs })));
    quietRounds++; // reset by the next save that writes a change
    const winner = (yield context.df.Task.any([timer, cancel, notices.task])) as Task;
    if (winner !== timer) timer.cancel();
    if (winner === cancel) {
      result.cancelled = true;
      yield* stopAll("cancelled by request");
      cancelWaiting();
      yield* save();
      break;
    }
    if (winner === notices.task) {
      const notice = notices.task.result as ClusterNotice;
      notices.task = context.df.waitForExternalEvent(EVENT.clusterNotice);
      if (notice.type === "expiring" || notice.type === "failed") {
        const reason = notice.reason;
        for (const r of [...running.values()]) {
          yield* finish(r, "killed", reason);
          move(rec(r.step.id), "failed");
          rec(r.step.id).error = reason;
        }
        cancelWaiting();
        result.fatal = true;
        result.error = reason;
        yield* save();
        break;
      }
      continue;
    }

    // One status probe per running step.
    const list = [...running.values()];
    const probes = list.map((r) => context.df.callActivityWithRetry(ACTIVITY.getStepStatus, cloudRetry(), { clusterName, profileName: job.cluster.profile, batchId: r.batchId }));
    yield context.df.Task.all(probes);
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const probed = probes[i].result as StepStatusResult | ActivityFailure;
      if (isActivityFailure(probed)) {
        // A permanent failure (e.g. the gateway rejects the cluster's login): not retried, the attempt fails.
        const why = `status check failed: ${failureText(probed)}`;
        const a = rec(r.step.id).attempts.find((x) => x.attempt === r.attempt);
        if (a) Object.assign(a, { endedAt: nowIso(context), error: why });
        running.delete(r.step.id);
        yield* fail(r.step.id, "failed", why);
        continue;
      }
      const status = probed;
      const a = rec(r.step.id).attempts.find((x) => x.attempt === r.attempt);
      if (a && status.appId) a.appId = status.appId;
      const outcome = livyOutcome(status.state);
      if (outcome === "active" && status.state.toLowerCase() === "running" && rec(r.step.id).state === "submitted") move(rec(r.step.id), "started");
      if (outcome === "succeeded") {
        yield* finish(r, status.state);
        const s = rec(r.step.id);
        move(s, "succeeded");
        s.endedAt = nowIso(context);
        delete s.error;
      } else if (outcome === "failed") {
        const why = status.clusterGone
          ? `cluster ${clusterName} no longer exists (deleted outside Jobflow?); Livy batch ${r.batchId} went with it`
          : `Livy batch ${r.batchId} ended ${status.state}${status.appId ? ` (YARN ${status.appId})` : ""}`;
        if (status.clusterGone) {
          // Nothing left to copy or delete: the batch and its log went with the cluster.
          const a = rec(r.step.id).attempts.find((x) => x.attempt === r.attempt);
          if (a) Object.assign(a, { endedAt: nowIso(context), livyState: status.state, error: why });
          running.delete(r.step.id);
        } else yield* finish(r, status.state, `Livy batch ended ${status.state}`);
        yield* fail(r.step.id, "failed", why);
      } else if (r.step.timeoutMinutes !== undefined && nowMs(context) - r.startedMs >= r.step.timeoutMinutes * 60_000) {
        yield* finish(r, "killed", `timed out after ${r.step.timeoutMinutes} minutes`);
        yield* fail(r.step.id, "timedOut", `attempt ${r.attempt} exceeded timeoutMinutes ${r.step.timeoutMinutes}`);
      }
    }
    yield* save();
  }
  result.outcome = jobOutcome(record.steps, result.fatal, result.cancelled);
  return result;
}
