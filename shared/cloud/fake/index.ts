// In-memory fakes of every cloud contract in shared/cloud/*.ts, for unit tests of activities and deciders (the
// HTTPS sandbox in local/sandbox stays the integration double). createFakeCloud() makes one set; livy(cluster)
// and gateway(cluster) hand out one fake per cluster, created on first use; reset() resets them all.
import { FakeClusterGatewayInfo } from "./ambari";
import { FakeBlobStore } from "./blobStore";
import { FakeClock } from "./clock";
import { FakeHDInsightClusters } from "./clusters";
import { FakeEventPublisher } from "./events";
import { FakeLivyClient } from "./livy";
import { FakeRetailPrices } from "./retailPrices";
import { FakeEdgeRunCommands } from "./runCommands";
import { FakeSecretStore } from "./secrets";

export { CallRecorder, type RecordedCall } from "./recorder";
export {
  FakeClusterGatewayInfo,
  FakeBlobStore,
  FakeClock,
  FakeHDInsightClusters,
  FakeEventPublisher,
  FakeLivyClient,
  FakeRetailPrices,
  FakeEdgeRunCommands,
  FakeSecretStore,
};
export { FAKE_SAS_SIGNATURE } from "./blobStore";

export interface FakeCloud {
  clusters: FakeHDInsightClusters;
  runCommands: FakeEdgeRunCommands;
  blobs: FakeBlobStore;
  secrets: FakeSecretStore;
  events: FakeEventPublisher;
  retailPrices: FakeRetailPrices;
  clock: FakeClock;
  /** The Livy client of a cluster (one per cluster name, kept until reset). */
  livy(clusterName: string): FakeLivyClient;
  /** The Ambari/YARN view of a cluster (one per cluster name, kept until reset). */
  gateway(clusterName: string): FakeClusterGatewayInfo;
  /** Resets every fake: recorded calls, queued errors and state. */
  reset(): void;
}

export function createFakeCloud(options: { edgeVms?: string[]; secrets?: Record<string, string> } = {}): FakeCloud {
  const livies = new Map<string, FakeLivyClient>();
  const gateways = new Map<string, FakeClusterGatewayInfo>();
  const cloud: FakeCloud = {
    clusters: new FakeHDInsightClusters(),
    runCommands: new FakeEdgeRunCommands(options.edgeVms ?? []),
    blobs: new FakeBlobStore(),
    secrets: new FakeSecretStore(options.secrets ?? {}),
    events: new FakeEventPublisher(),
    retailPrices: new FakeRetailPrices(),
    clock: new FakeClock(),
    livy: (name) => livies.get(name) ?? (livies.set(name, new FakeLivyClient()).get(name) as FakeLivyClient),
    gateway: (name) => gateways.get(name) ?? (gateways.set(name, new FakeClusterGatewayInfo()).get(name) as FakeClusterGatewayInfo),
    reset: () => {
      for (const f of [cloud.clusters, cloud.runCommands, cloud.blobs, cloud.secrets, cloud.events, cloud.retailPrices]) f.reset();
      livies.clear();
      gateways.clear();
    },
  };
  return cloud;
}
