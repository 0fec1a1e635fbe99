// The contract between orchestrations (deterministic) and activities (functions/activities, the only I/O).
// Names are constants so a typo is a compile error; inputs/outputs are plain JSON and never carry a secret:
// activities read secrets themselves, by name, from the secret store.
import type { JobSpec } from "../model/job";
import type { ClusterProfile } from "../model/profile";
import type { NodeGroup } from "../cost/ledger";
import type { ClusterTimingEstimate } from "../cost/clusterTimings";
import type { JobRecord } from "./jobRecord";
import type { StepDurationReport } from "./stepDurations";

export const ACTIVITY = {
  saveJobRecord: "saveJobRecord",
  publishEvents: "publishEvents",
  raiseEventTo: "raiseEventTo",
  ensureClusterOrchestration: "ensureClusterOrchestration",
  findWarmCluster: "findWarmCluster",
  /** A job's acquisition in one hop: find/claim a warm cluster, make sure its orchestration runs, send "acquire". */
  acquireCluster: "acquireCluster",
  beginCreateCluster: "beginCreateCluster",
  getClusterStatus: "getClusterStatus",
  beginDeleteCluster: "beginDeleteCluster",
  checkClusterIdle: "checkClusterIdle",
  /** The earliest known future demand for a profile and its recent ad-hoc arrival gaps (break-even keep-warm). */
  nextKnownDemand: "nextKnownDemand",
  /** Writes a keep-warm decision's audit record (Blob, audit container). */
  recordKeepWarmDecision: "recordKeepWarmDecision",
  submitStep: "submitStep",
  getStepStatus: "getStepStatus",
  finishStep: "finishStep",
  prepareEdgeBundle: "prepareEdgeBundle",
  beginEdgeSync: "beginEdgeSync",
  getEdgeSync: "getEdgeSync",
  recordEdgeSync: "recordEdgeSync",
  listEdgesAttachedTo: "listEdgesAttachedTo",
  /** Holders (orchestration instance ids) of a cluster whose orchestration has ended or does not exist. */
  findEndedHolders: "findEndedHolders",
  // Cost (shared/cost): the cluster ledger in Blob and the Retail Prices cache.
  saveClusterLedger: "saveClusterLedger",
  refreshPrices: "refreshPrices",
  /** Observed create/delete durations per profile (shared/cost/clusterTimings.ts). */
  getClusterTimingEstimate: "getClusterTimingEstimate",
  recordClusterTiming: "recordClusterTiming",
  /** The cluster's side effects (ledger, events, notices, timings, prices, audits) as one activity (clusterSideEffects.ts). */
  clusterSideEffects: "clusterSideEffects",
  // Policies (issue 6; I/O types in shared/policies/workflowTypes.ts).
  postSignedWebhook: "postSignedWebhook",
  startWebhookDelivery: "startWebhookDelivery",
  getLeaseEndpoints: "getLeaseEndpoints",
  nextScheduleOccurrence: "nextScheduleOccurrence",
  getScheduleState: "getScheduleState",
  runScheduleOccurrence: "runScheduleOccurrence",
  // Pipelines (issue 15): backfills.
  submitScheduleRun: "submitScheduleRun",
  getJobStates: "getJobStates",
  // Schedule warm-ups (issue 13; I/O types in shared/policies/workflowTypes.ts).
  prepareScheduleWarmup: "prepareScheduleWarmup",
  recordScheduleWarmup: "recordScheduleWarmup",
  getWarmupClaim: "getWarmupClaim",
} as const;

export const ORCHESTRATION = {
  jobRun: "jobRun",
  cluster: "clusterLifecycle",
  edgeSync: "edgeSync",
  lease: "computeLease",
  schedule: "schedule",
  webhookDelivery: "webhookDelivery",
  backfill: "scheduleBackfill",
  /** A job's step phase (a sub-orchestration of jobRun, so its long history stays out of the job's). */
  jobSteps: "jobSteps",
} as const;

/** External event names. The cluster orchestration takes one event name with a typed payload (see ClusterCommand). */
export const EVENT = {
  clusterCommand: "clusterCommand",
  clusterNotice: "clusterNotice",
  cancel: "cancel",
  /** jobRun → its step-phase sub-orchestration: a cancel or a cluster notice, forwarded (StepsControl). */
  stepsControl: "stepsControl",
  /** Renew/release of a compute lease (payload LeaseCommand, shared/policies/leaseRules.ts). */
  leaseCommand: "leaseCommand",
  /** A schedule's record changed (pause/resume): the schedule orchestration re-reads it. */
  scheduleChanged: "scheduleChanged",
} as const;

export const clusterInstanceId = (clusterName: string): string => `cluster-${clusterName}`;
export const edgeInstanceId = (vm: string, opId: string): string => `edge-${vm}-${opId}`;

export type { ClusterCarriedState, ClusterOrchestrationInput, ClusterPhase } from "./clusterOrchestrationTypes";
import type { ClusterOrchestrationInput } from "./clusterOrchestrationTypes";

/** Sent by jobs (through raiseEventTo) to the cluster orchestration. */
export type ClusterCommand =
  | { type: "acquire"; holder: string; replyTo: string }
  /** `drain`: the holder found the cluster unusable (e.g. its gateway login rejected): no new holders, delete when empty. */
  | { type: "release"; holder: string; terminate: boolean; drain?: string }
  | { type: "delete"; reason: string }
  /** From the reaper: delete only if nobody holds or waits for the cluster (the orchestration arbitrates). */
  | { type: "reap"; reason: string };

/** Sent by the cluster orchestration to a holder's orchestration. */
export type ClusterNotice =
  | { type: "ready"; clusterName: string; gatewayEndpoint?: string; clusterVersion?: string }
  | { type: "failed"; clusterName: string; reason: string }
  | { type: "unavailable"; clusterName: string; reason: string }
  | { type: "expiring"; clusterName: string; reason: string };

