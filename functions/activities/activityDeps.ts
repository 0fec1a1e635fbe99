// What activities are built from (createActivities): the cloud clients behind their contracts (shared/cloud/*.ts),
// the clock, the configuration and the few app services they share. Production passes the real clients built once
// by the composition root (runtime/services.ts, via register.ts); unit tests pass the in-memory fakes of
// shared/cloud/fake/. Activities never reach for globals: everything they use arrives here or in the invocation.
import type { DurableClient } from "durable-functions";
import type { Clock } from "../../shared/clock";
import type { ClusterGatewayInfo } from "../../shared/cloud/ambari";
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { HDInsightClusters } from "../../shared/cloud/clusters";
import type { EventPublisher } from "../../shared/cloud/events";
import type { LivyClient } from "../../shared/cloud/livy";
import type { RetailPricesClient } from "../../shared/cloud/retailPrices";
import type { EdgeRunCommands } from "../../shared/cloud/runCommands";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { JobflowConfig } from "../../shared/config";
import type { ClusterProfile, GatewayProfileRef } from "../../shared/model/profile";
import type { ProfileCatalog } from "../../shared/profiles";
import type { ActivityInput, ActivityName, ActivityReturn } from "../../shared/workflow/activityContracts";
import type { SubmitOptions, SubmitResult } from "../submit";

export interface ActivityDeps {
  config: JobflowConfig;
  /** "Now" for records, expiry and idle ages: the virtual clock in the embedded runtime, the wall clock in Azure. */
  clock: Clock;
  clusters: HDInsightClusters;
  runCommands: EdgeRunCommands;
  blobs: JobflowBlobStore;
  /** Production: the recording store, so the invocation's scrubber knows every value read (runtime/secretScrub.ts). */
  secrets: SecretStore;
  events: EventPublisher;
  retailPrices: RetailPricesClient;
  /** A cluster's Livy client, logged in with the gateway login pinned at create (runtime/gatewayCredentials.ts). */
  livy(clusterName: string, profile: GatewayProfileRef): Promise<LivyClient>;
  /** A cluster's Ambari/YARN view, same login. */
  gateway(clusterName: string, profileName: string): Promise<ClusterGatewayInfo>;
  /** The profile catalog (loaded once). */
  profiles(): Promise<ProfileCatalog>;
  /** A profile with placeholders resolved (overrides not applied). */
  profile(name: string): Promise<ClusterProfile>;
  /** The POST /jobs path (functions/submit.ts): schedules submit their runs through it. */
  submitJob(client: DurableClient, body: unknown, options?: SubmitOptions): Promise<SubmitResult>;
}

/** What one invocation offers beyond its input. */
export interface ActivityInvocation {
  /** The Durable client (only for activities registered with the binding: register.ts USES_DURABLE_CLIENT). */
  durableClient(): DurableClient;
}

export type ActivityHandler<N extends ActivityName> = (
  input: ActivityInput<N>,
  invocation: ActivityInvocation,
) => Promise<ActivityReturn<N>>;

/** One handler per activity name: a missing one is a compile error in createActivities. */
export type ActivityHandlers = { [N in ActivityName]: ActivityHandler<N> };
