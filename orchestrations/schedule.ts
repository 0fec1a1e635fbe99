// A schedule (instance id = schedule id), eternal: read the schedule's record (Blob is the source of truth for
// paused/deleted, so a pause/resume event lost around continueAsNew only delays), compute the next occurrence in
// an activity (croner in the schedule's time zone: daylight-saving safe), sleep on a durable timer, run the
// occurrence (submit through the POST /jobs path with key <schedule>@<occurrence>, or record it skipped while the
// previous run is still going), then continueAsNew so the history never grows.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import { ACTIVITY, EVENT, ORCHESTRATION } from "../shared/workflow/activities";
import type { RunOccurrenceInput, RunOccurrenceResult, ScheduleOrchestrationInput, ScheduleState } from "../shared/policies/workflowTypes";
import { at, cloudRetry, nowIso, nowMs } from "./waits";

/** While paused, re-read the record this often even without an event. */
const PAUSED_RECHECK_MS = 60 * 60_000;
/** After downtime, occurrences older than this are not caught up (only the next one runs). */
const CATCH_UP_MS = 60_000;

const schedule: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ScheduleOrchestrationInput;
  const state = (yield context.df.callActivityWithRetry(ACTIVITY.getScheduleState, cloudRetry(), { scheduleId: input.scheduleId })) as ScheduleState;
  if (!state.exists) return { scheduleId: input.scheduleId, ended: "deleted" };
  const changed: Task = context.df.waitForExternalEvent(EVENT.scheduleChanged);

  if (state.paused) {
    context.df.setCustomStatus({ state: "paused", lastJobId: input.lastJobId });
    const timer = context.df.createTimer(at(nowMs(context) + PAUSED_RECHECK_MS));
    const winner = (yield context.df.Task.any([changed, timer])) as Task;
    if (winner !== timer) timer.cancel();
    // Occurrences that fell due while paused are not run afterwards.
    context.df.continueAsNew({ ...input, after: nowIso(context) });
    return undefined;
  }

  const after = new Date(Math.max(Date.parse(input.after), nowMs(context) - CATCH_UP_MS)).toISOString();
  const next = (yield context.df.callActivity(ACTIVITY.nextScheduleOccurrence, { cron: state.cron, timezone: state.timezone, after })) as { next?: string };
  if (!next.next) return { scheduleId: input.scheduleId, ended: "no further occurrence" };
  context.df.setCustomStatus({ state: "waiting", nextRunAt: next.next, lastJobId: input.lastJobId });
  const timer = context.df.createTimer(at(Date.parse(next.next)));
  const winner = (yield context.df.Task.any([changed, timer])) as Task;
  if (winner !== timer) {
    timer.cancel();
    context.df.continueAsNew(input); // re-read the record (paused, deleted, or a new cron)
    return undefined;
  }
  const runInput: RunOccurrenceInput = { scheduleId: input.scheduleId, occurrence: next.next };
  if (input.lastJobId) runInput.lastJobId = input.lastJobId;
  const result = (yield context.df.callActivityWithRetry(ACTIVITY.runScheduleOccurrence, cloudRetry(), runInput)) as RunOccurrenceResult;
  const carried: ScheduleOrchestrationInput = { scheduleId: input.scheduleId, after: next.next };
  const lastJobId = result.outcome === "submitted" ? result.jobId : input.lastJobId;
  if (lastJobId) carried.lastJobId = lastJobId;
  context.df.continueAsNew(carried);
  return undefined;
};

df.app.orchestration(ORCHESTRATION.schedule, schedule);
export default schedule;
