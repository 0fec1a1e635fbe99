// The job lifecycle, in the vocabulary the job record, the API, the CLI, the events and the orchestration use (one
// source: shared/workflow/jobRecord.ts takes its types from here). Teardown (detach edges, copy logs, release the
// cluster) is a state of its own that every started job passes through — on success, failure and cancel alike —
// so no path skips releasing the cluster. The outcome is decided at the end of teardown (teardownEventFor).

import type { StateMachine } from "./machine";

export const JOB_STATES = [
  "queued",
  "acquiringCluster", // joining a compatible warm cluster, or asking for a new one and waiting until it is ready
  "attachingEdges", // edge VMs are being attached (only for a job with edges)
  "running", // steps run
  "tearingDown", // detach edges, copy logs, release/delete cluster
  "succeeded",
  "completedWithFailures", // some CONTINUE steps failed
  "failed",
  "cancelled",
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_EVENTS = [
  "start",
  "attachEdges", // the cluster is ready and the job has edges
  "runSteps", // the cluster is ready (and the edges attached, if any)
  "tearDown", // the steps ended, or cluster acquisition or edge attach failed, or cancel, or an activity gave up
  "error", // before anything was acquired: nothing to tear down
  "cancel", // likewise
  "teardownSucceeded",
  "teardownCompletedWithFailures",
  "teardownFailed",
  "teardownCancelled",
] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

export type JobOutcome = "succeeded" | "completedWithFailures" | "failed" | "cancelled";

export const JOB_TERMINAL_STATES: readonly JobState[] = ["succeeded", "completedWithFailures", "failed", "cancelled"];

export const jobMachine: StateMachine<JobState, JobEvent> = {
  name: "job",
  states: JOB_STATES,
  events: JOB_EVENTS,
  initial: "queued",
  terminal: JOB_TERMINAL_STATES,
  failed: ["failed"],
  transitions: {
    // Before anything was acquired there is nothing to tear down.
    queued: { start: "acquiringCluster", error: "failed", cancel: "cancelled" },
    acquiringCluster: { attachEdges: "attachingEdges", runSteps: "running", tearDown: "tearingDown" },
    attachingEdges: { runSteps: "running", tearDown: "tearingDown" },
    running: { tearDown: "tearingDown" },
    tearingDown: {
      teardownSucceeded: "succeeded",
      teardownCompletedWithFailures: "completedWithFailures",
      teardownFailed: "failed",
      teardownCancelled: "cancelled",
    },
    succeeded: {},
    completedWithFailures: {},
    failed: {},
    cancelled: {},
  },
};

/** The teardown event that ends a job with `outcome`. */
export function teardownEventFor(outcome: JobOutcome): JobEvent {
  const events: Record<JobOutcome, JobEvent> = {
    succeeded: "teardownSucceeded",
    completedWithFailures: "teardownCompletedWithFailures",
    failed: "teardownFailed",
    cancelled: "teardownCancelled",
  };
  return events[outcome];
}
