// The Key Vault data-plane routes for secrets (Key Vault REST 7.x / 2025-07-01 as the SecretClient sends them).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { VirtualClock } from "../../clock/virtualClock";
import { isRecord, readBodyText, sendJson, splitPath } from "../gateway/httpUtil";
import { isValidSecretName, keyOf, newVersionId, type SecretVersion, type KeyVaultState, type SeedEntry, type StoredSecret } from "./store";

export interface VaultContext {
  state: KeyVaultState;
  clock: VirtualClock;
  tenantId: string;
  /** The vault's path on the sandbox host, e.g. "/keyvault" (nextLinks must route back to it). */
  mountPath: string;
  changed(): void;
}

const recoveryLevel = "Recoverable+Purgeable";
const recoverableDays = 90;
const maxValueBytes = 25 * 1024;

function kvError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

function notFound(res: ServerResponse, what: string): void {
  kvError(
    res,
    404,
    "SecretNotFound",
    `A secret with (name/id) ${what} was not found in this key vault. If you recently deleted this secret you may be able to ` +
      "recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
  );
}

function nowSeconds(ctx: VaultContext): number {
  return Math.floor(ctx.clock.nowMs() / 1000);
}

/** Stores a new current version of `name` (creating the secret), as PUT /secrets/{name} does. */
export function setSecret(
  ctx: VaultContext,
  name: string,
  entry: SeedEntry & { enabled?: boolean; notBefore?: number; expires?: number },
): SecretVersion {
  const key = keyOf(name);
  const secret: StoredSecret = ctx.state.secrets[key] ?? { name, versions: [] };
  const now = nowSeconds(ctx);
  const version: SecretVersion = {
    version: newVersionId(),
    value: entry.value,
    enabled: entry.enabled ?? true,
    created: now,
    updated: now,
  };
  if (entry.contentType !== undefined) version.contentType = entry.contentType;
  if (entry.tags !== undefined) version.tags = entry.tags;
  if (entry.notBefore !== undefined) version.notBefore = entry.notBefore;
  if (entry.expires !== undefined) version.expires = entry.expires;
  secret.versions.push(version);
  ctx.state.secrets[key] = secret;
  return version;
}

/**
 * Identifiers are `https://<host>/secrets/<name>/<version>` without the /keyvault mount: the SDK parses ids and
 * accepts only /secrets/{name}[/{version}] paths, as on a real vault host.
 */
function idBase(req: IncomingMessage): string {
  return `https://${req.headers.host ?? "127.0.0.1"}`;
}

function attributes(v: SecretVersion): Record<string, unknown> {
  return {
    enabled: v.enabled,
    created: v.created,
    updated: v.updated,
    ...(v.notBefore !== undefined ? { nbf: v.notBefore } : {}),
    ...(v.expires !== undefined ? { exp: v.expires } : {}),
    recoveryLevel,
    recoverableDays,
  };
}

function bundle(req: IncomingMessage, s: StoredSecret, v: SecretVersion, withValue: boolean): Record<string, unknown> {
  return {
    ...(withValue ? { value: v.value } : {}),
    id: `${idBase(req)}/secrets/${s.name}/${v.version}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    tags: v.tags ?? {},
  };
}

function item(req: IncomingMessage, s: StoredSecret, v: SecretVersion, withVersion: boolean): Record<string, unknown> {
  return {
    id: `${idBase(req)}/secrets/${s.name}${withVersion ? `/${v.version}` : ""}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    tags: v.tags ?? {},
  };
}

