// Read-only views of a cluster through its HTTPS gateway: Ambari client configuration and YARN ResourceManager state.
// One client per cluster (gateway base URL + gateway credentials).
import type { CallOptions } from "./common";

export interface YarnApp {
  id: string;
  name?: string;
  state: string;
  finalStatus?: string;
  applicationType?: string;
  queue?: string;
  user?: string;
  /** Epoch ms. */
  startedTime?: number;
  finishedTime?: number;
}

export interface YarnClusterMetrics {
  appsSubmitted: number;
  appsCompleted: number;
  appsPending: number;
  appsRunning: number;
  appsFailed: number;
  appsKilled: number;
  containersAllocated: number;
  allocatedMB: number;
  availableMB: number;
  activeNodes: number;
}

export interface ClusterGatewayInfo {
  /**
   * Every client configuration of the cluster as Ambari's tar.gz bundle
   * (`GET /api/v1/clusters/<clusterName>/components?format=client_config_tar`). `clusterName` is Ambari's cluster name,
   * which is case-sensitive. Read-only. Throws NotFoundError (no such Ambari cluster), Throttled/Transient/AuthError.
   */
  downloadClientConfigBundle(clusterName: string, options?: CallOptions): Promise<Buffer>;

  /** YARN applications in state RUNNING or ACCEPTED (`{"apps":null}` = none = []). Read-only. */
  runningApps(options?: CallOptions): Promise<YarnApp[]>;

  /** YARN cluster metrics (`/ws/v1/cluster/metrics`). Read-only. */
  metrics(options?: CallOptions): Promise<YarnClusterMetrics>;

  /**
   * Private IP of the active head node (the host whose NAMENODE has ha_state ACTIVE, else the first NAMENODE host),
   * for the `<ip> headnodehost` line an edge VM needs. Read-only. NotFoundError when Ambari lists no NameNode.
   */
  activeHeadnodeIp(clusterName: string, options?: CallOptions): Promise<string>;
}
