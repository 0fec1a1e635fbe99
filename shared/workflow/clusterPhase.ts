// Compatibility name for shared/states/hdinsight.ts's classifier (the table lives there).
import { classifyHdinsightCluster, type ObservedClusterStatus } from "../states/hdinsight";

export type ClusterPhaseFromArm = Exclude<ObservedClusterStatus, "gone">;

/** provisioningState × clusterState of an existing cluster → creating | ready | failed | deleting. */
export function classifyClusterState(provisioningState: string, clusterState: string): ClusterPhaseFromArm {
  const status = classifyHdinsightCluster({ provisioningState, clusterState });
  return status === "gone" ? "deleting" : status;
}
