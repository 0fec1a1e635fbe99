// A schedule backfill (instance id = backfill id): one run per logical date, at most `maxConcurrent` in flight,
// oldest first. Each run is submitted by an activity through the POST /jobs path with the scheduled run's
// idempotency key, so a retried activity, a re-submitted backfill or the schedule itself never creates a job twice.
// In-flight runs are checked on a durable timer; the progress is the custom status, the summary the output.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import type { BackfillInput, BackfillStatus, SubmitScheduleRunInput } from "../shared/policies/workflowTypes";
import { ACTIVITY, ORCHESTRATION } from "../shared/workflow/activities";
import { JOB_STATES, JOB_TERMINAL_STATES, type JobState } from "../shared/states/job";
import { backfillMachine, backfillRunMachine } from "../shared/states/backfill";
import { transition } from "../shared/states/machine";
import { at, cloudRetry, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

const DEFAULT_POLL_MS = 60_000;
/** Backfill runs join warm clusters kept at least this long, so consecutive runs share one. */
const SHARE_WARM_MINUTES = 10;

const backfill: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as BackfillInput;
  const status: BackfillStatus = {
    backfillId: input.backfillId,
    scheduleId: input.scheduleId,
    state: "running",
    requestedAt: input.requestedAt,
    maxConcurrent: input.maxConcurrent,
    runs: input.runs.map((r) => ({ logicalDate: r.logicalDate, state: "waiting" })),
  };
  const inFlight = new Set<number>();
  let next = 0;
  for (;;) {
    while (inFlight.size < input.maxConcurrent && next < input.runs.length) {
      const i = next++;
      const run = input.runs[i];
      const submit: SubmitScheduleRunInput = {
        scheduleId: input.scheduleId,
        kind: "backfill",
        logicalDate: run.logicalDate,
        dataIntervalEnd: run.dataIntervalEnd,
        shareWarm: { minKeepWarmMinutes: SHARE_WARM_MINUTES },
      };
      if (input.parameters) submit.parameters = input.parameters;
      const result = yield* callActivityTyped(context, ACTIVITY.submitScheduleRun, submit, cloudRetry());
      const s = status.runs[i];
      if (result.outcome === "submitted") {
        s.jobId = result.jobId;
        s.state = transition(backfillRunMachine, s.state, "submitted");
        if (result.duplicate) s.duplicate = true;
        inFlight.add(i);
      } else {
        s.state = transition(backfillRunMachine, s.state, "submitRefused");
        s.reason = result.reason;
      }
    }
    context.df.setCustomStatus(status);
    if (inFlight.size === 0 && next >= input.runs.length) break;
    yield context.df.createTimer(at(nowMs(context) + (input.pollIntervalInMs ?? DEFAULT_POLL_MS)));
    const ids = [...inFlight].map((i) => status.runs[i].jobId as string);
    const states = yield* callActivityTyped(context, ACTIVITY.getJobStates, { jobIds: ids }, cloudRetry());
    for (const i of [...inFlight]) {
      const read = states[status.runs[i].jobId as string];
      // An unknown answer (no record yet) leaves the run where it is.
      const state = read && (JOB_STATES as readonly string[]).includes(read) ? (read as JobState) : undefined;
      if (state && state !== status.runs[i].state) status.runs[i].state = transition(backfillRunMachine, status.runs[i].state, state);
      if (JOB_TERMINAL_STATES.includes(status.runs[i].state as JobState)) inFlight.delete(i);
    }
  }
  status.state = transition(backfillMachine, status.state, "allRunsEnded");
  context.df.setCustomStatus(status);
  return status;
};

df.app.orchestration(ORCHESTRATION.backfill, backfill);
export default backfill;
