// HDInsight clusters (Microsoft.HDInsight/clusters) behind an interface. Long-running operations follow the
// begin + poll shape of DESIGN §2: `begin…` sends one request and returns; the orchestrator polls `get` with
// durable timers. No SDK poller ever leaves the implementation.
import type { ClusterCreateParametersExtended } from "@azure/arm-hdinsight";
import type { CallOptions } from "./common";

export type { ClusterCreateParametersExtended };

/** Our own small view of a cluster: what the orchestrations, the reaper and the API need, nothing SDK-shaped. */
export interface ClusterInfo {
  name: string;
  /** ARM resource id. */
  id: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  /** ARM provisioning state: InProgress | Failed | Succeeded | Canceled | Deleting (compare case-insensitively). */
  provisioningState: string;
  /** HDInsight cluster state: Accepted, HdInsightConfiguration, Running, Error, Deleting, … (compare case-insensitively). */
  clusterState: string;
  /** Fully qualified version as the RP reports it, e.g. "5.1.3000.0.2406130129". */
  clusterVersion?: string;
  /** ISO 8601 creation time as reported by the RP. */
  createdDate?: string;
  /** Host name of the HTTPS gateway (Livy/Ambari/YARN), e.g. "c1.azurehdinsight.net". */
  gatewayEndpoint?: string;
  /** Host name of the SSH endpoint, e.g. "c1-ssh.azurehdinsight.net". */
  sshEndpoint?: string;
  /** Errors the RP reported (provisioning failures). */
  errors: { code: string; message: string }[];
}

/** Options of calls that address one cluster: the resource group defaults to the client's own. */
export interface ClusterCallOptions extends CallOptions {
  resourceGroup?: string;
}

export interface ListClustersOptions extends CallOptions {
  /** Only this resource group (default: the client's resource group). Use `"*"` for the whole subscription. */
  resourceGroup?: string;
  /** Only clusters carrying every one of these tags with exactly these values. */
  tagFilter?: Record<string, string>;
}

export interface HDInsightClusters {
  /**
   * Sends the create PUT and returns once ARM accepted it (it does not wait for provisioning: poll `get`).
   * Idempotent: repeating the PUT for an existing cluster (same body) succeeds; a 409 from the RP because the cluster
   * already exists counts as accepted. Throws ConflictError (cluster exists in an incompatible state, e.g. Deleting),
   * ThrottledError, TransientError, AuthError; other 4xx (invalid request) surface as the SDK's RestError.
   */
  beginCreate(name: string, params: ClusterCreateParametersExtended, options?: ClusterCallOptions): Promise<void>;

  /** The cluster, or undefined when ARM answers 404. Read-only, safe to repeat. Throws Throttled/Transient/AuthError. */
  get(name: string, options?: ClusterCallOptions): Promise<ClusterInfo | undefined>;

  /**
   * Sends the DELETE and returns once ARM accepted it (poll `get` until undefined). A cluster that does not exist
   * (404) is success. Idempotent. Throws ConflictError, ThrottledError, TransientError, AuthError.
   */
  beginDelete(name: string, options?: ClusterCallOptions): Promise<void>;

  /** Every cluster in scope (all pages, following nextLink), filtered by tags client-side. Read-only. */
  list(options?: ListClustersOptions): Promise<ClusterInfo[]>;

  /**
   * Replaces the cluster's tags (PATCH) and returns the updated cluster. NotFoundError when it does not exist.
   * Idempotent for the same tags.
   */
  updateTags(name: string, tags: Record<string, string>, options?: ClusterCallOptions): Promise<ClusterInfo>;
}
