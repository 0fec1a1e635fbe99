// The Key Vault emulator's data: secrets with versions, soft-deleted secrets, and injected faults, persisted as JSON
// in the component's data folder (this file holds secret values: it is the vault's storage, written 0600).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SerializedJsonFile } from "../stateFile";

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  /** Unix seconds, as Key Vault's attributes carry them. */
  created: number;
  updated: number;
  notBefore?: number;
  expires?: number;
}

export interface StoredSecret {
  name: string;
  /** Oldest first; the last one is the current version. */
  versions: SecretVersion[];
}

export interface DeletedSecret {
  secret: StoredSecret;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** An injected failure: the next `remaining` vault requests answer `status` (e.g. 429 with Retry-After, 503). */
export interface KeyVaultFault {
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

export interface KeyVaultState {
  secrets: Record<string, StoredSecret>;
  deleted: Record<string, DeletedSecret>;
  faults: KeyVaultFault[];
}

export function emptyKeyVaultState(): KeyVaultState {
  return { secrets: {}, deleted: {}, faults: [] };
}

const stateFile = "keyvault-state.json";
/** Optional hand-written seed: `{ "name": "value" }` or `{ "name": { "value": "…", "contentType": "…", "tags": {…} } }`. */
export const seedFileName = "seed-secrets.json";

/** Secret names as Key Vault allows them: 1-127 alphanumerics and dashes. */
export function isValidSecretName(name: string): boolean {
  return /^[0-9a-zA-Z-]{1,127}$/.test(name);
}

export function newVersionId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Key Vault treats names case-insensitively; the store keys by lower case and keeps the first spelling. */
export function keyOf(name: string): string {
  return name.toLowerCase();
}

export function loadKeyVaultState(dataDir: string): KeyVaultState {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, stateFile), "utf8")) as Partial<KeyVaultState>;
    return { secrets: parsed.secrets ?? {}, deleted: parsed.deleted ?? {}, faults: parsed.faults ?? [] };
  } catch {
    return emptyKeyVaultState();
  }
}

export interface SeedEntry {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
}

/** Parses a seed document (file or control body); throws an Error naming each bad entry. */
export function parseSeed(doc: unknown): Record<string, SeedEntry> {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error("seed must be a JSON object of name → value");
  const out: Record<string, SeedEntry> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (!isValidSecretName(name)) problems.push(`invalid secret name ${JSON.stringify(name)}`);
    else if (typeof raw === "string") out[name] = { value: raw };
    else if (typeof raw === "object" && raw !== null && typeof (raw as SeedEntry).value === "string") {
      const e = raw as SeedEntry;
      out[name] = { value: e.value, ...(e.contentType ? { contentType: e.contentType } : {}), ...(e.tags ? { tags: e.tags } : {}) };
    } else problems.push(`secret ${name} needs a string value`);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return out;
}

/** Reads `seed-secrets.json` from the data folder when present; an unreadable seed is an error worth seeing. */
export function readSeedFile(dataDir: string): Record<string, SeedEntry> {
  let text: string;
  try {
    text = readFileSync(join(dataDir, seedFileName), "utf8");
  } catch {
    return {};
  }
  return parseSeed(JSON.parse(text));
}

/** Atomic, serialized JSON writes of the vault state. */
export class KeyVaultStateFile extends SerializedJsonFile<KeyVaultState> {
  constructor(dataDir: string) {
    super(dataDir, stateFile);
  }
}
