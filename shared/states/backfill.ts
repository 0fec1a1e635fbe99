// A schedule backfill (orchestrations/backfill.ts) and each of its runs. A run waits for its turn, is submitted
// (its job starts queued) or refused, then mirrors its job's state as the backfill reads it: any move the job makes
// is allowed (the job's own machine vouches for it), nothing moves once the run ended.
import type { StateMachine } from "./machine";
import { JOB_STATES, JOB_TERMINAL_STATES, type JobState } from "./job";

export const BACKFILL_RUN_STATES = ["waiting", ...JOB_STATES] as const;
export type BackfillRunState = (typeof BACKFILL_RUN_STATES)[number];

/** "submitted" / "submitRefused", or the job state the backfill just read (the run takes it). */
export type BackfillRunEvent = "submitted" | "submitRefused" | JobState;
export const BACKFILL_RUN_EVENTS: readonly BackfillRunEvent[] = ["submitted", "submitRefused", ...JOB_STATES];

const TERMINAL: readonly JobState[] = JOB_TERMINAL_STATES;
const mirror = Object.fromEntries(JOB_STATES.map((s) => [s, s])) as Record<JobState, JobState>;

export const backfillRunMachine: StateMachine<BackfillRunState, BackfillRunEvent> = {
  name: "backfillRun",
  states: BACKFILL_RUN_STATES,
  events: BACKFILL_RUN_EVENTS,
  initial: "waiting",
  terminal: TERMINAL,
  failed: ["failed"],
  transitions: {
    waiting: { submitted: "queued", submitRefused: "failed" },
    ...(Object.fromEntries(JOB_STATES.map((s) => [s, TERMINAL.includes(s) ? {} : mirror])) as Record<
      JobState,
      Partial<Record<BackfillRunEvent, BackfillRunState>>
    >),
  },
};

export const BACKFILL_STATES = ["running", "completed"] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];
export const BACKFILL_EVENTS = ["allRunsEnded"] as const;
export type BackfillEvent = (typeof BACKFILL_EVENTS)[number];

export const backfillMachine: StateMachine<BackfillState, BackfillEvent> = {
  name: "backfill",
  states: BACKFILL_STATES,
  events: BACKFILL_EVENTS,
  initial: "running",
  terminal: ["completed"],
  failed: [],
  transitions: { running: { allRunsEnded: "completed" }, completed: {} },
};
