// The reaper's decision rules, as a pure function of a cluster's tags, its live state and "now" (DESIGN §2: the
// reaper relies only on tags and live state, never on in-memory bookkeeping). The timer trigger
// (functions/policies/reaperTimer.ts) gathers the evidence, calls decideReap and carries the decision out.
//
// Rules, first match wins:
//   1. no `jobflow-managed=true` and no `jobflow-reap=idle`      → keep (unmanaged: never touched)
//   2. `jobflow-keep=true`                                        → keep (exempt)
//   3. already deleting                                           → keep (nothing to do)
//   4. managed, past `jobflow-expires-at` (+ grace if a live orchestration will act itself) → delete (expired)
//   5. still provisioning                                         → keep
//   6. managed, no live cluster orchestration                     → delete (orphaned)
//   7. holders in the cluster orchestration                       → keep (held)
//   8. activity probe failed                                      → keep (no evidence, no delete)
//   9. a Livy batch not final or a running/accepted YARN app      → keep (busy; clears the idle stamp)
//  10. idle since < threshold ago                                 → keep (idle, not long enough)
//  11. idle since ≥ threshold ago                                 → delete (idle)
// The reaper is the backstop (DESIGN §7): where a live cluster orchestration enforces the same limit itself (max
// lifetime, keep-warm), the reaper waits ORCHESTRATION_GRACE_MINUTES longer, so it never races the orchestration
// and only acts when that failed to.
// "Idle since" is the cluster orchestration's idleSince when one runs; for an opted-in hand-made cluster it is the
// `jobflow-idle-since` tag the reaper stamps the first time it finds the cluster idle (stamp = keep this round).
import { TAG } from "../builders/clusterRequest";
import { classifyHdinsightCluster } from "../states/hdinsight";

/** The tag the reaper writes on an opted-in (hand-made) cluster when it first finds it idle. */
export const IDLE_SINCE_TAG = "jobflow-idle-since";
/** Idle threshold of an opted-in cluster that has no `jobflow-idle-minutes` tag. */
export const DEFAULT_OPT_IN_IDLE_MINUTES = 60;
/** Extra minutes the reaper gives a live cluster orchestration to enforce expiry/idle limits itself. */
export const ORCHESTRATION_GRACE_MINUTES = 10;

export interface ReaperClusterView {
  name: string;
  resourceGroup: string;
  tags: Record<string, string>;
  provisioningState: string;
  clusterState: string;
  /** ISO 8601, as ARM reports it. */
  createdDate?: string;
}

/** What the cluster orchestration (instance `cluster-<name>`) says, when one is live (running/pending). */
export interface ReaperOrchestrationView {
  phase?: string;
  holders: string[];
  readyAt?: string;
  idleSince?: string;
}

export type ReaperActivity = { probed: true; activeBatches: number; runningApps: number } | { probed: false; error?: string };

export interface ReaperInput {
  cluster: ReaperClusterView;
  /** undefined = no live cluster orchestration. */
  orchestration?: ReaperOrchestrationView;
  activity: ReaperActivity;
  nowMs: number;
  dryRun: boolean;
}

export type ReaperRule =
  | "unmanaged"
  | "keep-tag"
  | "deleting"
  | "expired"
  | "provisioning"
  | "orphaned"
  | "held"
  | "probe-failed"
  | "busy"
  | "idle-stamped"
  | "idle-below-threshold"
  | "idle";

export interface ReaperEvidence {
  managed: boolean;
  optedIn: boolean;
  provisioningState: string;
  clusterState: string;
  createdAt?: string;
  ageMinutes?: number;
  expiresAt?: string;
  liveOrchestration: boolean;
  orchestrationPhase?: string;
  holders: string[];
  activeBatches?: number;
  runningApps?: number;
  probeError?: string;
  idleThresholdMinutes?: number;
  idleSince?: string;
  idleForMinutes?: number;
  /** Last time the cluster was seen doing something: ready/idle-since stamps, or now when busy. */
  lastActivityAt?: string;
}

export interface ReaperDecision {
  clusterName: string;
  resourceGroup: string;
  action: "keep" | "delete";
  rule: ReaperRule;
  reason: string;
  dryRun: boolean;
  /** Tag changes the reaper should make on the cluster (idle stamp), never in dry run. */
  tagUpdate?: { set?: Record<string, string>; remove?: string[] };
  evidence: ReaperEvidence;
}

const minutesBetween = (fromMs: number, toMs: number): number => Math.floor((toMs - fromMs) / 60_000);
const parseMs = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Whether decideReap may need Livy/YARN activity for this cluster (so the caller probes only those). */
export function needsActivityProbe(cluster: ReaperClusterView, orchestration: ReaperOrchestrationView | undefined, nowMs: number): boolean {
  const decision = decideReap({
    cluster,
    orchestration,
    activity: { probed: true, activeBatches: 0, runningApps: 0 },
    nowMs,
    dryRun: true,
  });
  return ["idle", "idle-stamped", "idle-below-threshold", "busy"].includes(decision.rule);
}

