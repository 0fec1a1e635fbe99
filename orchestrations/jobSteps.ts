// The step phase of a job, as a thin orchestrator over the pure decider shared/workflow/stepsDecider.ts: every
// rule (DAG, concurrency, retries, timeouts, ActionOnFailure, cancel, cluster notices, poll economy, "save only on
// change") is decided there. This file only turns the decider's commands into activities and durable timers, in
// order, and their results (or a cancel, or a cluster notice heard while waiting) back into events.
import type { OrchestrationContext, Task } from "durable-functions";
import { ACTIVITY, EVENT, type ClusterNotice, type FinishStepInput, type StepStatusResult, type SubmitStepInput } from "../shared/workflow/activities";
import type { JobRecord } from "../shared/workflow/jobRecord";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import { decide, initialStepsState, type StepsCommand, type StepsEvent, type StepsState } from "../shared/workflow/stepsDecider";
import type { StepPhaseResult, StepsConfig } from "../shared/workflow/stepsTypes";
import { ActivityFailedError, failureText, isActivityFailure, type ActivityFailure } from "../shared/workflow/activityFailure";
import type { NoticeBox } from "./jobCluster";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { callCloud } from "./cloudCall";

export type { StepPhaseResult } from "../shared/workflow/stepsTypes";

const DEFAULT_POLL_MS = 30_000;

export function stepsConfig(input: JobRunInput, clusterName: string): StepsConfig {
  const { job, repair } = input;
  return {
    steps: job.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn, retries: s.retries, timeoutMinutes: s.timeoutMinutes, actionOnFailure: s.actionOnFailure })),
    maxConcurrentSteps: job.maxConcurrentSteps,
    pollMs: input.stepPollIntervalInMs ?? DEFAULT_POLL_MS,
    run: repair?.run ?? 1,
    ...(repair ? { repairRun: repair.run } : {}),
    clusterName,
  };
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
  const profileName = job.cluster.profile;
  const byId = new Map(job.steps.map((s) => [s.id, s]));
  let state: StepsState = initialStepsState(stepsConfig(input, clusterName), record.steps);
  const queue: StepsCommand[] = [];
  const feed = (event: StepsEvent): void => {
    const d = decide(state, event, nowMs(context));
    state = d.state;
    queue.push(...d.commands);
  };

  /** Carry out one command; returns the events it produced, in order. */
  const run = function* (cmd: StepsCommand): Generator<Task, StepsEvent[], unknown> {
    switch (cmd.type) {
      case "submitStep": {
        const submitInput: SubmitStepInput = { jobId, clusterName, profileName, step: byId.get(cmd.stepId)!, attempt: cmd.attempt, data: job.data };
        try {
          const out = yield* callCloud<{ batchId: number }>(context, ACTIVITY.submitStep, submitInput);
          return [{ type: "submitted", stepId: cmd.stepId, attempt: cmd.attempt, batchId: out.batchId }];
        } catch (err) {
          const kind = err instanceof ActivityFailedError ? "permanent" : "transient"; // transient = retries exhausted
          return [{ type: "submitFailed", stepId: cmd.stepId, attempt: cmd.attempt, kind, error: failureText(err) }];
        }
      }
      case "probeStatuses": {
        // One status probe per running step, in parallel.
        const probes = cmd.probes.map((p) => context.df.callActivityWithRetry(ACTIVITY.getStepStatus, cloudRetry(), { clusterName, profileName, batchId: p.batchId }));
        yield context.df.Task.all(probes);
        return cmd.probes.map((p, i): StepsEvent => {
          const probed = probes[i].result as StepStatusResult | ActivityFailure;
          return isActivityFailure(probed)
            ? { type: "probeFailed", stepId: p.stepId, attempt: p.attempt, error: failureText(probed) }
            : { type: "probed", stepId: p.stepId, attempt: p.attempt, status: probed };
        });
      }
      case "finishStep": {
        const finishInput: FinishStepInput = { jobId, clusterName, profileName, stepId: cmd.stepId, attempt: cmd.attempt, batchId: cmd.batchId };
        const out = (yield context.df.callActivityWithRetry(ACTIVITY.finishStep, cloudRetry(), finishInput)) as { logBlob?: string };
        return [{ type: "finished", stepId: cmd.stepId, attempt: cmd.attempt, ...(out.logBlob ? { logBlob: out.logBlob } : {}) }];
      }
      case "saveRecord":
        record.steps = cmd.steps;
        yield* saveRecord();
        return [];
      case "publishStepEvents": {
        const time = nowIso(context);
        yield context.df.callActivity(ACTIVITY.publishEvents, cmd.events.map((e) => ({ type: `jobflow.step.${e.state}`, subject: `jobs/${jobId}/steps/${e.stepId}`, data: { jobId, ...e, time } })));
        return [];
      }
      case "wakeAt":
        return [yield* wait(cmd.atMs)];
      case "endPhase":
        return [];
    }
  };

  /** Sleep until the next poll; a cancel or a cluster notice wakes the phase early. */
  const wait = function* (atMs: number): Generator<Task, StepsEvent, unknown> {
    const timer = context.df.createTimer(at(atMs));
    const winner = (yield context.df.Task.any([timer, cancel, notices.task])) as Task;
    if (winner !== timer) timer.cancel();
    if (winner === timer) return { type: "pollTimerFired" };
    if (winner === cancel) return { type: "cancelRequested" };
    const notice = notices.task.result as ClusterNotice;
    notices.task = context.df.waitForExternalEvent(EVENT.clusterNotice);
    return { type: "clusterNotice", notice: { type: notice.type, ...("reason" in notice ? { reason: notice.reason } : {}) } };
  };

  feed({ type: "phaseStarted" });
  while (queue.length > 0) {
    const cmd = queue.shift()!;
    if (cmd.type === "endPhase") {
      record.steps = state.steps;
      return cmd.result;
    }
    for (const event of yield* run(cmd)) feed(event);
  }
  throw new Error("steps decider stopped without ending the phase");
}