/** Serves one vault request (subPath relative to the vault URL). */
export async function handleVaultRequest(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const auth = req.headers.authorization;
  if (!auth || !/^Bearer\s+\S+/i.test(auth)) {
    // The challenge the SDK's keyVaultAuthenticationPolicy expects before it fetches a token (its first request
    // goes out without a token and without a body).
    return kvError(res, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", {
      "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/${ctx.tenantId}", resource="https://vault.azure.net"`,
    });
  }
  const fault = ctx.state.faults[0];
  if (fault) {
    fault.remaining -= 1;
    if (fault.remaining <= 0) ctx.state.faults.shift();
    ctx.changed();
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
    return kvError(res, fault.status, fault.status === 429 ? "Throttled" : "ServiceUnavailable", "Injected by the sandbox.", headers);
  }
  const { segments, query } = splitPath(subPath);
  if (!query.get("api-version")) return kvError(res, 400, "BadParameter", "The request URI contains an invalid or missing api-version");
  const [collection, name, third, fourth] = segments;
  if (name !== undefined && !isValidSecretName(name)) {
    return kvError(res, 400, "BadParameter", `The request URI contains an invalid name: ${name}`);
  }
  if (collection === "secrets") {
    if (name === undefined && method === "GET") return listSecrets(ctx, req, res, query);
    if (name !== undefined && third === "versions" && fourth === undefined && method === "GET") return listVersions(ctx, req, res, name);
    if (name !== undefined && fourth === undefined) {
      if (method === "PUT" && third === undefined) return putSecret(ctx, req, res, name);
      if (method === "GET") return getSecret(ctx, req, res, name, third);
      if (method === "DELETE" && third === undefined) return deleteSecret(ctx, req, res, name);
    }
  }
  if (collection === "deletedsecrets") {
    if (name === undefined && method === "GET") {
      return sendJson(res, 200, { value: Object.values(ctx.state.deleted).map((d) => deletedBundle(req, d, false)), nextLink: null });
    }
    const deleted = name !== undefined ? ctx.state.deleted[keyOf(name)] : undefined;
    if (name !== undefined && !deleted) return kvError(res, 404, "SecretNotFound", `Deleted Secret not found: ${name}`);
    if (deleted && third === undefined && method === "GET") return sendJson(res, 200, deletedBundle(req, deleted, true));
    if (deleted && third === undefined && method === "DELETE") {
      delete ctx.state.deleted[keyOf(deleted.secret.name)];
      ctx.changed();
      res.writeHead(204).end();
      return;
    }
    if (deleted && third === "recover" && method === "POST") {
      delete ctx.state.deleted[keyOf(deleted.secret.name)];
      ctx.state.secrets[keyOf(deleted.secret.name)] = deleted.secret;
      ctx.changed();
      const current = deleted.secret.versions[deleted.secret.versions.length - 1] as SecretVersion;
      return sendJson(res, 200, bundle(req, deleted.secret, current, false));
    }
  }
  return kvError(res, 400, "BadParameter", `Unsupported ${method} ${splitPath(subPath).path}`);
}

function getSecret(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, name: string, version: string | undefined): void {
  const secret = ctx.state.secrets[keyOf(name)];
  const v = secret && (version ? secret.versions.find((x) => x.version === version) : secret.versions[secret.versions.length - 1]);
  if (!secret || !v) return notFound(res, version ? `${name}/${version}` : name);
  if (!v.enabled) {
    return sendJson(res, 403, {
      error: { code: "Forbidden", message: "Operation get is not allowed on a disabled secret.", innererror: { code: "SecretDisabled" } },
    });
  }
  sendJson(res, 200, bundle(req, secret, v, true));
}

async function putSecret(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await readBodyText(req));
  } catch {
    return kvError(res, 400, "BadParameter", "The request body is not valid JSON.");
  }
  if (!isRecord(body) || typeof body.value !== "string")
    return kvError(res, 400, "BadParameter", "Property 'value' is required and must be a string.");
  if (Buffer.byteLength(body.value) > maxValueBytes) return kvError(res, 400, "BadParameter", "Secret value is too large (max 25 KB).");
  if (ctx.state.deleted[keyOf(name)]) {
    return kvError(
      res,
      409,
      "Conflict",
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    );
  }
  const attrs = isRecord(body.attributes) ? body.attributes : {};
  const tags = isRecord(body.tags)
    ? (Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)])) as Record<string, string>)
    : undefined;
  const entry: Parameters<typeof setSecret>[2] = { value: body.value };
  if (typeof body.contentType === "string") entry.contentType = body.contentType;
  if (tags) entry.tags = tags;
  if (typeof attrs.enabled === "boolean") entry.enabled = attrs.enabled;
  if (typeof attrs.nbf === "number") entry.notBefore = attrs.nbf;
  if (typeof attrs.exp === "number") entry.expires = attrs.exp;
  const version = setSecret(ctx, name, entry);
  ctx.changed();
  sendJson(res, 200, bundle(req, ctx.state.secrets[keyOf(name)] as StoredSecret, version, true));
}

function deleteSecret(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, name: string): void {
  const secret = ctx.state.secrets[keyOf(name)];
  if (!secret) return notFound(res, name);
  const now = nowSeconds(ctx);
  const deleted = { secret, deletedDate: now, scheduledPurgeDate: now + recoverableDays * 86_400 };
  delete ctx.state.secrets[keyOf(name)];
  ctx.state.deleted[keyOf(name)] = deleted;
  ctx.changed();
  sendJson(res, 200, deletedBundle(req, deleted, true));
}

function deletedBundle(
  req: IncomingMessage,
  d: { secret: StoredSecret; deletedDate: number; scheduledPurgeDate: number },
  full: boolean,
): Record<string, unknown> {
  const current = d.secret.versions[d.secret.versions.length - 1] as SecretVersion;
  const base = full ? bundle(req, d.secret, current, false) : item(req, d.secret, current, false);
  return {
    ...base,
    recoveryId: `${idBase(req)}/deletedsecrets/${d.secret.name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
  };
}

function listSecrets(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const all = Object.values(ctx.state.secrets).sort((a, b) => keyOf(a.name).localeCompare(keyOf(b.name)));
  const max = Number(query.get("maxresults") ?? "25");
  const pageSize = Number.isInteger(max) && max >= 1 && max <= 25 ? max : 25;
  const skip = Number(query.get("$skiptoken") ?? "0") || 0;
  const page = all.slice(skip, skip + pageSize);
  const next =
    skip + pageSize < all.length
      ? `${idBase(req)}${ctx.mountPath}/secrets?api-version=${encodeURIComponent(query.get("api-version") ?? "")}&maxresults=${pageSize}&$skiptoken=${skip + pageSize}`
      : null;
  sendJson(res, 200, { value: page.map((s) => item(req, s, s.versions[s.versions.length - 1] as SecretVersion, false)), nextLink: next });
}

function listVersions(ctx: VaultContext, req: IncomingMessage, res: ServerResponse, name: string): void {
  const secret = ctx.state.secrets[keyOf(name)];
  if (!secret) return notFound(res, name);
  sendJson(res, 200, { value: secret.versions.map((v) => item(req, secret, v, true)), nextLink: null });
}
