// The step phase as jobRun sees it: start the phase's own orchestration (stepPhase.ts, instance
// `<job instance>-steps-<run>`), forward to it the cancel and the cluster notices that arrive at the job, and take
// back its result and the steps it recorded. The job's history grows by a handful of events for the whole phase: in
// the execution jobRun continues as new into for its steps (`fresh`), one wait with no timer at all; otherwise a
// check timer per longest poll interval (why: below). The rules themselves are in shared/workflow/stepsDecider.ts.
import type { OrchestrationContext, Task } from "durable-functions";
import * as df from "durable-functions";
import { ACTIVITY, EVENT, ORCHESTRATION, type ClusterNotice, type StepsEndedNotice } from "../shared/workflow/activities";
import type { JobRecord } from "../shared/workflow/jobRecord";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import type { StepPhaseResult } from "../shared/workflow/stepsTypes";
import type { NoticeBox } from "./jobCluster";
import type { StepPhaseInput, StepPhaseOutput, StepsControl } from "./stepPhase";
import { DEFAULT_POLL_MS, stepPhaseRun } from "./stepPhase";
import { MAX_POLL_FACTOR } from "../shared/workflow/stepPolling";
import { at, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

export type { StepPhaseResult } from "../shared/workflow/stepsTypes";

/** The step phase's instance id: one per job run, so a repair run gets a fresh one. */
export const stepPhaseInstanceId = (jobInstanceId: string, run: number): string => `${jobInstanceId}-steps-${run}`;

/** Forwarding is retried briefly; if it still fails, the phase has already ended (nothing left to tell). */
function forwardRetry(): df.RetryOptions {
  const r = new df.RetryOptions(2_000, 3);
  r.backoffCoefficient = 2;
  return r;
}

export function* runSteps(
  context: OrchestrationContext,
  input: JobRunInput,
  clusterName: string,
  record: JobRecord,
  notices: NoticeBox,
  cancel: Task,
  /** `cancel` and `notices.task` were never yielded before in this execution (jobRun continued as new for its steps). */
  fresh = false,
): Generator<Task, StepPhaseResult, unknown> {
  const run = input.repair?.run ?? 1;
  const childId = stepPhaseInstanceId(context.df.instanceId, run);
  const childInput: StepPhaseInput = { run: stepPhaseRun(input), clusterName, record };
  const child = context.df.callSubOrchestrator(ORCHESTRATION.jobSteps, childInput, childId);
  let cancelForwarded = false;
  const forward = function* (payload: StepsControl): Generator<Task, void, unknown> {
    try {
      yield* callActivityTyped(
        context,
        ACTIVITY.raiseEventTo,
        { instanceId: childId, eventName: EVENT.stepsControl, payload },
        forwardRetry(),
      );
    } catch {
      // The phase ended while the message was on its way: there is nothing left for it to stop.
    }
  };
  const checkMs = MAX_POLL_FACTOR * (input.stepPollIntervalInMs ?? DEFAULT_POLL_MS);
  // Two runtime rules shape this loop. (1) A task already scheduled must never be yielded inside a second Task.any:
  // the SDK would emit its action again (a second sub-orchestration start). So `child` is raced once, and after
  // that its completion is read on each wake-up. (2) The Durable extension hands an event to the *oldest* open
  // waiter of its name, and acquireCluster's lost race left one open for "cancel" (see commandInbox.ts): the SDK
  // sees the event at once, but the runtime carries out what follows only when the current Task.any completes —
  // hence the timer, which bounds how late a cancel, a notice or the phase's end is acted upon. (jobRun normally
  // takes the `fresh` path above; this loop runs when a cancel or a notice arrived just before the steps began.)
  const collect = function* (): Generator<Task, StepPhaseResult, unknown> {
    const out = (yield child) as StepPhaseOutput; // rethrows if the phase failed
    record.steps = out.steps;
    return out.result;
  };
  /**
   * Takes the notice that completed `notices.task` (opening the next waiter) and forwards it to the phase. "ended":
   * this run's phase said it ended (phases of older code send `stepsEnded`); "stops": a notice the phase stops on.
   */
  const takeNotice = function* (): Generator<Task, "ended" | "stops" | "goesOn", unknown> {
    const notice = notices.task.result as ClusterNotice | StepsEndedNotice;
    notices.task = context.df.waitForExternalEvent(EVENT.clusterNotice);
    if (notice.type === "stepsEnded") return notice.run === run ? "ended" : "goesOn";
    yield* forward({ type: "notice", notice: { type: notice.type, ...("reason" in notice ? { reason: notice.reason } : {}) } });
    return notice.type === "expiring" || notice.type === "failed" ? "stops" : "goesOn";
  };
  if (fresh) {
    // No waiter of this execution was left open by an earlier Task.any, so the runtime and the SDK hand an event to
    // the same waiter, and this one wait needs no timer: the phase's end, a cancel or a notice wakes the job at once.
    const winner = (yield context.df.Task.any([child, cancel, notices.task])) as Task;
    if (winner === child) return yield* collect();
    if (winner === cancel) {
      yield* forward({ type: "cancel" });
      return yield* collect(); // the phase stops what runs and ends; a later cancel or notice would change nothing
    }
    if ((yield* takeNotice()) !== "goesOn") return yield* collect(); // the phase ends or stops on it
    // Any other notice changes nothing for the phase: it goes on, and the loop below (with its check timer, since
    // the waiters above stay open) hears the rest.
  }
  let first = !fresh;
  while (!child.isCompleted && !child.isFaulted) {
    const timer = context.df.createTimer(at(nowMs(context) + checkMs));
    const winner = (yield context.df.Task.any([
      ...(first ? [child] : []),
      ...(cancelForwarded ? [] : [cancel]),
      notices.task,
      timer,
    ])) as Task;
    first = false;
    if (winner !== timer) timer.cancel();
    if (winner === child || winner === timer) continue;
    if (winner === cancel) {
      cancelForwarded = true;
      yield* forward({ type: "cancel" });
      continue;
    }
    if ((yield* takeNotice()) === "ended") break; // read the phase's result now, not at the next check
  }
  return yield* collect();
}
