// Inputs/outputs of the policy orchestrations and activities (lease, schedule, webhook delivery). Plain JSON, no
// secrets: a signing secret travels by NAME and is read by the activity that signs.
import type { FailureKind } from "../workflow/activityFailure";
import type { ProfileOverrides } from "../model/job";
import type { LeaseState } from "./leaseRules";
import type { ClusterOrchestrationInput } from "../workflow/activities";
import type { HeldWarmup } from "./warmupRules";
import type { BackfillRunState, BackfillState } from "../states/backfill";

/** One signed POST to a webhook receiver (lease callback or job notification). */
export interface WebhookPost {
  url: string;
  /** JSON body sent as is (the signature covers its exact text). */
  body: Record<string, unknown>;
  /** Secret store name of the HMAC key (webhook-<caller>, or the notify secret). */
  secretName: string;
  /** Sent as x-jobflow-caller: who signs ("jobflow"). */
  signer: string;
  /** Same on every retry of this delivery (x-jobflow-delivery): receivers de-duplicate on it. */
  deliveryId: string;
}

export interface WebhookPostResult {
  ok: boolean;
  status?: number;
  error?: string;
  /**
   * Why it failed, classified once by the activity (shared/workflow/activityFailure.ts): a permanent or not-found
   * failure (refused target, the receiver's 401/403/4xx, a signing secret Jobflow may not read) is not retried.
   */
  kind?: FailureKind;
}

export interface WebhookDeliveryInput {
  post: WebhookPost;
  /** Give up after this many attempts (backoff 30 s × 2ⁿ, at most 10 minutes apart). */
  maxAttempts: number;
  /** Give up at this time (ISO), e.g. the lease's expiry: a callback is pointless after it. */
  notAfter?: string;
  /** Subject of the jobflow.webhook.* event recording the outcome, e.g. "leases/<id>". */
  subject: string;
}

export interface LeaseOrchestrationInput {
  leaseId: string;
  caller: string;
  clusterName: string;
  profileName: string;
  overrides: ProfileOverrides;
  profileHash: string;
  durationMinutes: number;
  /** Hard cap (minutes from requestedAt) including renewals; also the cluster's max lifetime. */
  maxTotalMinutes: number;
  callbackUrl: string;
  requestedAt: string;
  adlsAccounts: { name: string; fileSystem?: string }[];
}

export interface LeaseStatus {
  leaseId: string;
  caller: string;
  state: LeaseState;
  clusterName: string;
  requestedAt: string;
  expiresAt: string;
  hardCapAt: string;
  readyAt?: string;
  endedAt?: string;
  callback: "pending" | "started" | "none";
  renewals: number;
  error?: string;
}

/** Endpoints handed to the lease caller: where to talk to the cluster and which secret holds the gateway login. */
export interface LeaseEndpoints {
  clusterName: string;
  livyUrl: string;
  ambariUrl: string;
  sshHost?: string;
  gateway: { username: string; passwordSecretName: string; keyVaultUrl?: string };
  ssh: { username: string; passwordSecretName: string };
}

export interface ScheduleOrchestrationInput {
  scheduleId: string;
  /** Occurrences strictly after this time are due (ISO); advances with each continueAsNew. */
  after: string;
  /** Job id of the previous submitted run (to skip an occurrence while it still runs). */
  lastJobId?: string;
  /** The warm-up this schedule holds for its next fire (durable: survives continueAsNew and host restarts). */
  warmup?: HeldWarmup;
}

export interface ScheduleState {
  exists: boolean;
  paused: boolean;
  cron?: string;
  timezone?: string;
  /** Whether the schedule pre-provisions its cluster (warmup field and the job's cluster.reuse). */
  warmup?: { enabled: boolean; why: string; leadMinutes?: number };
}

export interface RunOccurrenceInput {
  scheduleId: string;
  occurrence: string;
  lastJobId?: string;
  /** The warm-up cluster held for this occurrence: the job joins it. */
  warmup?: { clusterName: string };
}

/** What a warm-up needs, computed from the schedule's job rendered as the occurrence would render it. */
export type PrepareWarmupResult =
  { ok: true; profileHash: string; cluster: Omit<ClusterOrchestrationInput, "clusterName" | "owner"> } | { ok: false; reason: string };

/** One warm-up in the schedule record (newest first): GET /api/schedules/{id} and `jobflow schedules show`. */
export interface WarmupEntry {
  fireAt: string;
  clusterName: string;
  /** When the warm-up started (took or created its cluster). */
  startedAt: string;
  /** True: it created the cluster; false: it joined a warm one of the same profile. */
  created: boolean;
  /** holding → used (its job joined the cluster) | wasted (unclaimed, paused, deleted, changed, failed). */
  state: "holding" | "used" | "wasted";
  readyAt?: string;
  endedAt?: string;
  jobId?: string;
  reason?: string;
  /** How the lead time was chosen (e.g. "observed p90 21.0 min + 2 min margin"). */
  leadBasis?: string;
}

/** What a warm-up cost (from its cluster's ledger; final once the cluster is deleted). */
export interface WarmupCost {
  amount: number;
  nodeMinutes: number;
  currency: string;
  final: boolean;
  basis: string;
}

/** A warm-up as GET /api/schedules/{id} shows it (and `jobflow schedules show` reads it). */
export type WarmupView = WarmupEntry & { cost: WarmupCost | null };

export type RunOccurrenceResult =
  | { outcome: "submitted"; jobId: string }
  | { outcome: "skipped"; reason: string; runningJobId?: string }
  | { outcome: "failed"; reason: string };

/** One run of a schedule submitted outside its cron: a backfilled interval, or "run now". */
export interface SubmitScheduleRunInput {
  scheduleId: string;
  kind: "backfill" | "manual";
  logicalDate: string;
  dataIntervalEnd: string;
  /** Idempotency key of the job. Default (backfills): the scheduled run's, `<id>@<interval end>`. */
  key?: string;
  /** Values over the schedule's own (request's -p). */
  parameters?: Record<string, string | number | boolean>;
  /** Join warm clusters (at least `minKeepWarmMinutes` idle) so the runs of a backfill share one. */
  shareWarm?: { minKeepWarmMinutes: number };
}

export type SubmitScheduleRunResult = { outcome: "submitted"; jobId: string; duplicate: boolean } | { outcome: "failed"; reason: string };

export interface BackfillInput {
  backfillId: string;
  scheduleId: string;
  runs: { logicalDate: string; dataIntervalEnd: string }[];
  maxConcurrent: number;
  parameters?: Record<string, string | number | boolean>;
  requestedAt: string;
  /** How often in-flight runs are checked (default 60 s). */
  pollIntervalInMs?: number;
}

export interface BackfillRunStatus {
  logicalDate: string;
  jobId?: string;
  /** The job's state, "failed" when it could not be submitted, or "waiting" before its turn (shared/states/backfill.ts). */
  state: BackfillRunState;
  duplicate?: boolean;
  reason?: string;
}

export interface BackfillStatus {
  backfillId: string;
  scheduleId: string;
  state: BackfillState;
  requestedAt: string;
  maxConcurrent: number;
  runs: BackfillRunStatus[];
}
