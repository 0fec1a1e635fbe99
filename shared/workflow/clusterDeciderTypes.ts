// The events the cluster decider (clusterDecider.ts) takes and the commands it gives back: everything the cluster
// orchestration (orchestrations/clusterLifecycle.ts) does is one of these commands, and everything it learns is one
// of these events. Pure types.
import type { NodeGroup } from "../cost/ledger";
import type { ClusterCommand, ClusterNotice, ClusterStatusResult } from "./activities";
import type { ClusterTimings } from "./clusterPolling";
import type { KnownDemand, KeepWarmPolicy } from "./keepWarmRule";

export type ClusterDeciderEvent =
  /** The orchestration started (or continued as new): a "requested" cluster asks for its create. */
  | { type: "start" }
  /** `timings`: the profile's estimate, read with the create (absent: could not be read — the decider asks). */
  | { type: "createAccepted"; nodes: NodeGroup[]; region?: string; timings?: ClusterTimings }
  | { type: "createRefused"; reason: string }
  /** The profile's timing estimate; undefined = could not be read (defaults apply). */
  | { type: "timings"; timings?: ClusterTimings }
  /** A status poll; undefined = could not look (look again later). */
  | { type: "status"; result?: ClusterStatusResult }
  | { type: "command"; command: ClusterCommand }
  /** The wake time passed: whatever is due (poll, reconcile, idle check, max lifetime) is done now. */
  | { type: "timer" }
  /** undefined = no evidence either way (not idle: look again later). */
  | { type: "idleChecked"; idle?: boolean }
  /** undefined = could not be read (ad-hoc rule without history). */
  | { type: "nextDemand"; answer?: NextDemandAnswer }
  /** Holders whose orchestration has ended; undefined = could not be read. */
  | { type: "holdersReconciled"; ended?: string[] }
  /** The delete completed (ARM answers 404). */
  | { type: "teardownDone" };

export interface NextDemandAnswer {
  next?: KnownDemand;
  /** Recent gaps between the profile going idle and its next arrival, in ms (oldest first). */
  idleGapsMs: number[];
}

export interface PublishedEvent {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** The audit record of one keep-warm decision (functions/activities: keep-warm audit blobs). */
export interface KeepWarmAuditRecord {
  clusterName: string;
  profileHash: string;
  decidedAt: string;
  idleSince: string;
  policy: KeepWarmPolicy;
  action: "keep" | "delete";
  reason: string;
  keepUntil?: string;
  breakEvenMinutes: number;
  keepWarmMinutes: number;
  expectedNextDemand?: KnownDemand;
  recentIdleGapsMinutes: number[];
  timings: ClusterTimings;
}

export type ClusterDeciderCommand =
  | { type: "beginCreate" }
  | { type: "getTimings" }
  | { type: "refreshPrices"; region?: string }
  /** Persist the ledger now (it is kept in the state; noted facts are saved at the next save). */
  | { type: "saveLedger" }
  | { type: "pollStatus" }
  | { type: "checkIdle" }
  | { type: "askNextDemand" }
  | { type: "reconcileHolders"; holders: string[] }
  | { type: "notify"; to: string[]; notice: ClusterNotice }
  | { type: "publish"; events: PublishedEvent[] }
  | { type: "auditKeepWarm"; record: KeepWarmAuditRecord }
  | { type: "recordTiming"; kind: "provisioning" | "deletion"; ms: number }
  /** Detach edges, delete, poll until gone (answering acquires with `refusal`); then feed teardownDone. */
  | { type: "teardown"; refusal: ClusterNotice }
  /** Wait for a command or until this absolute time, then feed a timer event. */
  | { type: "wakeAt"; atMs: number }
  /** The lifecycle is over (re-detach edges that failed, then return). */
  | { type: "finish" };
