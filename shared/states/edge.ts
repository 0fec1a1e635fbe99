// An edge VM's state within one job's record: attached by the job after its cluster is ready, detached in
// teardown. A failed attach or detach is recorded as failed (the job fails on a failed attach).
import type { StateMachine } from "./machine";

export const EDGE_STATES = ["pending", "attached", "detached", "failed"] as const;
export type EdgeState = (typeof EDGE_STATES)[number];

export const EDGE_EVENTS = ["attached", "attachFailed", "detached", "detachFailed"] as const;
export type EdgeEvent = (typeof EDGE_EVENTS)[number];

export const edgeMachine: StateMachine<EdgeState, EdgeEvent> = {
  name: "edge",
  states: EDGE_STATES,
  events: EDGE_EVENTS,
  initial: "pending",
  terminal: ["detached", "failed"],
  failed: ["failed"],
  transitions: {
    pending: { attached: "attached", attachFailed: "failed" },
    attached: { detached: "detached", detachFailed: "failed" },
    detached: {},
    failed: {},
  },
};
