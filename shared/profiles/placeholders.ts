// Resolves the {placeholders} of a profile from configuration. Pure: the caller passes the values (usually from
// loadConfig()), so orchestrations can call it with values from their input.
import type { Problem } from "../errors";
import type { JobflowConfig } from "../config";
import type { ClusterProfile } from "../model/profile";

export interface PlaceholderValues {
  subscriptionId: string;
  resourceGroup: string;
  /** Region used where a profile says {location} (JOBFLOW_LOCATION). */
  location: string;
  /** ADLS Gen2 account used where a profile says {storageAccount}. */
  storageAccount?: string;
  /** ARM id of the clusters' user-assigned identity ({clusterIdentityId}). */
  clusterIdentityId?: string;
  /** ARM id of the clusters' subnet ({clusterSubnetId}; {clusterVnetId} is its virtual network). */
  clusterSubnetId?: string;
}

const NAMES = [
  "subscriptionId",
  "resourceGroup",
  "location",
  "storageAccount",
  "clusterIdentityId",
  "clusterSubnetId",
  "clusterVnetId",
] as const;

/** Values of every placeholder name; {clusterVnetId} derives from the subnet id. */
function valueOf(name: string, values: PlaceholderValues): string | undefined {
  if (name === "clusterVnetId") return values.clusterSubnetId?.replace(/\/subnets\/[^/]+$/, "");
  if (name === "clusterIdentityId")
    return values.clusterIdentityId ?? defaultClusterIdentityId(values.subscriptionId, values.resourceGroup);
  return (NAMES as readonly string[]).includes(name) ? values[name as keyof PlaceholderValues] : undefined;
}

function replaceIn(text: string, values: PlaceholderValues, missing: Set<string>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = valueOf(name, values);
    if (value === undefined || value === "") {
      missing.add(name);
      return whole;
    }
    return value;
  });
}

function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === "string") return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}

/** Returns the profile with every {placeholder} replaced; a placeholder without a value is a problem. */
export function resolveProfilePlaceholders(
  profile: ClusterProfile,
  values: PlaceholderValues,
): { ok: true; profile: ClusterProfile } | { ok: false; problems: Problem[] } {
  const missing = new Set<string>();
  // A network bound to the deployment's subnet is dropped when the deployment has none (clusters without a VNet).
  const unbound = profile.network?.subnetId === "{clusterSubnetId}" && !values.clusterSubnetId;
  const source: ClusterProfile = unbound ? { ...profile, network: undefined } : profile;
  if (unbound) delete source.network;
  const resolved = mapStrings(source, (s) => replaceIn(s, values, missing));
  if (missing.size === 0) return { ok: true, profile: resolved };
  return {
    ok: false,
    problems: [...missing].map((name) => ({
      pointer: "",
      message: `profile '${profile.name}' uses the placeholder {${name}} but no value is configured for it`,
    })),
  };
}

/** The placeholder values of a loaded configuration. */
export function placeholderValuesFromConfig(
  config: Pick<
    JobflowConfig,
    "subscriptionId" | "resourceGroup" | "location" | "dataLakeAccount" | "clusterIdentityId" | "clusterSubnetId"
  >,
): PlaceholderValues {
  const values: PlaceholderValues = {
    subscriptionId: config.subscriptionId,
    resourceGroup: config.resourceGroup,
    location: config.location,
    storageAccount: config.dataLakeAccount,
  };
  if (config.clusterIdentityId) values.clusterIdentityId = config.clusterIdentityId;
  if (config.clusterSubnetId) values.clusterSubnetId = config.clusterSubnetId;
  return values;
}

/** The identity infra/ creates for clusters when JOBFLOW_CLUSTER_IDENTITY_ID is not set (and the local sandbox's). */
export function defaultClusterIdentityId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/jobflow-cluster-identity`;
}
