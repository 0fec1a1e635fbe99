// The typed contract of every activity: its input and its result, in one map used by both sides — the
// orchestrations' calls (orchestrations/activityCall.ts, orchestrations/cloudCall.ts) and the handlers built by
// functions/activities/createActivities.ts — so a result is never cast by hand and a changed shape is a compile error
// on both sides. `classified: true` marks cloud activities wrapped by functions/activities/classified.ts: they may
// return an ActivityFailure value instead of their result (permanent and not-found failures, never retried).
import type { ClusterTimingEstimate, ClusterTimingKind } from "../cost/clusterTimings";
import type { ClusterLedger } from "../cost/ledger";
import type {
  LeaseEndpoints,
  PrepareWarmupResult,
  WarmupEntry,
  RunOccurrenceInput,
  RunOccurrenceResult,
  ScheduleState,
  SubmitScheduleRunInput,
  SubmitScheduleRunResult,
  WebhookDeliveryInput,
  WebhookPost,
  WebhookPostResult,
} from "../policies/workflowTypes";
import type { ActivityFailure } from "./activityFailure";
import type { KeepWarmAuditRecord, NextDemandAnswer } from "./clusterDeciderTypes";
import type { ClusterSideEffectsInput, ClusterSideEffectsResult } from "./clusterSideEffects";
import { ACTIVITY } from "./activities";
import type {
  BeginCreateClusterInput,
  BeginCreateClusterResult,
  ClusterIdleResult,
  ClusterOrchestrationInput,
  ClusterStatusResult,
  EdgeBundle,
  EdgeSyncInput,
  EdgeSyncResult,
  EdgeSyncStatus,
  EventDraft,
  FindWarmClusterInput,
  AcquireClusterInput,
  AcquireClusterResult,
  FinishStepInput,
  GetStepStatusInput,
  RaiseEventToInput,
  RefreshPricesResult,
  SaveJobRecordInput,
  StepStatusResult,
  SubmitStepInput,
  SubmitStepResult,
} from "./activities";

type ClusterRef = { clusterName: string };
type ClusterOnProfile = { clusterName: string; profileName: string };

