// The app's configuration: loadConfig() reads every setting of the catalogue (settings.ts, re-exported here) from
// the environment, applies the declared defaults and checks that Azure has what it needs. Effectful code calls
// loadConfig(); orchestrations get the values they need as input. A new setting is declared in settings.ts, never
// read ad hoc from process.env.
import { SETTINGS, type SettingName, type SettingSpec, type Target } from "./settings";

export { SETTINGS, type SettingName, type SettingSpec, type Target } from "./settings";

export interface JobflowConfig {
  target: Target;
  subscriptionId: string;
  tenantId?: string;
  clientId?: string;
  resourceGroup: string;
  reaperResourceGroups: string[];
  location: string;
  armEndpoint: string;
  gatewayUrlTemplate: string;
  caCertPath?: string;
  keyVaultUrl?: string;
  storageBlobUrl?: string;
  storageConnectionString?: string;
  serviceBusNamespace?: string;
  jobsQueue: string;
  eventsTopic: string;
  taskHub: string;
  edgeResourceGroup: string;
  edgeVms: string[];
  reaperSchedule: string;
  reaperDryRun: boolean;
  webhookCallers: string[];
  notifySecretName: string;
  webhookSubscription: string;
  /** Secrets a job may reference: name prefixes and exact names (lower case). */
  jobSecrets: { prefixes: string[]; names: string[] };
  /** Outbound webhook hosts allowed although not public (host or host:port, lower case). */
  webhookAllowHosts: string[];
  /** The app's own host (WEBSITE_HOSTNAME), never an outbound webhook target. */
  ownHosts: string[];
  profilesPath?: string;
  prices: { url: string; currency: string; refreshHours: number };
  clusterIdentityId?: string;
  dataLakeAccount?: string;
  clusterSubnetId?: string;
  containers: { jobs: string; logs: string; bundles: string; audit: string };
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: SettingName): string | undefined {
  const v = env[name];
  if (v !== undefined && v !== "") return v;
  const spec = SETTINGS.find((s) => s.name === name) as SettingSpec | undefined;
  return spec?.default;
}

function list(v: string | undefined): string[] {
  return (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function lowerList(v: string | undefined): string[] {
  return list(v).map((s) => s.toLowerCase());
}

/** One setting's value or its declared default, without checking the others (the CLI's offline commands). */
export function readSetting(env: Env, name: SettingName): string | undefined {
  return read(env, name);
}

/** Reads and checks the settings. Throws one error naming every missing Azure setting. */
export function loadConfig(env: Env = process.env): JobflowConfig {
  const target = read(env, "JOBFLOW_TARGET") as Target;
  if (target !== "local" && target !== "azure") throw new Error(`JOBFLOW_TARGET must be local or azure, got ${target}`);
  if (target === "azure") {
    const missing = SETTINGS.filter((s) => s.requiredInAzure && !env[s.name] && !("default" in s)).map((s) => s.name);
    if (missing.length) throw new Error(`missing app settings for JOBFLOW_TARGET=azure: ${missing.join(", ")}`);
  }
  const resourceGroup = read(env, "JOBFLOW_RESOURCE_GROUP") as string;
  const reaperGroups = list(read(env, "JOBFLOW_REAPER_RESOURCE_GROUPS"));
  return {
    target,
    subscriptionId: read(env, "AZURE_SUBSCRIPTION_ID") as string,
    tenantId: read(env, "AZURE_TENANT_ID"),
    clientId: read(env, "AZURE_CLIENT_ID"),
    resourceGroup,
    reaperResourceGroups: reaperGroups.length ? reaperGroups : [resourceGroup],
    location: read(env, "JOBFLOW_LOCATION") as string,
    armEndpoint: read(env, "JOBFLOW_ARM_ENDPOINT") as string,
    gatewayUrlTemplate: read(env, "JOBFLOW_GATEWAY_URL_TEMPLATE") as string,
    caCertPath: read(env, "JOBFLOW_CA_CERT_PATH"),
    keyVaultUrl: read(env, "JOBFLOW_KEY_VAULT_URL"),
    storageBlobUrl: read(env, "JOBFLOW_STORAGE_BLOB_URL"),
    storageConnectionString: read(env, "JOBFLOW_STORAGE_CONNECTION_STRING"),
    serviceBusNamespace: read(env, "JOBFLOW_SERVICE_BUS_NAMESPACE"),
    jobsQueue: read(env, "JOBFLOW_JOBS_QUEUE") as string,
    eventsTopic: read(env, "JOBFLOW_EVENTS_TOPIC") as string,
    taskHub: read(env, "JOBFLOW_TASK_HUB") as string,
    edgeResourceGroup: read(env, "JOBFLOW_EDGE_RESOURCE_GROUP") as string,
    edgeVms: list(read(env, "JOBFLOW_EDGE_VMS")),
    reaperSchedule: read(env, "JOBFLOW_REAPER_SCHEDULE") as string,
    reaperDryRun: read(env, "JOBFLOW_REAPER_DRY_RUN") === "true",
    webhookCallers: list(read(env, "JOBFLOW_WEBHOOK_CALLERS")),
    notifySecretName: read(env, "JOBFLOW_NOTIFY_SECRET_NAME") as string,
    webhookSubscription: read(env, "JOBFLOW_WEBHOOK_SUBSCRIPTION") as string,
    jobSecrets: { prefixes: lowerList(read(env, "JOBFLOW_JOB_SECRET_PREFIXES")), names: lowerList(read(env, "JOBFLOW_JOB_SECRET_NAMES")) },
    webhookAllowHosts: lowerList(read(env, "JOBFLOW_WEBHOOK_ALLOW_HOSTS")),
    ownHosts: lowerList(env.WEBSITE_HOSTNAME),
    profilesPath: read(env, "JOBFLOW_PROFILES_PATH"),
    prices: {
      url: read(env, "JOBFLOW_PRICES_URL") as string,
      currency: (read(env, "JOBFLOW_PRICES_CURRENCY") as string).toUpperCase(),
      refreshHours: Number(read(env, "JOBFLOW_PRICES_REFRESH_HOURS")) > 0 ? Number(read(env, "JOBFLOW_PRICES_REFRESH_HOURS")) : 24,
    },
    clusterIdentityId: read(env, "JOBFLOW_CLUSTER_IDENTITY_ID"),
    dataLakeAccount: read(env, "JOBFLOW_DATA_LAKE_ACCOUNT"),
    clusterSubnetId: read(env, "JOBFLOW_CLUSTER_SUBNET_ID"),
    containers: {
      jobs: read(env, "JOBFLOW_JOBS_CONTAINER") as string,
      logs: read(env, "JOBFLOW_LOGS_CONTAINER") as string,
      bundles: read(env, "JOBFLOW_BUNDLES_CONTAINER") as string,
      audit: read(env, "JOBFLOW_AUDIT_CONTAINER") as string,
    },
  };
}

/** The gateway base URL (no trailing slash) of a cluster. */
export function gatewayUrl(config: Pick<JobflowConfig, "gatewayUrlTemplate">, clusterName: string): string {
  return config.gatewayUrlTemplate.replace("{cluster}", clusterName).replace(/\/+$/, "");
}
