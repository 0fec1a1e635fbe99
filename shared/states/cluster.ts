// The lifecycle of one Jobflow cluster as its singleton orchestration sees it. `ready` = holders (jobs or a lease)
// are using it; `idle` = nobody holds it and the keep-warm timer runs. A failed cluster is not terminal: the
// resource still exists and must be deleted.

import type { StateMachine } from "./machine";

export const CLUSTER_STATES = ["requested", "creating", "ready", "idle", "deleting", "deleted", "failed"] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const CLUSTER_EVENTS = [
  "beginCreate", // the PUT was accepted
  "createRejected", // the PUT itself failed (quota, bad request): nothing to delete, but recorded as failed
  "provisioned", // provisioningState Succeeded + clusterState Running
  "provisioningFailed",
  "acquired", // a job or lease takes a hold
  "released", // a holder let go and others still hold it
  "lastReleased", // the last holder let go
  "idleTimeout", // keep-warm minutes passed without a new holder
  "expired", // max lifetime reached (deleted whatever runs on it)
  "deleteRequested", // an operator, the reaper, TERMINATE_CLUSTER with no other holders, or cleanup of a failure
  "deleted", // GET returns 404 after a delete
  "deleteFailed",
  "lost", // the cluster vanished behind our back (404 while we thought it existed)
] as const;
export type ClusterEvent = (typeof CLUSTER_EVENTS)[number];

export const clusterMachine: StateMachine<ClusterState, ClusterEvent> = {
  name: "cluster",
  states: CLUSTER_STATES,
  events: CLUSTER_EVENTS,
  initial: "requested",
  terminal: ["deleted"],
  failed: ["failed"],
  transitions: {
    requested: { beginCreate: "creating", createRejected: "failed", deleteRequested: "deleted" },
    creating: {
      provisioned: "ready",
      provisioningFailed: "failed",
      acquired: "creating", // another job joins while it is still being created
      released: "creating",
      expired: "deleting",
      deleteRequested: "deleting",
      lost: "deleted",
    },
    ready: {
      acquired: "ready",
      released: "ready",
      lastReleased: "idle",
      expired: "deleting",
      deleteRequested: "deleting",
      lost: "deleted",
    },
    idle: { acquired: "ready", idleTimeout: "deleting", expired: "deleting", deleteRequested: "deleting", lost: "deleted" },
    deleting: { deleted: "deleted", deleteFailed: "failed", deleteRequested: "deleting" },
    deleted: {},
    failed: { deleteRequested: "deleting", lost: "deleted", released: "failed", lastReleased: "failed" },
  },
};