/** Sent by step phases of older code to the job on its clusterNotice channel as they ended (the job now waits on the phase itself). */
export interface StepsEndedNotice {
  type: "stepsEnded";
  clusterName: string;
  /** The job run whose step phase ended (a repair run has its own). */
  run: number;
}

export interface ClusterStatusResult {
  phase: "creating" | "ready" | "failed" | "deleting" | "gone";
  provisioningState?: string;
  clusterState?: string;
  clusterVersion?: string;
  gatewayEndpoint?: string;
  errors: string[];
}

export interface BeginCreateClusterInput {
  clusterName: string;
  profileName: string;
  overrides: JobSpec["cluster"]["overrides"];
  profileHash: string;
  /** The effective profile carried from the submit; absent: resolved here from the catalog and the overrides. */
  profile?: ClusterProfile;
  owner: { jobId: string } | { leaseId: string };
  keepWarmMinutes: number;
  maxLifetimeMinutes: number;
  createdAt: string;
  jobTags: Record<string, string>;
  adlsAccounts: { name: string; fileSystem?: string }[];
}

/** What beginCreateCluster reports once ARM accepted the request: the node shape billed from now on. */
export interface BeginCreateClusterResult {
  accepted: true;
  nodes: NodeGroup[];
  region: string;
  /**
   * The profile's create/delete timing estimate, read after the create was accepted (one activity instead of a
   * getClusterTimingEstimate of its own); absent when it could not be read (best effort: never fails the create).
   */
  timings?: ClusterTimingEstimate;
}

export interface RefreshPricesResult {
  source: "retail-prices-api" | "builtin-fallback";
  currency: string;
  region: string;
  fetchedAt?: string;
  sizes: number;
  note?: string;
}

export type {
  FinishStepInput,
  FollowUpProfile,
  FollowUpSubmits,
  GetStepStatusInput,
  StepSaveRider,
  StepStatusResult,
  SubmitStepInput,
  SubmitStepResult,
} from "./stepActivityTypes";
import type { StepSaveRider } from "./stepActivityTypes";

export interface EdgeSyncInput {
  vm: string;
  mode: "attach" | "detach" | "switch";
  clusterName?: string;
  profileName?: string;
  /** Who asked (job id or "api"), recorded with the attachment. */
  requestedBy: string;
  opId: string;
}

export interface EdgeSyncResult {
  vm: string;
  ok: boolean;
  mode: EdgeSyncInput["mode"];
  clusterName?: string;
  exitCode?: number;
  message?: string;
  /** Last lines of the sync script's output (URL secrets cut out). */
  outputTail?: string;
}

/** A lifecycle event before it becomes a CloudEvent (the publishEvents activity adds id, source and time). */
export interface EventDraft {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** acquireCluster: one activity instead of findWarmCluster → ensureClusterOrchestration → raiseEventTo (acquire). */
/** The job's started save rides on its acquireCluster (StepSaveRider: written after the acquisition, best effort). */
export interface AcquireClusterInput extends StepSaveRider {
  /** The cluster this job would create (its clusterName is the candidate name). */
  cluster: ClusterOrchestrationInput;
  /** Look for a compatible warm cluster first (or claim the candidate as the profile's next one). */
  warm?: FindWarmClusterInput;
  holder: string;
  replyTo: string;
}

export interface AcquireClusterResult {
  clusterName: string;
  /** joined: another holder's cluster (found warm); created: the candidate (this job's own, or the claimed one). */
  joinedWarm: boolean;
  /** The save riding on the call (AcquireClusterInput.save) was written and its events published. */
  saved?: boolean;
}

/**
 * raiseEventTo's input. A job's final record save rides on its release (StepSaveRider: written after the event was
 * raised, best effort): the release and the job's last save are one activity, one episode.
 */
export interface RaiseEventToInput extends StepSaveRider {
  instanceId: string;
  eventName: string;
  payload: unknown;
}

export interface FindWarmClusterInput {
  profileHash: string;
  minRemainingMinutes: number;
  /** The cluster this job would create. When given and nothing is warm, the job claims the profile's next cluster. */
  candidate?: string;
  /** Only clusters in these phases (default: ready, idle, creating). A lease takes an idle cluster only. */
  phases?: string[];
}

/** What checkClusterIdle found: idle = no Livy batch in a non-final state and no running/accepted YARN application. */
export interface ClusterIdleResult {
  idle: boolean;
  activeBatches: number;
  runningApps: number;
}

/** Where prepareEdgeBundle put a cluster's client configuration, and what the edge needs to reach the cluster. */
export interface EdgeBundle {
  bundleBlob: string;
  clusterVersion: string;
  headnodeIp: string;
}

/** A run command's state as getEdgeSync reports it (the resource is deleted once it is final). */
export interface EdgeSyncStatus {
  executionState: string;
  exitCode?: number;
  message?: string;
  /** Last lines of output, URL secrets cut out (only once final). */
  outputTail?: string;
}

export interface SaveJobRecordInput {
  record: JobRecord;
  /** State the index currently lists the job under, to move its index entry. */
  previousState?: string;
  /**
   * Lifecycle events announcing this save, published once the record is written, in the same invocation (one
   * durable round trip — one orchestrator episode — instead of a save and a publishEvents). A failed publish fails the
   * activity, so its retry writes the same record again and publishes (events are at least once, as always).
   */
  events?: EventDraft[];
  /**
   * A finished job's step durations (its final save only), added to its name's samples after the record is written,
   * best effort (shared/workflow/stepDurations.ts): they shape the polls of the name's next jobs.
   */
  stepDurations?: StepDurationReport;
}
