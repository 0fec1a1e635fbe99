// The step phase of a job as its own orchestration (ORCHESTRATION.jobSteps, a sub-orchestration of jobRun): a thin
// executor over the pure decider shared/workflow/stepsDecider.ts, where every rule lives (DAG, concurrency,
// retries, timeouts, ActionOnFailure, cancel, cluster notices, poll economy, save-only-on-change). This file only
// turns the decider's commands into activities and durable timers, in order, and their results — or a cancel or
// cluster notice forwarded by jobRun — back into events.
//
// Why a sub-orchestration that continues as new: every poll round adds events to the history and the SDK replays
// the whole history on every new event, so a job's CPU grew quadratically with its rounds. Here the job's history
// grows by O(1) for the whole phase, and this one's is cut every STEP_COMMANDS_BEFORE_CONTINUE commands
// (shared/workflow/continuePolicy.ts): the decider's state is plain JSON, carried into the next execution's input
// with any control message already delivered.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  type FinishStepInput,
  type FollowUpProfile,
  type FollowUpSubmits,
  type SaveJobRecordInput,
  type SubmitStepInput,
} from "../shared/workflow/activities";
import type { JobRecord } from "../shared/workflow/jobRecord";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import type { JobSpec } from "../shared/model/job";
import { decide, initialStepsState } from "../shared/workflow/stepsDecider";
import { compactFollowUpStep } from "../shared/workflow/stepsFollowUps";
import type { StepPhaseResult, StepsCommand, StepsConfig, StepsEvent, StepsState } from "../shared/workflow/stepsTypes";
import { ActivityFailedError, failureText, isActivityFailure } from "../shared/workflow/activityFailure";
import { CommandInbox } from "./commandInbox";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { callCloud } from "./cloudCall";
import { activityTask, callActivityTyped, taskResult } from "./activityCall";
import { STEP_COMMANDS_BEFORE_CONTINUE } from "../shared/workflow/continuePolicy";
import { carryStepsState, restoreStepsState, type CarriedStepsState } from "../shared/workflow/stepsCarry";

export const DEFAULT_POLL_MS = 30_000;

/** jobRun → this orchestration (EVENT.stepsControl). */
export type StepsControl = { type: "cancel" } | { type: "notice"; notice: { type: string; reason?: string } };

/**
 * What the step phase needs of the job's input, and nothing more: this orchestration's input is part of its history,
 * replayed on every episode (a repair run's JobRunInput also holds the whole previous record). An input written by
 * older code carries the full JobRunInput, a superset of this (or lacks `job.name`: no step durations are read).
 */
export interface StepPhaseRun {
  jobId: string;
  job: Pick<JobSpec, "steps" | "data" | "maxConcurrentSteps"> & { cluster: Pick<JobSpec["cluster"], "profile">; name?: string };
  profile?: JobRunInput["profile"];
  stepPollIntervalInMs?: number;
  repair?: { run: number };
}

export function stepPhaseRun(input: JobRunInput): StepPhaseRun {
  const { jobId, job, profile, stepPollIntervalInMs, repair } = input;
  const { name, steps, data, maxConcurrentSteps, cluster } = job; // name: the key of the steps' learnt durations
  return {
    jobId,
    job: { name, steps, data, maxConcurrentSteps, cluster: { profile: cluster.profile } },
    ...(profile ? { profile } : {}),
    ...(stepPollIntervalInMs === undefined ? {} : { stepPollIntervalInMs }),
    ...(repair ? { repair: { run: repair.run } } : {}),
  };
}

export interface StepPhaseInput {
  run: StepPhaseRun;
  clusterName: string;
  /** The job record as last saved; this orchestration saves it (steps only) while the phase runs. */
  record: JobRecord;
  /**
   * Present after continueAsNew: the decider's state (waiting for its poll), undelivered control messages, and the
   * events of a save not yet written (its record is the carried one with the decider's steps).
   */
  carried?: { state: CarriedStepsState; control: StepsControl[]; unsaved?: { updatedAt: string; events: SaveJobRecordInput["events"] } };
}

export interface StepPhaseOutput {
  result: StepPhaseResult;
  steps: JobRecord["steps"];
}

export function stepsConfig(input: StepPhaseRun, clusterName: string): StepsConfig {
  const { job, repair } = input;
  return {
    steps: job.steps.map((s) => ({
      id: s.id,
      dependsOn: s.dependsOn,
      retries: s.retries,
      timeoutMinutes: s.timeoutMinutes,
      actionOnFailure: s.actionOnFailure,
    })),
    maxConcurrentSteps: job.maxConcurrentSteps,
    pollMs: input.stepPollIntervalInMs ?? DEFAULT_POLL_MS,
    run: repair?.run ?? 1,
    ...(repair ? { repairRun: repair.run } : {}),
    clusterName,
  };
}

