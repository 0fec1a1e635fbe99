// Shared inputs for the builder tests: one effective profile and one normalized job, written out by hand so the
// tests do not depend on the profile loader or the spec normalizer.
import type { JobSpec, SparkStep } from "../../../shared/model/job";
import type { ClusterProfile } from "../../../shared/model/profile";

export const UAMI =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-uami";

export function testProfile(overrides: Partial<ClusterProfile> = {}): ClusterProfile {
  return {
    name: "spark-small",
    version: 3,
    location: "westeurope",
    clusterVersion: "5.1",
    kind: "spark",
    componentVersion: { Spark: "3.3" },
    tier: "Standard",
    headNode: { vmSize: "Standard_E8_V3", count: 2 },
    workerNode: { vmSize: "Standard_E8_V3", count: 4, autoscale: { minInstanceCount: 3, maxInstanceCount: 10 } },
    zookeeperNode: { vmSize: "Standard_A2_V2", count: 3 },
    network: {
      vnetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
      subnetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/hdi",
    },
    storage: {
      accountName: "jobflowlake",
      fileSystem: "clusters",
      resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/jobflowlake",
    },
    managedIdentityId: UAMI,
    gateway: { username: "admin", passwordSecret: "hdi-gateway-password" },
    ssh: { username: "sshuser", passwordSecret: "hdi-ssh-password" },
    tags: { team: "platform", costcenter: "42" },
    ...overrides,
  };
}

export function sparkStep(overrides: Partial<SparkStep> = {}): SparkStep {
  return {
    id: "ingest",
    name: "ingest",
    type: "spark",
    file: "abfss://code@jobflowlake.dfs.core.windows.net/ingest.py",
    args: ["--date", "2026-11-21"],
    jars: [],
    pyFiles: [],
    files: [],
    archives: [],
    conf: {},
    dependsOn: [],
    actionOnFailure: "TERMINATE_CLUSTER",
    retries: 0,
    ...overrides,
  };
}

export function testJob(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    name: "nightly-sales",
    cluster: { profile: "spark-small", overrides: {}, reuse: "never", keepWarmMinutes: 15, maxLifetimeMinutes: 720 },
    edges: [],
    maxConcurrentSteps: 1,
    steps: [sparkStep()],
    data: {},
    notify: {},
    tags: {},
    source: "jobflow",
    ...overrides,
  };
}
