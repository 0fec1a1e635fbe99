// The ARM representation of a cluster (GET body): the create request echoed back without secrets, plus what the
// RP adds — fully qualified version, upper-case kind, provisioning/cluster state, endpoints, quota.
import type { ClusterRecord, ClusterStore } from "./clusterStore";

const FULL_VERSION: Record<string, string> = { "5.1": "5.1.3000.0.2406130129" };
const CORES_PER_NODE = 8;

export function clusterResourceId(c: Pick<ClusterRecord, "subscriptionId" | "resourceGroup" | "name">): string {
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.HDInsight/clusters/${c.name}`;
}

export function clusterBody(store: ClusterStore, c: ClusterRecord, gatewayPort: number): Record<string, unknown> {
  const status = store.statusOf(c);
  const majorMinor = /^(\d+\.\d+)/.exec(c.clusterVersion)?.[1] ?? c.clusterVersion;
  const def = (c.properties.clusterDefinition ?? {}) as Record<string, unknown>;
  return {
    id: clusterResourceId(c),
    name: c.name,
    type: "Microsoft.HDInsight/clusters",
    location: c.location,
    etag: c.etag,
    tags: c.tags,
    ...(c.identity !== undefined ? { identity: c.identity } : {}),
    properties: {
      ...c.properties,
      clusterVersion: FULL_VERSION[majorMinor] ?? c.clusterVersion,
      clusterHdpVersion: "3.3.4",
      osType: "Linux",
      tier: c.properties.tier ?? "Standard",
      clusterId: c.clusterId,
      clusterDefinition: {
        ...def,
        blueprint: `https://blueprints.azurehdinsight.net/${c.kind.toLowerCase()}-${FULL_VERSION[majorMinor] ?? c.clusterVersion}.json`,
        kind: c.kind.toUpperCase(),
      },
      provisioningState: status.provisioningState,
      clusterState: status.clusterState,
      createdDate: new Date(c.timeline.createdAtMs).toISOString(),
      quotaInfo: { coresUsed: c.nodeCount * CORES_PER_NODE },
      // The HTTPS endpoint is the sandbox itself; the cluster's gateway lives under /gateway/<name> on it.
      connectivityEndpoints: [
        { name: "SSH", protocol: "TCP", location: `${c.name}-ssh.azurehdinsight.net`, port: 22 },
        { name: "HTTPS", protocol: "TCP", location: "127.0.0.1", port: gatewayPort },
      ],
      ...(status.provisioningState === "Failed" && c.timeline.failure ? { errors: [c.timeline.failure] } : {}),
    },
  };
}

/** The create body's properties minus secrets (gateway/ssh passwords, storage keys). */
export function redactProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
  const def = copy.clusterDefinition as Record<string, unknown> | undefined;
  // The RP never returns configurations in GET (they come from the configurations API).
  if (def) delete def.configurations;
  const storage = (copy.storageProfile as { storageaccounts?: Array<Record<string, unknown>> } | undefined)?.storageaccounts;
  storage?.forEach((a) => delete a.key);
  const roles = (copy.computeProfile as { roles?: Array<Record<string, unknown>> } | undefined)?.roles;
  roles?.forEach((r) => {
    const linux = (r.osProfile as { linuxOperatingSystemProfile?: Record<string, unknown> } | undefined)?.linuxOperatingSystemProfile;
    if (linux) delete linux.password;
  });
  return copy;
}
