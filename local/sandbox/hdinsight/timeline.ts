// A cluster's lifecycle as a pure function of timestamps: given when it was created, how long each phase takes,
// and when (if ever) it failed or was asked to go away, the state at any instant is computed, never stored. So a
// sandbox restarted after an hour reports what Azure would: the cluster kept provisioning while we were down.

/** The clusterState values a create walks through (API casing, incl. "HdInsightConfiguration"). */
export const PROVISIONING_PHASES = ["Accepted", "ClusterStorageProvisioned", "AzureVMConfiguration", "HdInsightConfiguration"] as const;
/** Share of the total provisioning duration spent in each phase (sums to 1). */
const PHASE_SHARES = [0.05, 0.1, 0.5, 0.35];

export interface ClusterTimeline {
  createdAtMs: number;
  provisioningDurationMs: number;
  /** Provisioning fails at this instant (fault injection). */
  failAtMs?: number;
  failure?: { code: string; message: string };
  deleteRequestedAtMs?: number;
  deleteDurationMs?: number;
}

export type ArmProvisioningState = "InProgress" | "Succeeded" | "Failed" | "Deleting";

export interface ClusterStatus {
  provisioningState: ArmProvisioningState;
  clusterState: string;
  /** Delete finished: the resource no longer exists (GET → 404). */
  gone: boolean;
  runningSinceMs?: number;
}

/** Instants at which a cluster's reported state changes; used to arm clock timers (a nudge only). */
export function transitionTimes(t: ClusterTimeline): number[] {
  const times: number[] = [];
  let at = t.createdAtMs;
  for (const share of PHASE_SHARES) {
    at += share * t.provisioningDurationMs;
    times.push(Math.round(at));
  }
  if (t.failAtMs !== undefined) times.push(t.failAtMs);
  if (t.deleteRequestedAtMs !== undefined) times.push(t.deleteRequestedAtMs + (t.deleteDurationMs ?? 0));
  return times;
}

export function runningAtMs(t: ClusterTimeline): number {
  return t.createdAtMs + t.provisioningDurationMs;
}

export function statusAt(t: ClusterTimeline, nowMs: number): ClusterStatus {
  if (t.deleteRequestedAtMs !== undefined && nowMs >= t.deleteRequestedAtMs) {
    const gone = nowMs >= t.deleteRequestedAtMs + (t.deleteDurationMs ?? 0);
    return { provisioningState: "Deleting", clusterState: gone ? "Deleted" : "Deleting", gone };
  }
  if (t.failAtMs !== undefined && nowMs >= t.failAtMs) return { provisioningState: "Failed", clusterState: "Error", gone: false };
  const running = runningAtMs(t);
  if (nowMs >= running) return { provisioningState: "Succeeded", clusterState: "Running", gone: false, runningSinceMs: running };
  let at = t.createdAtMs;
  for (let i = 0; i < PROVISIONING_PHASES.length; i++) {
    at += PHASE_SHARES[i] * t.provisioningDurationMs;
    if (nowMs < at) return { provisioningState: "InProgress", clusterState: PROVISIONING_PHASES[i], gone: false };
  }
  return { provisioningState: "InProgress", clusterState: "HdInsightConfiguration", gone: false };
}