export function decideReap(input: ReaperInput): ReaperDecision {
  const { cluster, orchestration, activity, nowMs, dryRun } = input;
  const tags = cluster.tags;
  const managed = tags[TAG.managed] === "true";
  const optedIn = !managed && tags[TAG.reap] === "idle";
  const createdAt = tags[TAG.createdAt] ?? cluster.createdDate;
  const createdMs = parseMs(createdAt);
  const expiresAt = managed ? tags[TAG.expiresAt] : undefined;
  const evidence: ReaperEvidence = {
    managed,
    optedIn,
    provisioningState: cluster.provisioningState,
    clusterState: cluster.clusterState,
    liveOrchestration: orchestration !== undefined,
    holders: orchestration?.holders ?? [],
  };
  if (createdAt) evidence.createdAt = createdAt;
  if (createdMs !== undefined) evidence.ageMinutes = minutesBetween(createdMs, nowMs);
  if (expiresAt) evidence.expiresAt = expiresAt;
  if (orchestration?.phase) evidence.orchestrationPhase = orchestration.phase;
  if (activity.probed) {
    evidence.activeBatches = activity.activeBatches;
    evidence.runningApps = activity.runningApps;
  } else if (activity.error) evidence.probeError = activity.error;

  const decide = (action: "keep" | "delete", rule: ReaperRule, reason: string, tagUpdate?: ReaperDecision["tagUpdate"]): ReaperDecision => {
    const d: ReaperDecision = { clusterName: cluster.name, resourceGroup: cluster.resourceGroup, action, rule, reason, dryRun, evidence };
    if (tagUpdate && !dryRun) d.tagUpdate = tagUpdate;
    return d;
  };

  if (!managed && !optedIn) return decide("keep", "unmanaged", `no ${TAG.managed}=true tag and no ${TAG.reap}=idle opt-in: never touched`);
  if (tags[TAG.keep] === "true") return decide("keep", "keep-tag", `${TAG.keep}=true exempts it from every policy`);
  const phase = classifyHdinsightCluster(cluster);
  // A listed cluster whose state says Deleted is as good as gone.
  if (phase === "deleting" || phase === "gone") return decide("keep", "deleting", "already being deleted");
  const graceMs = orchestration ? ORCHESTRATION_GRACE_MINUTES * 60_000 : 0;
  const expiresMs = parseMs(expiresAt);
  if (expiresMs !== undefined && nowMs >= expiresMs + graceMs) {
    return decide("delete", "expired", `past ${TAG.expiresAt} ${expiresAt} by ${minutesBetween(expiresMs, nowMs)} minutes`);
  }
  if (phase === "creating")
    return decide("keep", "provisioning", `still provisioning (${cluster.provisioningState}/${cluster.clusterState})`);
  if (managed && !orchestration) {
    return decide(
      "delete",
      "orphaned",
      `managed by Jobflow but no live cluster orchestration holds it (${phase === "failed" ? "failed cluster" : "running"})`,
    );
  }
  if (orchestration && orchestration.holders.length > 0) {
    evidence.lastActivityAt = new Date(nowMs).toISOString();
    return decide("keep", "held", `held by ${orchestration.holders.join(", ")}`);
  }
  const stamp = tags[IDLE_SINCE_TAG];
  if (!activity.probed) return decide("keep", "probe-failed", `could not read Livy/YARN activity: ${activity.error ?? "not probed"}`);
  if (activity.activeBatches > 0 || activity.runningApps > 0) {
    evidence.lastActivityAt = new Date(nowMs).toISOString();
    return decide(
      "keep",
      "busy",
      `${activity.activeBatches} Livy batch(es) not final, ${activity.runningApps} YARN app(s) running`,
      stamp !== undefined ? { remove: [IDLE_SINCE_TAG] } : undefined,
    );
  }

  const thresholdTag = Number(tags[TAG.idleMinutes]);
  const threshold =
    Number.isFinite(thresholdTag) && tags[TAG.idleMinutes] !== "" && thresholdTag >= 0
      ? thresholdTag
      : managed
        ? 0
        : DEFAULT_OPT_IN_IDLE_MINUTES;
  evidence.idleThresholdMinutes = threshold;
  const idleGraceMs = managed && orchestration ? graceMs : 0;
  const idleSince = orchestration?.idleSince ?? (managed ? orchestration?.readyAt : stamp);
  const idleSinceMs = parseMs(idleSince);
  if (idleSinceMs === undefined) {
    const now = new Date(nowMs).toISOString();
    evidence.idleSince = now;
    evidence.idleForMinutes = 0;
    return decide(
      "keep",
      "idle-stamped",
      `idle now; idle time counts from ${now}`,
      managed ? undefined : { set: { [IDLE_SINCE_TAG]: now } },
    );
  }
  evidence.idleSince = idleSince;
  evidence.lastActivityAt = idleSince;
  evidence.idleForMinutes = minutesBetween(idleSinceMs, nowMs);
  if (nowMs - idleSinceMs < threshold * 60_000 + idleGraceMs) {
    return decide("keep", "idle-below-threshold", `idle for ${evidence.idleForMinutes} of ${threshold} minutes`);
  }
  return decide(
    "delete",
    "idle",
    `idle for ${evidence.idleForMinutes} minutes (threshold ${threshold}${idleGraceMs ? ` + ${ORCHESTRATION_GRACE_MINUTES} grace` : ""})`,
  );
}

/**
 * What makes two decisions on a cluster "the same" for auditing: action, rule, outcome, dry run, the idle threshold
 * and the reason with its numbers blanked ("idle for 12 of 30 minutes" and "idle for 17 of 30 minutes" are the
 * same news). The reaper audits and publishes a kept cluster's decision only when this key changed since the
 * cluster's last audited decision; every other outcome (delete, dry-run delete, failure) is always audited.
 */
export function auditKey(decision: ReaperDecision, outcome: string): string {
  return JSON.stringify([
    decision.action,
    decision.rule,
    outcome,
    decision.dryRun,
    decision.evidence.idleThresholdMinutes ?? null,
    decision.reason.replace(/\d+/g, "#"),
  ]);
}

/** Whether a decision is worth an audit record and an event, given the key last audited for its cluster. */
export function shouldAudit(outcome: string, key: string, lastKey: string | undefined): boolean {
  return outcome !== "kept" || key !== lastKey;
}
