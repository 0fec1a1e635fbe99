// The job lifecycle. Teardown (detach edges, copy logs, release the cluster) is a state of its own that every
// started job passes through — on success, failure and cancel alike — so no path skips releasing the cluster.
// The job's outcome is decided when it enters tearingDown (recorded with the job) and sent as the teardown event.

import type { StateMachine } from "./machine";

export const JOB_STATES = [
  "queued",
  "acquiring", // looking for a compatible warm cluster or asking for a new one
  "provisioning", // a new cluster is being created
  "attaching", // edge VMs are being attached
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
  "clusterReused", // a warm cluster was acquired: no provisioning
  "clusterCreating",
  "clusterReady",
  "edgesAttached", // also sent when the job has no edges
  "stepsSucceeded",
  "stepsCompletedWithFailures",
  "stepsFailed", // a TERMINATE_CLUSTER / CANCEL_AND_WAIT step failed
  "error", // cluster creation failed, cluster lost or expired, edge attach failed, an activity gave up
  "cancel",
  "teardownSucceeded",
  "teardownCompletedWithFailures",
  "teardownFailed",
  "teardownCancelled",
] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

export type JobOutcome = "succeeded" | "completedWithFailures" | "failed" | "cancelled";

const ACTIVE_FAILURES = { error: "tearingDown", cancel: "tearingDown" } as const;

export const jobMachine: StateMachine<JobState, JobEvent> = {
  name: "job",
  states: JOB_STATES,
  events: JOB_EVENTS,
  initial: "queued",
  terminal: ["succeeded", "completedWithFailures", "failed", "cancelled"],
  failed: ["failed"],
  transitions: {
    // Before anything was acquired there is nothing to tear down.
    queued: { start: "acquiring", error: "failed", cancel: "cancelled" },
    acquiring: { clusterReused: "attaching", clusterCreating: "provisioning", ...ACTIVE_FAILURES },
    provisioning: { clusterReady: "attaching", ...ACTIVE_FAILURES },
    attaching: { edgesAttached: "running", ...ACTIVE_FAILURES },
    running: {
      stepsSucceeded: "tearingDown",
      stepsCompletedWithFailures: "tearingDown",
      stepsFailed: "tearingDown",
      ...ACTIVE_FAILURES,
    },
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
