// HDInsight `properties.provisioningState` × `properties.clusterState` → one observed status for the cluster
// orchestration and the reaper (reference/azure-apis.md §1). Compared case-insensitively: the API returns
// "HdInsightConfiguration" where docs write "HDInsightConfiguration", and `kind`/state casing varies.

export const HDINSIGHT_PROVISIONING_STATES = ["InProgress", "Failed", "Succeeded", "Canceled", "Deleting"] as const;
export const HDINSIGHT_CLUSTER_STATES = [
  "Accepted",
  "ClusterStorageProvisioned",
  "AzureVMConfiguration",
  "HDInsightConfiguration",
  "Operational",
  "Running",
  "Error",
  "Deleting",
  "Deleted",
  "TimedOut",
  "DeleteQueued",
  "DeleteTimedout",
  "DeleteError",
  "PatchQueued",
  "CertRolloverQueued",
  "ResizeQueued",
  "ClusterCustomization",
  "Aborted",
] as const;

export type ObservedClusterStatus = "creating" | "ready" | "failed" | "deleting" | "gone";

const lower = (s: readonly string[]): Set<string> => new Set(s.map((v) => v.toLowerCase()));
const FAILED_CLUSTER_STATES = lower(["Error", "TimedOut", "Aborted", "DeleteTimedout", "DeleteError"]);
const DELETING_CLUSTER_STATES = lower(["Deleting", "DeleteQueued"]);
// Maintenance on a provisioned cluster: it keeps serving jobs.
const SERVING_CLUSTER_STATES = lower(["Running", "PatchQueued", "CertRolloverQueued", "ResizeQueued", "ClusterCustomization"]);

/**
 * The observed status of a cluster from a GET. Pass `null` when the GET returned 404 (gone). Order matters:
 * deleted/404 → gone; any failure signal → failed; any deletion signal → deleting; Succeeded + a serving state →
 * ready; everything else (InProgress, unknown or missing values) → creating, so the caller keeps polling until its
 * own creation timeout.
 */
export function classifyHdinsightCluster(
  observed: { provisioningState?: string | null; clusterState?: string | null } | null,
): ObservedClusterStatus {
  if (observed === null) return "gone";
  const provisioning = (observed.provisioningState ?? "").trim().toLowerCase();
  const cluster = (observed.clusterState ?? "").trim().toLowerCase();
  if (cluster === "deleted") return "gone";
  if (provisioning === "failed" || provisioning === "canceled" || FAILED_CLUSTER_STATES.has(cluster)) return "failed";
  if (provisioning === "deleting" || DELETING_CLUSTER_STATES.has(cluster)) return "deleting";
  if (provisioning === "succeeded" && SERVING_CLUSTER_STATES.has(cluster)) return "ready";
  return "creating";
}
