// Builds every cloud client from the configuration (shared/config.ts): the same code points at Azure or at the local
// sandbox + Azurite, only endpoints, credential and CA differ. Effectful: not for orchestrations. Each client is
// built on first use, so a setting one client needs (e.g. the Service Bus namespace) is only required when used.
import type { TokenCredential } from "@azure/identity";
import type { PipelineRetryOptions } from "@azure/core-rest-pipeline";
import { systemClock, type Clock } from "../clock";
import { gatewayUrl, type JobflowConfig } from "../config";
import { JobflowError } from "../errors";
import type { ClusterGatewayInfo } from "./ambari";
import { createClusterGatewayInfo } from "./azure/ambariClient";
import { createBlobStore } from "./azure/blobStore";
import { createEdgeRunCommands } from "./azure/edgeRunCommands";
import type { GatewayCredentials } from "./azure/gatewayHttp";
import { createHDInsightClusters } from "./azure/hdinsightClusters";
import { createKeyVaultSecretStore } from "./azure/keyVaultSecrets";
import { createLivyClient } from "./azure/livyClient";
import type { RetryOn429Options } from "./azure/retryOn429Policy";
import { createServiceBusEventPublisher } from "./azure/serviceBusEvents";
import type { JobflowBlobStore } from "./blobStore";
import type { HDInsightClusters } from "./clusters";
import type { EventPublisher } from "./events";
import type { LivyClient } from "./livy";
import type { EdgeRunCommands } from "./runCommands";
import type { SecretStore } from "./secrets";

export type { GatewayCredentials };

export interface CloudClients {
  clusters: HDInsightClusters;
  runCommands: EdgeRunCommands;
  blobs: JobflowBlobStore;
  events: EventPublisher;
  secrets: SecretStore;
  /** Livy of one cluster, authenticated with its gateway login (read it from `secrets` in the activity). */
  livy(clusterName: string, credentials: GatewayCredentials): LivyClient;
  /** Ambari/YARN of one cluster, authenticated with its gateway login. */
  gateway(clusterName: string, credentials: GatewayCredentials): ClusterGatewayInfo;
}

export interface CloudClientDeps {
  credential: TokenCredential;
  /** Extra trusted CA (PEM): the sandbox's certificate locally. */
  caPem?: string | Buffer;
  clock?: Clock;
  /** Replaces the Service Bus publisher (the local host's in-process topic). */
  events?: EventPublisher;
  /** Replaces the Key Vault secret store (e.g. a local secret store). */
  secrets?: SecretStore;
  /** SDK retry settings for the ARM, gateway and Key Vault clients (defaults: the SDK's). */
  retryOptions?: PipelineRetryOptions;
  retryOn429?: RetryOn429Options;
}

export function createCloudClients(config: JobflowConfig, deps: CloudClientDeps): CloudClients {
  const clock = deps.clock ?? systemClock;
  const common = {
    credential: deps.credential,
    caPem: deps.caPem,
    clock,
    retryOptions: deps.retryOptions,
    retryOn429: deps.retryOn429,
  };
  const gatewayOptions = (clusterName: string, credentials: GatewayCredentials) => ({
    gatewayUrl: gatewayUrl(config, clusterName),
    credentials,
    caPem: deps.caPem,
    clock,
    retryOptions: deps.retryOptions,
    retryOn429: deps.retryOn429,
  });
  return lazyClients(
    {
      clusters: () =>
        createHDInsightClusters({
          ...common,
          endpoint: config.armEndpoint,
          subscriptionId: config.subscriptionId,
          resourceGroup: config.resourceGroup,
        }),
      runCommands: () =>
        createEdgeRunCommands({
          ...common,
          endpoint: config.armEndpoint,
          subscriptionId: config.subscriptionId,
          resourceGroup: config.edgeResourceGroup,
        }),
      blobs: () => {
        if (config.storageConnectionString) return createBlobStore({ connectionString: config.storageConnectionString, clock });
        if (config.storageBlobUrl) return createBlobStore({ blobUrl: config.storageBlobUrl, credential: deps.credential, clock });
        throw missing("JOBFLOW_STORAGE_CONNECTION_STRING or JOBFLOW_STORAGE_BLOB_URL");
      },
      events: () => {
        if (deps.events) return deps.events;
        if (!config.serviceBusNamespace) throw missing("JOBFLOW_SERVICE_BUS_NAMESPACE");
        return createServiceBusEventPublisher({
          fullyQualifiedNamespace: config.serviceBusNamespace,
          credential: deps.credential,
          topic: config.eventsTopic,
          clock,
        });
      },
      secrets: () => {
        if (deps.secrets) return deps.secrets;
        if (!config.keyVaultUrl) throw missing("JOBFLOW_KEY_VAULT_URL");
        return createKeyVaultSecretStore({
          ...common,
          vaultUrl: config.keyVaultUrl,
          // The sandbox's emulator is not *.vault.azure.net; real vaults keep the SDK's check.
          disableChallengeResourceVerification: config.target === "local",
        });
      },
    },
    {
      livy: (clusterName, credentials) => createLivyClient(gatewayOptions(clusterName, credentials)),
      gateway: (clusterName, credentials) => createClusterGatewayInfo(gatewayOptions(clusterName, credentials)),
    },
  );
}

function missing(setting: string): JobflowError {
  return new JobflowError("ValidationError", `cloud client not configured: set ${setting}`);
}

type Singletons = Pick<CloudClients, "clusters" | "runCommands" | "blobs" | "events" | "secrets">;

/** Each singleton is built on first property access, then cached; building errors surface at that access. */
function lazyClients(
  builders: { [K in keyof Singletons]: () => Singletons[K] },
  perCluster: Pick<CloudClients, "livy" | "gateway">,
): CloudClients {
  const cache: Partial<Singletons> = {};
  const clients = { ...perCluster } as CloudClients;
  for (const key of Object.keys(builders) as (keyof Singletons)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => (cache[key] ??= builders[key]() as never),
    });
  }
  return clients;
}
