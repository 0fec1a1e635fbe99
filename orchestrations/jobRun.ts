// The job orchestration (instance id = job id): acquire a cluster → attach edges → run the steps → copy logs →
// detach edges → release the cluster. It continues as new once, when the steps begin (input `resume`): the new
// execution's cancel and notice waiters were never raced before, so it waits for the step phase with no periodic
// check timer (orchestrations/jobSteps.ts), and its history starts short. The teardown path runs whatever happened before it: step failure, activity
// failure, timeout, max lifetime, cancel. The job record is written at every transition, and every state change
// goes through the job and step machines (shared/states/): a move their tables do not allow throws.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  type ClusterNotice,
  type EventDraft,
  type SaveJobRecordInput,
} from "../shared/workflow/activities";
import { JOB_TERMINAL_STATES, STEP_TERMINAL_STATES, newJobRecord, type JobRecord } from "../shared/workflow/jobRecord";
import { edgeMachine } from "../shared/states/edge";
import { jobMachine, teardownEventFor, type JobOutcome } from "../shared/states/job";
import { transition } from "../shared/states/machine";
import { stepMachine } from "../shared/states/step";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import { repairRecord } from "../shared/workflow/repair";
import { stepDurationSamples } from "../shared/workflow/stepDurations";
import { acquireCluster, releaseCluster, type NoticeBox } from "./jobCluster";
import { GATEWAY_REJECTED } from "../shared/workflow/activityFailure";
import { syncEdges } from "./jobEdges";
import { runSteps, type StepPhaseResult } from "./jobSteps";
import { cloudRetry, nowIso } from "./waits";
import { callActivityTyped } from "./activityCall";
import { raisedEventInputs } from "./executionHistory";

