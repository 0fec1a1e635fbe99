// The ARM representation of a cluster (GET body): the stored definition (secrets already removed, RP fill-ins
// added: clusterShape.ts) plus what the RP reports — fully qualified version, upper-case kind, provisioning and
// cluster state, endpoints (Kafka's REST proxy when configured), quota, top-level zones.
import { FULL_VERSION } from "../../../shared/hdinsight/catalogue";
import { majorMinor } from "../../../shared/hdinsight/checks";
import type { ClusterRecord, ClusterStore } from "./clusterStore";

const CORES_PER_NODE = 8;

export function clusterResourceId(c: Pick<ClusterRecord, "subscriptionId" | "resourceGroup" | "name">): string {
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.HDInsight/clusters/${c.name}`;
}

export function clusterBody(store: ClusterStore, c: ClusterRecord, gatewayPort: number): Record<string, unknown> {
  const status = store.statusOf(c);
  const fullVersion = FULL_VERSION[majorMinor(c.clusterVersion)] ?? c.clusterVersion;
  const def = (c.properties.clusterDefinition ?? {}) as Record<string, unknown>;
  const kafkaRest = c.kind.toLowerCase() === "kafka" && c.properties.kafkaRestProperties !== undefined;
  return {
    id: clusterResourceId(c),
    name: c.name,
    type: "Microsoft.HDInsight/clusters",
    location: c.location,
    etag: c.etag,
    tags: c.tags,
    ...(c.zones ? { zones: c.zones } : {}),
    ...(c.identity !== undefined ? { identity: c.identity } : {}),
    properties: {
      ...c.properties,
      clusterVersion: fullVersion,
      clusterHdpVersion: "3.3.4",
      osType: "Linux",
      tier: c.properties.tier ?? "Standard",
      clusterId: c.clusterId,
      clusterDefinition: {
        ...def,
        blueprint: `https://blueprints.azurehdinsight.net/${c.kind.toLowerCase()}-${fullVersion}.json`,
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
        ...(kafkaRest
          ? [{ name: "KafkaRestProxyPublicEndpoint", protocol: "TCP", location: `${c.name}-kafkarest.azurehdinsight.net`, port: 443 }]
          : []),
      ],
      ...(status.provisioningState === "Failed" && c.timeline.failure ? { errors: [c.timeline.failure] } : {}),
    },
  };
}
