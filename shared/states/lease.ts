// A compute lease (orchestrations/lease.ts): the cluster is requested, becomes ready, and the lease ends released
// by its caller, expired (its time or the cluster's max lifetime ran out) or failed (the cluster could not be had).
import type { StateMachine } from "./machine";

export const LEASE_STATES = ["requested", "provisioning", "ready", "released", "expired", "failed"] as const;
export type LeaseState = (typeof LEASE_STATES)[number];

export const LEASE_EVENTS = [
  "clusterRequested", // the cluster orchestration runs and was asked for the cluster
  "requestFailed", // it could not be asked
  "clusterReady",
  "release", // the caller released the lease
  "expire", // the lease's expiry passed, or the cluster reached its max lifetime
  "clusterFailed", // the cluster failed or was deleted under the lease
] as const;
export type LeaseEvent = (typeof LEASE_EVENTS)[number];

const HELD = { release: "released", expire: "expired", clusterFailed: "failed" } as const;

export const leaseMachine: StateMachine<LeaseState, LeaseEvent> = {
  name: "lease",
  states: LEASE_STATES,
  events: LEASE_EVENTS,
  initial: "requested",
  terminal: ["released", "expired", "failed"],
  failed: ["failed"],
  transitions: {
    requested: { clusterRequested: "provisioning", requestFailed: "failed" },
    provisioning: { clusterReady: "ready", ...HELD },
    ready: HELD,
    released: {},
    expired: {},
    failed: {},
  },
};
