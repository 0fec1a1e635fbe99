// The cluster orchestration's own input and the state it carries across continueAsNew (activities.ts has the rest
// of the orchestration ↔ activity contract and re-exports these). Plain JSON, never a secret.
import type { JobSpec } from "../model/job";
import type { ClusterProfile } from "../model/profile";
import type { ClusterLedger } from "../cost/ledger";
import type { ClusterState } from "../states/cluster";
import type { ClusterCommand } from "./activities";
import type { ClusterTimings } from "./clusterPolling";
import type { KeepWarmPolicy } from "./keepWarmRule";

/** What the cluster orchestration needs to create and govern one cluster. */
export interface ClusterOrchestrationInput {
  clusterName: string;
  profileName: string;
  overrides: JobSpec["cluster"]["overrides"];
  profileHash: string;
  /** The job's effective profile, resolved at submit (JobRunInput.profile); absent: resolved by name at create. */
  profile?: ClusterProfile;
  owner: { jobId: string } | { leaseId: string };
  keepWarmMinutes: number;
  /** How an idle cluster is kept (shared/workflow/keepWarmRule.ts); absent = "breakEven". */
  keepWarmPolicy?: KeepWarmPolicy;
  maxLifetimeMinutes: number;
  /** Warm clusters accept new holders; "never" clusters serve only their creating job. */
  reuse: JobSpec["cluster"]["reuse"];
  jobTags: Record<string, string>;
  adlsAccounts: { name: string; fileSystem?: string }[];
  /** Set on instances that keep a cost ledger (all new ones); absent on instances started before it existed. */
  costLedger?: boolean;
  /** Carried across continueAsNew. */
  carried?: ClusterCarriedState;
  /**
   * Commands handed over with the start (acquireCluster starting the instance puts its "acquire" here instead of
   * raising it: one episode fewer); taken once, by the first execution (not carried across continueAsNew).
   */
  firstCommands?: ClusterCommand[];
}

export interface ClusterCarriedState {
  phase: ClusterPhase;
  createdAt?: string;
  readyAt?: string;
  holders: string[];
  idleSince?: string;
  deleteReason?: string;
  /** Commands delivered to the previous execution but not yet handled (carried across continueAsNew). */
  pendingCommands?: ClusterCommand[];
  /** Set when a holder found the cluster unusable: nobody new may join, it is deleted once the last holder leaves. */
  drained?: string;
  /** Holders whose release arrived before their acquire (a cancelled acquisition): their late acquire is ignored. */
  releasedEarly?: string[];
  /** The billing ledger (shared/cost/ledger.ts), once ARM accepted the create request. */
  ledger?: ClusterLedger;
  /** Reply-to ids of holders waiting for the create to finish. */
  waiting?: string[];
  /** Absolute time (ms) of the next status poll while creating (kept across commands and continueAsNew). */
  nextPollAtMs?: number;
  /** Absolute time (ms) of the next holder reconciliation while held. */
  reconcileAtMs?: number;
  /** While idle: when the cluster is checked for idleness and deleted (absolute ms). */
  keepUntilMs?: number;
  /** While idle: delete at keepUntilMs without asking Livy/YARN (nobody could have used it: keepWarmMinutes 0). */
  deleteWithoutIdleCheck?: boolean;
  /** The profile's provisioning/deletion estimate, read once the create was accepted. */
  timings?: ClusterTimings;
  /** ARM accepted the create (there is something to delete and time). */
  createAccepted?: boolean;
  /** When the delete was requested (ms), for the deletion timing. */
  deleteRequestedAtMs?: number;
}

/** The cluster lifecycle phases: the one vocabulary of shared/states/cluster.ts ("new" = "requested" in old instances). */
export type ClusterPhase = ClusterState;
