// The composition root: the app's effectful services, built once per process from the configuration — cloud
// clients, stores, profile catalog, clock. Activities and HTTP routes receive what they use from it through their
// factories (activities/register.ts and http/register.ts build them from services()); the policy routes and
// submit.ts still call services(); tests reset it with resetServices().
import { readFileSync } from "node:fs";
import type { Clock } from "../../shared/clock";
import type { ClusterGatewayInfo } from "../../shared/cloud/ambari";
import { createCredential } from "../../shared/cloud/credentials";
import { createCloudClients, type CloudClients } from "../../shared/cloud/factory";
import type { LivyClient } from "../../shared/cloud/livy";
import { loadConfig, type JobflowConfig } from "../../shared/config";
import { JobflowError } from "../../shared/errors";
import type { ClusterProfile, GatewayProfileRef } from "../../shared/model/profile";
import { effectiveProfile, findProfile, type ProfileCatalog } from "../../shared/profiles";
import { loadProfilesFromFolder } from "../../shared/profiles/loadFromFolder";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { HttpRetailPricesClient } from "../../shared/cloud/azure/retailPricesHttp";
import type { RetailPricesClient } from "../../shared/cloud/retailPrices";
import { JobStore } from "../store/jobStore";
import { CostStore } from "../store/costStore";
import { ClusterTimingStore } from "../store/clusterTimings";
import { EdgeStore } from "../store/edgeStore";
import { ScheduleStore } from "../policies/scheduleStore";
import { appClock } from "./appClock";
import { GatewayCredentialCache, authRetrying, type GatewayLogin } from "./gatewayCredentials";
import { embeddedRuntime } from "./embedded";
import { recordingSecretStore } from "./secretScrub";

export interface Services {
  config: JobflowConfig;
  clock: Clock;
  cloud: CloudClients;
  jobs: JobStore;
  edges: EdgeStore;
  schedules: ScheduleStore;
  /** Cluster ledgers and the cached price book (Blob). */
  costs: CostStore;
  /** Observed create/delete durations per profile (pre-provisioning lead time, keep-warm break-even). */
  clusterTimings: ClusterTimingStore;
  retailPrices: RetailPricesClient;
  profiles(): Promise<ProfileCatalog>;
  /** A profile with placeholders resolved (overrides not applied). */
  profile(name: string): Promise<ClusterProfile>;
  /** Livy client of a cluster, authenticated with the gateway login it was created with (pinned secret version). */
  livy(clusterName: string, profile: GatewayProfileRef): Promise<LivyClient>;
  gateway(clusterName: string, profileName: string): Promise<ClusterGatewayInfo>;
  /** The pinned, cached gateway logins behind livy() and gateway(). */
  gatewayLogins: GatewayCredentialCache;
}

let current: Services | undefined;

export function services(): Services {
  current ??= createServices(loadConfig());
  return current;
}

/** Forget the cached services (tests that change settings between host starts). */
export function resetServices(): void {
  current = undefined;
}

/** A profile of the catalog by name, placeholders resolved (overrides not applied); NotFoundError when unknown. */
export function namedProfile(catalog: ProfileCatalog, name: string, config: JobflowConfig): ClusterProfile {
  const found = findProfile(catalog, name);
  if (!found) throw new JobflowError("NotFoundError", `unknown cluster profile '${name}'`);
  const eff = effectiveProfile(
    { cluster: { profile: name, overrides: {}, reuse: "never", keepWarmMinutes: 0, maxLifetimeMinutes: 1 } },
    catalog,
    placeholderValuesFromConfig(config),
  );
  if (!eff.ok) throw new JobflowError("ValidationError", eff.problems.map((p) => p.message).join("; "), { problems: eff.problems });
  return eff.profile;
}

function createServices(config: JobflowConfig): Services {
  const caPem = config.caCertPath ? readFileSync(config.caCertPath, "utf8") : undefined;
  const credential = createCredential(config);
  const embedded = embeddedRuntime();
  const clients = createCloudClients(config, { credential, caPem, ...(embedded?.events ? { events: embedded.events } : {}) });
  // Every value read is noted for the invocation's scrubber (runtime/secretScrub.ts).
  // (The other clients stay lazy: the wrapper only shadows `secrets`, built on first use as before.)
  const secrets = recordingSecretStore(() => clients.secrets);
  const cloud = Object.create(clients, { secrets: { value: secrets, enumerable: true } }) as CloudClients;
  let catalog: Promise<ProfileCatalog> | undefined;
  const profiles = (): Promise<ProfileCatalog> =>
    (catalog ??= loadProfilesFromFolder(config.profilesPath).then((loaded) => {
      if (loaded.problems.length)
        throw new JobflowError("ValidationError", `invalid profiles in ${config.profilesPath}`, { problems: loaded.problems });
      return loaded.catalog;
    }));
  const profile = async (name: string): Promise<ClusterProfile> => namedProfile(await profiles(), name, config);
  // Per-cluster pinned gateway logins, cached briefly; a rejected login is re-read once (gatewayCredentials.ts).
  const logins = new GatewayCredentialCache({ secrets: cloud.secrets, clusters: cloud.clusters, profile, clock: appClock() });
  // The clients built per login, shared by every call (authRetrying): one Livy client per cluster and login.
  const livyClients = new WeakMap<GatewayLogin, LivyClient>();
  const gatewayClients = new WeakMap<GatewayLogin, ClusterGatewayInfo>();
  const asCredentials = (login: GatewayLogin): { username: string; password: string } => ({
    username: login.username,
    password: login.password,
  });
  return {
    config,
    // Read at each use: the embedded runtime may register its virtual clock after services were built.
    get clock() {
      return appClock();
    },
    cloud,
    jobs: new JobStore(cloud.blobs, config.containers.jobs),
    edges: new EdgeStore(cloud.blobs, config.containers.jobs),
    schedules: new ScheduleStore(cloud.blobs, config.containers.jobs),
    costs: new CostStore(cloud.blobs, config.containers.jobs),
    clusterTimings: new ClusterTimingStore(cloud.blobs, config.containers.jobs),
    retailPrices: new HttpRetailPricesClient({ endpoint: config.prices.url, ...(caPem ? { caPem } : {}) }),
    profiles,
    profile,
    livy: async (clusterName, profileName) =>
      authRetrying(logins, clusterName, profileName, (login) => cloud.livy(clusterName, asCredentials(login)), livyClients),
    gateway: async (clusterName, profileName) =>
      authRetrying(logins, clusterName, profileName, (login) => cloud.gateway(clusterName, asCredentials(login)), gatewayClients),
    gatewayLogins: logins,
  };
}