const controlEvent = (c: StepsControl): StepsEvent =>
  c.type === "cancel" ? { type: "cancelRequested" } : { type: "clusterNotice", notice: c.notice };

const stepPhase: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as StepPhaseInput;
  const { run: jobInput, clusterName } = input;
  const { job, jobId } = jobInput;
  const config = stepsConfig(jobInput, clusterName);
  const restored = input.carried ? restoreStepsState(input.carried.state, input.record, config) : undefined;
  const record = restored?.record ?? input.record;
  const profileName = job.cluster.profile;
  // The gateway login's source, from the profile resolved at submit (small: the status probes carry it every round).
  const gateway = jobInput.profile ? { gateway: jobInput.profile.gateway } : {};
  const byId = new Map(job.steps.map((s) => [s.id, s]));
  const inbox = new CommandInbox<StepsControl>(context, EVENT.stepsControl, input.carried?.control ?? []);
  let state: StepsState = restored?.state ?? initialStepsState(config, record.steps);
  const queue: StepsCommand[] = [];
  let executed = 0;
  // The latest save the decider commanded and no activity has carried out yet: it rides on the next step activity
  // (StepSaveRider), or goes on its own when the phase ends. A newer save replaces it, keeping its events first.
  const unsaved = input.carried?.unsaved;
  let pendingSave: SaveJobRecordInput | undefined = unsaved
    ? {
        record: { ...record, steps: state.steps, updatedAt: unsaved.updatedAt },
        previousState: record.state,
        ...(unsaved.events ? { events: unsaved.events } : {}),
      }
    : undefined;
  const followUpProfile = (p: NonNullable<StepPhaseRun["profile"]>): FollowUpProfile => ({
    name: p.name,
    ...(p.s3a ? { s3a: p.s3a } : {}),
  });
  /** A probe's follow-up plan with what submitStep would get (the step, the data, the effective profile). */
  const followUps = (plan: { stepId: string; attempt: number }[]): FollowUpSubmits => ({
    data: job.data,
    ...(jobInput.profile ? { profile: followUpProfile(jobInput.profile) } : {}),
    steps: plan.map((f) => ({ step: compactFollowUpStep(byId.get(f.stepId)!), attempt: f.attempt })),
  });
  const rider = (): { save?: SaveJobRecordInput } => (pendingSave ? { save: pendingSave } : {});
  /** What the activity answered about the save it carried; one not written stays pending. */
  const settle = (carried: SaveJobRecordInput | undefined, saved: boolean | undefined): void => {
    if (carried && saved === true && pendingSave === carried) pendingSave = undefined;
  };
  const feed = (event: StepsEvent): void => {
    const d = decide(state, event, nowMs(context));
    state = d.state;
    queue.push(...d.commands);
  };

  /** Carry out one command; returns the events it produced, in order. */
  const carryOut = function* (cmd: StepsCommand): Generator<Task, StepsEvent[], unknown> {
    switch (cmd.type) {
      case "submitStep": {
        const submitInput: SubmitStepInput = {
          jobId,
          clusterName,
          profileName,
          step: byId.get(cmd.stepId)!,
          attempt: cmd.attempt,
          data: job.data,
          ...(jobInput.profile ? { profile: jobInput.profile } : {}),
          ...(state.durations === undefined && job.name !== undefined ? { durationsOf: { jobName: job.name } } : {}), // until known
          ...rider(),
        };
        try {
          const out = yield* callCloud(context, ACTIVITY.submitStep, submitInput);
          settle(submitInput.save, out.saved);
          return [{ type: "submitted", stepId: cmd.stepId, attempt: cmd.attempt, batchId: out.batchId, durations: out.durations }];
        } catch (err) {
          const kind = err instanceof ActivityFailedError ? "permanent" : "transient"; // transient = retries exhausted
          return [{ type: "submitFailed", stepId: cmd.stepId, attempt: cmd.attempt, kind, error: failureText(err) }];
        }
      }
      case "probeStatuses": {
        // One status probe per running step, in parallel; a probe that finds its batch ended also finishes it (log
        // copied, batch deleted), saving a finishStep call — the decider commands one when it did not — and, when it
        // succeeded, submits what the decider planned to start next (thenSubmit), saving a submitStep call. A cancel
        // arriving meanwhile waits in the inbox until every probe answered, so the batches they submitted are known
        // (and stopped) before it is acted upon. The first carries the pending save.
        const save = pendingSave;
        const probes = cmd.probes.map((p, i) =>
          activityTask(
            context,
            ACTIVITY.getStepStatus,
            {
              clusterName,
              profileName,
              batchId: p.batchId,
              ...gateway,
              finishIfEnded: { jobId, stepId: p.stepId, attempt: p.attempt },
              ...(p.thenSubmit ? { thenSubmit: followUps(p.thenSubmit) } : {}),
              ...(i === 0 && save ? { save } : {}),
            },
            cloudRetry(),
          ),
        );
        yield context.df.Task.all(probes);
        const first = probes[0] ? taskResult(ACTIVITY.getStepStatus, probes[0]) : undefined;
        settle(save, first && !isActivityFailure(first) ? first.saved : undefined);
        return cmd.probes.map((p, i): StepsEvent => {
          const probed = taskResult(ACTIVITY.getStepStatus, probes[i]);
          return isActivityFailure(probed)
            ? { type: "probeFailed", stepId: p.stepId, attempt: p.attempt, error: failureText(probed) }
            : { type: "probed", stepId: p.stepId, attempt: p.attempt, status: probed };
        });
      }
      case "finishStep": {
        const finishInput: FinishStepInput = {
          jobId,
          clusterName,
          profileName,
          stepId: cmd.stepId,
          attempt: cmd.attempt,
          batchId: cmd.batchId,
          ...gateway,
          ...rider(),
        };
        const out = yield* callActivityTyped(context, ACTIVITY.finishStep, finishInput, cloudRetry());
        settle(finishInput.save, out.saved);
        return [{ type: "finished", stepId: cmd.stepId, attempt: cmd.attempt, ...(out.logBlob ? { logBlob: out.logBlob } : {}) }];
      }
      case "saveRecord": {
        // Not an activity of its own: the save rides on the phase's next step activity (see pendingSave).
        record.steps = cmd.steps;
        record.updatedAt = nowIso(context);
        context.df.setCustomStatus({
          state: record.state,
          cluster: clusterName,
          steps: record.steps.map((s) => ({ id: s.id, state: s.state, attempts: s.attempts.length })),
        });
        const time = nowIso(context);
        const events = [
          ...(pendingSave?.events ?? []),
          ...cmd.events.map((e) => ({
            type: `jobflow.step.${e.state}`,
            subject: `jobs/${jobId}/steps/${e.stepId}`,
            data: { jobId, ...e, time },
          })),
        ];
        pendingSave = { record: { ...record }, previousState: record.state, ...(events.length > 0 ? { events } : {}) };
        return [];
      }
      case "wakeAt":
        return [yield* wait(cmd.atMs)];
      case "endPhase":
        return [];
    }
  };

  /** Sleep until the next poll; a control message (cancel, cluster notice) wakes the phase early. */
  const wait = function* (atMs: number): Generator<Task, StepsEvent, unknown> {
    const queued = inbox.next();
    if (queued) return controlEvent(queued);
    const timer = context.df.createTimer(at(atMs));
    const winner = (yield context.df.Task.any([timer, inbox.waiter()])) as Task;
    if (winner !== timer) timer.cancel();
    const control = inbox.next();
    return control ? controlEvent(control) : { type: "pollTimerFired" };
  };

  if (input.carried) {
    const control = inbox.next();
    feed(control ? controlEvent(control) : { type: "pollTimerFired" });
  } else feed({ type: "phaseStarted" });
  while (queue.length > 0) {
    const cmd = queue.shift()!;
    if (cmd.type === "endPhase") {
      const output: StepPhaseOutput = { result: cmd.result, steps: state.steps };
      if (pendingSave) yield* callActivityTyped(context, ACTIVITY.saveJobRecord, pendingSave, cloudRetry());
      return output; // the job hears it at once: it waits on this orchestration's completion (jobSteps.ts)
    }
    const events = yield* carryOut(cmd);
    if (cmd.type !== "saveRecord") executed++; // a save adds no history of its own (it rides on the next activity)
    if (cmd.type === "wakeAt" && executed >= STEP_COMMANDS_BEFORE_CONTINUE && queue.length === 0 && events[0]?.type === "pollTimerFired") {
      // The poll is due: hand it to the next execution with the state, and anything delivered meanwhile.
      inbox.drain();
      const carried = carryStepsState(state, record); // trimmed: the next execution replays its input on every episode
      const next: StepPhaseInput = {
        run: jobInput,
        clusterName,
        record: carried.record,
        carried: {
          state: carried.state,
          control: [...inbox.queue],
          ...(pendingSave ? { unsaved: { updatedAt: pendingSave.record.updatedAt, events: pendingSave.events ?? [] } } : {}),
        },
      };
      context.df.continueAsNew(next);
      return undefined;
    }
    for (const event of events) feed(event);
  }
  throw new Error("steps decider stopped without ending the phase");
};

df.app.orchestration(ORCHESTRATION.jobSteps, stepPhase);
export default stepPhase;
