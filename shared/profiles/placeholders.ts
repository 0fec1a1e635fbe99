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
}

const NAMES = ["subscriptionId", "resourceGroup", "location", "storageAccount"] as const;

function replaceIn(text: string, values: PlaceholderValues, missing: Set<string>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = (NAMES as readonly string[]).includes(name) ? values[name as keyof PlaceholderValues] : undefined;
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
  const resolved = mapStrings(profile, (s) => replaceIn(s, values, missing));
  if (missing.size === 0) return { ok: true, profile: resolved };
  return {
    ok: false,
    problems: [...missing].map((name) => ({ pointer: "", message: `profile '${profile.name}' uses the placeholder {${name}} but no value is configured for it` })),
  };
}

/** The placeholder values of a loaded configuration. */
export function placeholderValuesFromConfig(
  config: Pick<JobflowConfig, "subscriptionId" | "resourceGroup" | "location" | "dataLakeAccount">,
): PlaceholderValues {
  return { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup, location: config.location, storageAccount: config.dataLakeAccount };
}