const jobRun: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as JobRunInput;
  const { jobId, job } = input;
  // A repair run starts from the previous run's record (kept in record.runs) and re-runs only some steps.
  const repair = input.repair;
  const run = repair?.run ?? 1;
  // The steps stage of this run (after continueAsNew); a repair's input copies its predecessor's, resume included.
  const resume = input.resume?.run === run ? input.resume : undefined;
  const record: JobRecord = resume
    ? resume.record
    : repair
      ? repairRecord(repair.previous, repair.run, repair.steps, repair.requestedAt)
      : newJobRecord(jobId, job, input.submittedAt);
  if (input.warmup && !repair && !resume) record.cluster.warmup = input.warmup;
  let indexedState: string | undefined = resume ? resume.indexedState : repair?.previous.state;
  /** The save of the record as it is now, then `events` (custom status updated): for saveJobRecord or a riding save. */
  const saveInput = (...events: EventDraft[]): SaveJobRecordInput => {
    record.updatedAt = nowIso(context);
    context.df.setCustomStatus({
      state: record.state,
      cluster: record.cluster.name,
      steps: record.steps.map((s) => ({ id: s.id, state: s.state, attempts: s.attempts.length })),
    });
    return { record, previousState: indexedState, ...(events.length > 0 ? { events } : {}) };
  };
  /** Saves the record and then publishes `events` in the same activity (one episode, not two). */
  const save = function* (...events: EventDraft[]): Generator<Task, void, unknown> {
    yield* callActivityTyped(context, ACTIVITY.saveJobRecord, saveInput(...events), cloudRetry());
    indexedState = record.state;
  };
  const event = (type: string, data: Record<string, unknown>): EventDraft => ({
    type,
    subject: `jobs/${jobId}`,
    data: { jobId, ...data, time: nowIso(context) },
  });

  const cancel = context.df.waitForExternalEvent(EVENT.cancel);
  const notices = { task: context.df.waitForExternalEvent(EVENT.clusterNotice) };
  let cancelled = false;
  let fatal = false;
  let terminateCluster = false;
  let steps: StepPhaseResult | undefined;
  const applySteps = (result: StepPhaseResult): void => {
    steps = result;
    cancelled = result.cancelled;
    fatal = result.fatal;
    terminateCluster = result.terminateCluster;
    if (result.error) record.error = result.error;
  };
  if (!resume) record.startedAt = nowIso(context);

  try {
    if (resume) applySteps(yield* runSteps(context, input, resume.clusterName, record, notices, cancel, true));
    else {
      // The first save is already the started one (the record, then the job's started event), and it rides on the
      // acquisition: one activity for both (jobCluster.ts sends it on its own at once if the ride failed).
      record.state = transition(jobMachine, record.state, "start");
      const started = saveInput(
        event("jobflow.job.started", repair ? { name: job.name, run: repair.run, rerunSteps: repair.steps } : { name: job.name }),
      );
      const acquired = yield* acquireCluster(context, input, notices, cancel, started);
      indexedState = started.record.state;
      record.cluster.name = acquired.clusterName;
      record.cluster.acquisition = acquired.acquisition;
      if (acquired.outcome === "cancelled") cancelled = true;
      else if (acquired.outcome === "failed") {
        fatal = true;
        record.error = acquired.reason;
      } else {
        record.cluster.readyAt = nowIso(context);
        // Published with the next save (attaching edges, or running the steps): one activity.
        let ready: EventDraft[] = [
          event("jobflow.job.clusterReady", { clusterName: acquired.clusterName, acquisition: acquired.acquisition }),
        ];
        if (job.edges.length > 0) {
          record.state = transition(jobMachine, record.state, "attachEdges");
          yield* save(...ready);
          ready = [];
          const edgeResults = yield* syncEdges(context, job.edges, "attach", acquired.clusterName, job.cluster.profile, jobId);
          for (const r of edgeResults) {
            const e = record.edges.find((x) => x.vm === r.vm);
            if (e) {
              e.state = transition(edgeMachine, e.state, r.ok ? "attached" : "attachFailed");
              if (!r.ok) e.error = r.message;
            }
          }
          if (edgeResults.some((r) => !r.ok)) {
            fatal = true;
            record.error = `edge attach failed: ${edgeResults
              .filter((r) => !r.ok)
              .map((r) => `${r.vm}: ${r.message}`)
              .join("; ")}`;
          }
        }
        if (!fatal) {
          record.state = transition(jobMachine, record.state, "runSteps");
          yield* save(...ready);
          if (nothingDelivered(context, cancel, notices)) {
            const next: JobRunInput = {
              ...input,
              resume: { run, record, clusterName: acquired.clusterName, ...(indexedState ? { indexedState } : {}) },
            };
            context.df.continueAsNew(next);
            return undefined;
          }
          applySteps(yield* runSteps(context, input, acquired.clusterName, record, notices, cancel));
        }
      }
    }
  } catch (err) {
    // An activity failed for good (retries exhausted): the job fails, teardown still runs.
    fatal = true;
    record.error = `internal failure: ${(err as Error).message.split("\n")[0]}`;
  }

  // Teardown — always. The tearingDown record is saved when there are edges to detach (that takes a while); without,
  // the release comes next, and the job's final save rides on it (one activity, one episode).
  record.state = transition(jobMachine, record.state, "tearDown");
  const clusterName = record.cluster.name;
  const attached = record.edges.filter((e) => e.state === "attached").map((e) => e.vm);
  if (attached.length > 0) yield* save();
  try {
    if (attached.length > 0 && clusterName) {
      const detached = yield* syncEdges(context, attached, "detach", clusterName, job.cluster.profile, jobId);
      for (const r of detached) {
        const e = record.edges.find((x) => x.vm === r.vm);
        if (e) e.state = transition(edgeMachine, e.state, r.ok ? "detached" : "detachFailed");
      }
    }
  } catch (err) {
    record.error = (record.error ? record.error + "; " : "") + `edge detach failed: ${(err as Error).message.split("\n")[0]}`;
  }
  // A finished job has no step left pending or running: whatever never ran (cancel, failed acquire or attach,
  // internal failure) is cancelled, with the reason when there is one.
  for (const s of record.steps) {
    if (STEP_TERMINAL_STATES.includes(s.state)) continue;
    s.state = transition(stepMachine, s.state, "cancel");
    if (!cancelled && record.error && !s.error) s.error = `not run: ${record.error}`;
  }
  const stepsOutcome = steps && JOB_TERMINAL_STATES.includes(steps.outcome) ? (steps.outcome as JobOutcome) : undefined;
  const outcome: JobOutcome = cancelled ? "cancelled" : fatal || !stepsOutcome ? "failed" : stepsOutcome;
  // The release is sent before the final record is written, so the record's releasedAt is the release's time.
  if (clusterName) record.cluster.releasedAt = nowIso(context);
  record.state = transition(jobMachine, record.state, teardownEventFor(outcome));
  record.endedAt = nowIso(context);
  const final = event(`jobflow.job.${record.state}`, { state: record.state, error: record.error, clusterName });
  // The job's step durations ride on its final save, whichever activity carries it: its name's next jobs poll by them.
  const samples = steps ? stepDurationSamples(record) : [];
  const finalSave = (): SaveJobRecordInput => ({
    ...saveInput(final),
    ...(samples.length > 0 ? { stepDurations: { jobName: job.name, jobId, samples } } : {}),
  });
  let saved = false;
  if (clusterName) {
    // A gateway that rejected the cluster's own login (even after a re-read) makes the cluster useless to others.
    const rejected = [record.error, ...record.steps.map((s) => s.error)].find((e) => e?.includes(GATEWAY_REJECTED));
    const drain = rejected ? `${GATEWAY_REJECTED} while job ${jobId} ran` : undefined;
    // Cost is not estimated here: it is the job's share of the cluster's ledger (shared/cost), read with the record.
    saved = yield* releaseCluster(context, clusterName, jobId, terminateCluster, drain, finalSave());
  }
  if (saved) indexedState = record.state;
  else yield* callActivityTyped(context, ACTIVITY.saveJobRecord, finalSave(), cloudRetry()); // no cluster, or the riding save failed
  return { id: jobId, state: record.state, error: record.error };
};

/**
 * Before continuing as new: true when no cancel and no notice beyond those taken has reached this execution — read
 * by the SDK or not yet (it stops reading the history at continueAsNew, so an event after the one that resumed the
 * job, in the same batch, would die with this execution: orchestrations/commandInbox.ts). Such an event keeps the
 * job in this execution, where the step loop handles it. The history is the SDK context's `state` (executionHistory.ts).
 */
function nothingDelivered(context: OrchestrationContext, cancel: Task, notices: NoticeBox): boolean {
  if (cancel.isCompleted || notices.task.isCompleted) return false;
  const raised = (name: string): number => raisedEventInputs(context, name).length;
  return raised(EVENT.cancel) === 0 && raised(EVENT.clusterNotice) <= (notices.taken ?? 0);
}

df.app.orchestration(ORCHESTRATION.jobRun, jobRun);
export default jobRun;
export type { ClusterNotice };
