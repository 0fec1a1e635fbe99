// HDInsight provisioningState × clusterState → the phase the cluster orchestration acts on (compared
// case-insensitively; the API spells "HdInsightConfiguration" unlike the docs).
export type ClusterPhaseFromArm = "creating" | "ready" | "failed" | "deleting";

const FAILED_CLUSTER_STATES = new Set(["error", "timedout", "aborted", "deleteerror", "deletetimedout"]);
const DELETING_CLUSTER_STATES = new Set(["deleting", "deletequeued", "deleted"]);

export function classifyClusterState(provisioningState: string, clusterState: string): ClusterPhaseFromArm {
  const p = (provisioningState ?? "").toLowerCase();
  const c = (clusterState ?? "").toLowerCase();
  if (p === "deleting" || DELETING_CLUSTER_STATES.has(c)) return "deleting";
  if (p === "failed" || p === "canceled" || FAILED_CLUSTER_STATES.has(c)) return "failed";
  if (p === "succeeded" && (c === "running" || c === "operational")) return "ready";
  return "creating";
}
