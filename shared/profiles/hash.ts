// Stable hashing of profiles: canonical JSON (sorted keys, no whitespace) + SHA-256, written in plain TypeScript
// so deterministic orchestrator code may import it (no node:crypto).
import { sha256Hex } from "../builders/sha256";
import type { ClusterProfile } from "../model/profile";

/** JSON with object keys sorted at every level; undefined members are dropped (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",") + "]";
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => JSON.stringify(k) + ":" + canonicalJson((value as Record<string, unknown>)[k]));
  return "{" + entries.join(",") + "}";
}

/** SHA-256 of the UTF-8 bytes of `text` as hex (the one pure-TS implementation lives in shared/builders). */
export { sha256Hex } from "../builders/sha256";

/**
 * Identity of an *effective* profile (after overrides and placeholders): two clusters with the same hash are
 * interchangeable for warm reuse. `description` is left out because it does not change the cluster.
 */
export function profileHash(effectiveProfile: ClusterProfile): string {
  const { description: _description, ...shape } = effectiveProfile;
  return sha256Hex(canonicalJson(shape));
}