export interface ActivityContracts {
  // Records and events
  [ACTIVITY.saveJobRecord]: { input: SaveJobRecordInput; result: { saved: true } };
  [ACTIVITY.publishEvents]: { input: EventDraft[]; result: { published: number } };
  // The Durable runtime itself
  [ACTIVITY.raiseEventTo]: { input: RaiseEventToInput; result: { raised: true; saved?: boolean } };
  [ACTIVITY.ensureClusterOrchestration]: { input: ClusterOrchestrationInput; result: { instanceId: string; started: boolean } };
  [ACTIVITY.findWarmCluster]: { input: FindWarmClusterInput; result: { clusterName?: string } };
  [ACTIVITY.acquireCluster]: { input: AcquireClusterInput; result: AcquireClusterResult };
  [ACTIVITY.findEndedHolders]: { input: { holders: string[] }; result: string[] };
  // Clusters (ARM, Livy, YARN)
  [ACTIVITY.beginCreateCluster]: { input: BeginCreateClusterInput; result: BeginCreateClusterResult; classified: true };
  [ACTIVITY.getClusterStatus]: { input: ClusterRef; result: ClusterStatusResult; classified: true };
  [ACTIVITY.beginDeleteCluster]: { input: ClusterRef; result: { accepted: true }; classified: true };
  [ACTIVITY.checkClusterIdle]: { input: ClusterOnProfile; result: ClusterIdleResult; classified: true };
  // Steps (Livy batches)
  [ACTIVITY.submitStep]: { input: SubmitStepInput; result: SubmitStepResult; classified: true };
  [ACTIVITY.getStepStatus]: {
    input: GetStepStatusInput;
    result: StepStatusResult;
    classified: true;
  };
  [ACTIVITY.finishStep]: { input: FinishStepInput; result: { logBlob: string; lines: number; saved?: boolean } };
  // Edge VMs (Run Command v2)
  [ACTIVITY.prepareEdgeBundle]: { input: ClusterOnProfile; result: EdgeBundle; classified: true };
  [ACTIVITY.beginEdgeSync]: { input: EdgeSyncInput & Partial<EdgeBundle>; result: { runCommandName: string }; classified: true };
  [ACTIVITY.getEdgeSync]: { input: { vm: string; runCommandName: string }; result: EdgeSyncStatus; classified: true };
  [ACTIVITY.recordEdgeSync]: { input: { result: EdgeSyncResult; requestedBy: string }; result: { recorded: true } };
  [ACTIVITY.listEdgesAttachedTo]: { input: ClusterRef; result: string[] };
  // Cost
  [ACTIVITY.saveClusterLedger]: { input: ClusterLedger; result: { saved: true } };
  [ACTIVITY.refreshPrices]: { input: { region?: string | undefined }; result: RefreshPricesResult };
  // Keep-warm (shared/workflow/keepWarmRule.ts)
  [ACTIVITY.nextKnownDemand]: { input: { profileHash: string }; result: NextDemandAnswer };
  [ACTIVITY.recordKeepWarmDecision]: { input: KeepWarmAuditRecord; result: { recorded: true } };
  [ACTIVITY.getClusterTimingEstimate]: { input: { profileHash: string }; result: ClusterTimingEstimate };
  [ACTIVITY.recordClusterTiming]: {
    input: { profileHash: string; clusterName: string; kind: ClusterTimingKind; ms: number };
    result: { recorded: true };
  };
  [ACTIVITY.clusterSideEffects]: { input: ClusterSideEffectsInput; result: ClusterSideEffectsResult };
  // Policies: webhooks, leases, schedules, backfills
  [ACTIVITY.postSignedWebhook]: { input: WebhookPost; result: WebhookPostResult };
  [ACTIVITY.startWebhookDelivery]: {
    input: { instanceId: string; input: WebhookDeliveryInput };
    result: { instanceId: string; started: boolean };
    classified: true;
  };
  [ACTIVITY.getLeaseEndpoints]: { input: ClusterOnProfile; result: LeaseEndpoints; classified: true };
  [ACTIVITY.nextScheduleOccurrence]: {
    input: { scheduleId?: string; cron: string; timezone: string; after: string };
    result: { next?: string };
  };
  [ACTIVITY.getScheduleState]: { input: { scheduleId: string }; result: ScheduleState };
  [ACTIVITY.runScheduleOccurrence]: { input: RunOccurrenceInput; result: RunOccurrenceResult };
  [ACTIVITY.submitScheduleRun]: { input: SubmitScheduleRunInput; result: SubmitScheduleRunResult };
  [ACTIVITY.getJobStates]: { input: { jobIds: string[] }; result: Record<string, string> };
  // Schedule warm-ups
  [ACTIVITY.prepareScheduleWarmup]: { input: { scheduleId: string; occurrence: string }; result: PrepareWarmupResult };
  [ACTIVITY.recordScheduleWarmup]: { input: { scheduleId: string; entry: WarmupEntry }; result: { recorded: boolean } };
  [ACTIVITY.getWarmupClaim]: {
    input: { clusterName: string; jobId: string };
    result: { joined: boolean; jobEnded: boolean; clusterGone: boolean };
  };
}

export type ActivityName = keyof ActivityContracts;
export type ActivityInput<N extends ActivityName> = ActivityContracts[N]["input"];
/** What the activity's own code returns when it succeeds. */
export type ActivityResult<N extends ActivityName> = ActivityContracts[N]["result"];
/** Activities whose failures are classified (functions/activities/classified.ts). */
export type ClassifiedActivityName = { [N in ActivityName]: ActivityContracts[N] extends { classified: true } ? N : never }[ActivityName];
/** What crosses the Durable boundary: a classified activity may return an ActivityFailure instead of its result. */
export type ActivityReturn<N extends ActivityName> = N extends ClassifiedActivityName
  ? ActivityResult<N> | ActivityFailure
  : ActivityResult<N>;

/** Every activity name has a contract (a new ACTIVITY without one fails to compile here). */
export type MissingContracts = Exclude<(typeof ACTIVITY)[keyof typeof ACTIVITY], ActivityName>;
const everyActivityHasAContract: [MissingContracts] extends [never] ? true : MissingContracts = true;
void everyActivityHasAContract;
