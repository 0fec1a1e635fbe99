// Which Key Vault secrets a job may reference (today: data.s3a.credentialsSecret). A job names secrets, Jobflow
// reads them with its own identity — so without a scope a job could make Jobflow read the gateway or SSH password,
// a webhook signing key or the console key. The rule: a name under a configured prefix (JOBFLOW_JOB_SECRET_PREFIXES,
// default data-, s3-) or on the explicit list (JOBFLOW_JOB_SECRET_NAMES), and never a platform secret, whatever the
// settings say. Checked at validation and again in the activity that reads the secret. Pure.
import type { ProfileCatalog } from "../profiles/catalog";

export interface SecretScope {
  /** Name prefixes a job may use (lower case), e.g. ["data-", "s3-"]. */
  prefixes: readonly string[];
  /** Exact names a job may use besides the prefixes. */
  names: readonly string[];
  /** Platform secrets by exact name (profiles' gateway/SSH passwords, the notify signing key); never allowed. */
  platformNames: readonly string[];
}

export const DEFAULT_JOB_SECRET_PREFIXES = ["data-", "s3-"] as const;

/**
 * Prefixes of the platform's own secrets, refused even when a setting would allow them: gateway and SSH passwords
 * (cluster-*, gateway-*, ssh-*), webhook HMAC keys (webhook-*: callers' and the notify key), the console/CSRF key
 * (console-*), anything of Jobflow itself (jobflow-*).
 */
export const PLATFORM_SECRET_PREFIXES = ["cluster-", "gateway-", "ssh-", "webhook-", "console-", "csrf-", "jobflow-"] as const;

/** Platform secret names known from the profiles (gateway/SSH passwords) and the notify signing key. */
export function platformSecretNames(profiles: ProfileCatalog, notifySecretName: string): string[] {
  const names = new Set<string>([notifySecretName, "gateway-password", "ssh-password", "console-csrf-key"]);
  for (const p of Object.values(profiles)) {
    names.add(p.gateway.passwordSecret);
    names.add(p.ssh.passwordSecret);
  }
  return [...names].map((n) => n.toLowerCase());
}

/** Parses a comma-separated setting into lower-case entries. */
export function scopeList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

export function secretScope(options: {
  prefixes?: readonly string[];
  names?: readonly string[];
  profiles: ProfileCatalog;
  notifySecretName: string;
}): SecretScope {
  return {
    prefixes: (options.prefixes ?? DEFAULT_JOB_SECRET_PREFIXES).map((p) => p.toLowerCase()),
    names: (options.names ?? []).map((n) => n.toLowerCase()),
    platformNames: platformSecretNames(options.profiles, options.notifySecretName),
  };
}

/**
 * Why a job may not reference secret `name`, or undefined when it may. Key Vault names are case-insensitive, so
 * the comparison is too. The message names the secret and the rule, never a value.
 */
export function jobSecretRefusal(name: string, scope: SecretScope): string | undefined {
  const lower = name.toLowerCase();
  if (scope.platformNames.includes(lower) || PLATFORM_SECRET_PREFIXES.some((p) => lower.startsWith(p))) {
    return `secret '${name}' is a platform secret (gateway, SSH, webhook or console key): a job may never reference it`;
  }
  if (scope.names.includes(lower) || scope.prefixes.some((p) => lower.startsWith(p))) return undefined;
  const allowed = [...scope.prefixes.map((p) => `${p}*`), ...scope.names].join(", ") || "none";
  return `secret '${name}' is outside the secrets jobs may reference (${allowed}; settings JOBFLOW_JOB_SECRET_PREFIXES, JOBFLOW_JOB_SECRET_NAMES)`;
}
