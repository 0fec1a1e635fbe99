// The step lifecycle (one Livy batch per attempt). Whether a failure is retried depends on the attempts left, so
// the step decider (shared/workflow/stepsDecider.ts) picks the event with `stepFailureEvent`; the table then says where that leads.

import type { StateMachine } from "./machine";

export const STEP_STATES = [
  "pending", // waiting for dependencies / a concurrency slot
  "submitted", // batch POSTed, Livy not yet running it
  "running",
  "retrying", // an attempt failed or timed out and another attempt will be submitted
  "succeeded",
  "failed",
  "timedOut",
  "cancelled",
  "skipped", // never ran: a dependency failed (CONTINUE) or the job stopped before it was due
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const STEP_EVENTS = [
  "submit",
  "started",
  "succeeded",
  "failedWillRetry",
  "failed",
  "timedOutWillRetry",
  "timedOut",
  "cancel",
  "skip",
] as const;
export type StepEvent = (typeof STEP_EVENTS)[number];

export const STEP_TERMINAL_STATES: readonly StepState[] = ["succeeded", "failed", "timedOut", "cancelled", "skipped"];

const IN_FLIGHT = {
  succeeded: "succeeded", // a short batch may finish before a poll sees it running
  failedWillRetry: "retrying",
  failed: "failed",
  timedOutWillRetry: "retrying",
  timedOut: "timedOut",
  cancel: "cancelled",
} as const;

export const stepMachine: StateMachine<StepState, StepEvent> = {
  name: "step",
  states: STEP_STATES,
  events: STEP_EVENTS,
  initial: "pending",
  terminal: STEP_TERMINAL_STATES,
  failed: ["failed", "timedOut"],
  transitions: {
    // The submission itself can fail (Livy refused the batch, retries of the call exhausted): no batch, same rules.
    pending: { submit: "submitted", cancel: "cancelled", skip: "skipped", failedWillRetry: "retrying", failed: "failed" },
    submitted: { started: "running", ...IN_FLIGHT },
    running: IN_FLIGHT,
    retrying: { submit: "submitted", cancel: "cancelled", failedWillRetry: "retrying", failed: "failed" },
    succeeded: {},
    failed: {},
    timedOut: {},
    cancelled: {},
    skipped: {},
  },
};

/**
 * The event for a failed or timed-out attempt. `attempt` is 1-based; `retries` is the number of extra attempts
 * the step allows (0 = run once), so attempt `retries + 1` is the last one.
 */
export function stepFailureEvent(kind: "failed" | "timedOut", attempt: number, retries: number): StepEvent {
  const willRetry = attempt < retries + 1;
  if (kind === "failed") return willRetry ? "failedWillRetry" : "failed";
  return willRetry ? "timedOutWillRetry" : "timedOut";
}
