// Create bodies for the sandbox tests: one shaped like Jobflow's HDInsight 5.1 Spark profile (ADLS Gen2 + UAMI)
// and one shaped like the REST spec's CreateLinuxSparkSshPassword.json example (version bumped to 5.1).
import type { ClusterCreateParametersExtended } from "@azure/arm-hdinsight";

export const GATEWAY_PASSWORD = "Gw-Passw0rd-2026!";
const SSH_PASSWORD = "Ssh-Passw0rd-2026!";
const UAMI =
  "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/jobflow-cluster";

export function sparkClusterBody(
  overrides: { clusterVersion?: string; gatewayPassword?: string | null; tags?: Record<string, string> } = {},
): ClusterCreateParametersExtended {
  const gateway: Record<string, unknown> = { "restAuthCredential.isEnabled": true, "restAuthCredential.username": "admin" };
  if (overrides.gatewayPassword !== null) gateway["restAuthCredential.password"] = overrides.gatewayPassword ?? GATEWAY_PASSWORD;
  const os = { linuxOperatingSystemProfile: { username: "sshuser", password: SSH_PASSWORD } };
  return {
    location: "westeurope",
    tags: { "jobflow-managed": "true", ...overrides.tags },
    identity: { type: "UserAssigned", userAssignedIdentities: { [UAMI]: {} } },
    properties: {
      clusterVersion: overrides.clusterVersion ?? "5.1",
      osType: "Linux",
      tier: "Standard",
      minSupportedTlsVersion: "1.2",
      clusterDefinition: { kind: "spark", componentVersion: { Spark: "3.3" }, configurations: { gateway } },
      storageProfile: {
        storageaccounts: [
          {
            name: "jobflowdata.dfs.core.windows.net",
            isDefault: true,
            fileSystem: "clusters",
            resourceId:
              "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/jobflowdata",
            msiResourceId: UAMI,
          },
        ],
      },
      computeProfile: {
        roles: [
          { name: "headnode", targetInstanceCount: 2, hardwareProfile: { vmSize: "Standard_E8_V3" }, osProfile: os },
          { name: "workernode", targetInstanceCount: 4, hardwareProfile: { vmSize: "Standard_E8_V3" }, osProfile: os },
          { name: "zookeepernode", targetInstanceCount: 3, hardwareProfile: { vmSize: "Standard_A2_V2" }, osProfile: os },
        ],
      },
    },
  };
}

/** The spec example's body verbatim except the version (3.5 is long retired) with 5.1's Spark, and real-looking passwords. */
export function specExampleSparkBody(): Record<string, unknown> {
  return {
    tags: { key1: "val1" },
    properties: {
      clusterVersion: "5.1",
      osType: "Linux",
      tier: "Standard",
      clusterDefinition: {
        kind: "Spark",
        componentVersion: { Spark: "3.3" },
        configurations: {
          gateway: {
            "restAuthCredential.isEnabled": "true",
            "restAuthCredential.username": "admin",
            "restAuthCredential.password": GATEWAY_PASSWORD,
          },
        },
      },
      storageProfile: {
        storageaccounts: [{ name: "mystorage.blob.core.windows.net", isDefault: true, container: "containername", key: "storageapikey*" }],
      },
      computeProfile: {
        roles: [
          {
            name: "headnode",
            minInstanceCount: 1,
            targetInstanceCount: 2,
            hardwareProfile: { vmSize: "Standard_D12_V2" },
            osProfile: { linuxOperatingSystemProfile: { username: "sshuser", password: SSH_PASSWORD } },
          },
          {
            name: "workernode",
            minInstanceCount: 1,
            targetInstanceCount: 4,
            hardwareProfile: { vmSize: "Standard_D4_V2" },
            osProfile: { linuxOperatingSystemProfile: { username: "sshuser", password: SSH_PASSWORD } },
          },
        ],
      },
    },
  };
}
