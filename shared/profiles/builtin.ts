// Built-in cluster profiles (HDInsight 5.1, Spark 3.3). ARM ids carry {subscriptionId}/{resourceGroup}
// placeholders and the region {location}, resolved from configuration by resolveProfilePlaceholders, so the same
// profiles work in any subscription and in the local sandbox. Extra profiles come from JOBFLOW_PROFILES_PATH.
import type { ClusterProfile } from "../model/profile";
import { connectorPackages } from "../s3a/versions";

const RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers";

/** Fields every built-in shares: storage, identity, network, logins (secrets by name only). */
function base(name: string, description: string): Omit<ClusterProfile, "headNode" | "workerNode"> {
  return {
    name,
    version: 1,
    description,
    location: "{location}",
    clusterVersion: "5.1",
    kind: "spark",
    componentVersion: { Spark: "3.3" },
    tier: "Standard",
    zookeeperNode: { vmSize: "Standard_A2_v2", count: 3 },
    // The deployment's cluster subnet (JOBFLOW_CLUSTER_SUBNET_ID); none configured = clusters without a VNet.
    network: { vnetId: "{clusterVnetId}", subnetId: "{clusterSubnetId}" },
    storage: {
      accountName: "{storageAccount}",
      fileSystem: "clusters",
      resourceId: `${RG}/Microsoft.Storage/storageAccounts/{storageAccount}`,
    },
    // The deployment's cluster identity (JOBFLOW_CLUSTER_IDENTITY_ID; default jobflow-cluster-identity in the group).
    managedIdentityId: "{clusterIdentityId}",
    gateway: { username: "admin", passwordSecret: "cluster-gateway-password" },
    ssh: { username: "sshuser", passwordSecret: "cluster-ssh-password" },
    tags: {},
    // The S3A connector of HDInsight 5.1 (Hadoop 3.3.4 + SDK bundle 1.12.262 + spark-hadoop-cloud 3.3.1) from Maven
    // Central at submit: needs egress. VNet-isolated deployments use a profile with connector.jars on ADLS.
    s3a: { connector: { packages: connectorPackages("5.1") }, committer: "directory" },
  };
}

export const BUILTIN_PROFILES: Readonly<Record<string, ClusterProfile>> = Object.freeze({
  default: {
    ...base("default", "Smallest useful Spark 3.3 cluster: 2 E4 head nodes, 2 E4 workers. Bare EMR steps files run on it."),
    headNode: { vmSize: "Standard_E4_v3", count: 2 },
    workerNode: { vmSize: "Standard_E4_v3", count: 2 },
  },
  "spark-small": {
    ...base("spark-small", "HDInsight 5.1 Spark 3.3, small: 2 E8 head nodes, 4 E8 workers (autoscale off)."),
    headNode: { vmSize: "Standard_E8_v3", count: 2 },
    workerNode: { vmSize: "Standard_E8_v3", count: 4 },
  },
  "spark-medium": {
    ...base("spark-medium", "HDInsight 5.1 Spark 3.3, medium: 2 E8 head nodes, 8 E16 workers autoscaling 4-16."),
    headNode: { vmSize: "Standard_E8_v3", count: 2 },
    workerNode: { vmSize: "Standard_E16_v3", count: 8, autoscale: { minInstanceCount: 4, maxInstanceCount: 16 } },
  },
});
