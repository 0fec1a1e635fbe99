// Azure Key Vault secrets REST emulator, mounted by the ARM side at /keyvault (vault URL
// https://127.0.0.1:PORT/keyvault). Speaks what @azure/keyvault-secrets' SecretClient sends: challenge-based bearer
// auth, get/set/list/versions/delete (soft delete)/recover/purge, and Key Vault's error shape. See README.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ControlRequestHandler, SandboxComponent, SandboxComponentDeps, SandboxComponentFactory } from "../contracts";
import { sendJson, splitPath } from "../gateway/httpUtil";
import { handleVaultRequest, setSecret, type VaultContext } from "./secretsApi";
import {
  emptyKeyVaultState,
  KeyVaultStateFile,
  loadKeyVaultState,
  parseSeed,
  readSeedFile,
  type KeyVaultState,
  type SeedEntry,
} from "./store";

/** The Key Vault component with its handler narrowed to the (req, res, subPath) mount signature. */
export interface SandboxKeyVault extends SandboxComponent {
  /** Serves /keyvault{subPath} (subPath starts with "/" and keeps its query). */
  handle: (req: IncomingMessage, res: ServerResponse, subPath: string) => Promise<void>;
  /** Serves /_sandbox/keyvault{subPath}: seed secrets, list names, inject faults. */
  control: ControlRequestHandler;
}

export interface KeyVaultOptions {
  /** Tenant id named in the 401 challenge (`authorization="https://login.microsoftonline.com/<tenant>"`). */
  tenantId?: string;
  /** Where the ARM side mounts the vault (for list nextLinks); default "/keyvault". */
  mountPath?: string;
}

/** The tenant the sandbox's local credential claims to be in. */
export const sandboxTenantId = "00000000-0000-0000-0000-000000000000";

/**
 * Creates the vault: loads persisted secrets from `deps.dataDir`, then adds the entries of seed-secrets.json (in that
 * folder) and of `deps.seedSecrets` that are not present yet.
 */
export function createKeyVault(deps: SandboxComponentDeps, options: KeyVaultOptions = {}): SandboxKeyVault {
  const file = new KeyVaultStateFile(deps.dataDir);
  const state: KeyVaultState = loadKeyVaultState(deps.dataDir);
  const ctx: VaultContext = {
    state,
    clock: deps.clock,
    tenantId: options.tenantId ?? sandboxTenantId,
    mountPath: options.mountPath ?? "/keyvault",
    changed: () => {
      file.save(state).catch(() => undefined);
    },
  };
  // Seeds add only names the vault does not hold yet, so a restart neither adds versions nor undoes changes.
  applySeed(ctx, readSeedFile(deps.dataDir), false);
  if (deps.seedSecrets) applySeed(ctx, parseSeed(deps.seedSecrets), false);

  const handle = async (req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> => {
    try {
      await handleVaultRequest(ctx, req, res, subPath);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: { code: "InternalError", message: (e as Error).message } });
      else res.destroy(e as Error);
    } finally {
      // Path only: secret values travel in bodies, never in paths, so the log cannot hold one.
      deps.logRequest({
        method: req.method ?? "GET",
        path: `${ctx.mountPath}${splitPath(subPath).path}`,
        status: res.statusCode,
        component: "keyvault",
      });
    }
  };

  const control: ControlRequestHandler = async (req, res, subPath, body) => {
    const method = (req.method ?? "GET").toUpperCase();
    const { segments, query } = splitPath(subPath);
    try {
      if (segments[0] === "secrets" && segments.length === 1) {
        if (method === "GET") {
          const reveal = query.get("reveal") === "true";
          const secrets = Object.values(state.secrets).map((s) => {
            const current = s.versions[s.versions.length - 1];
            return {
              name: s.name,
              versions: s.versions.length,
              enabled: current?.enabled ?? false,
              ...(reveal ? { value: current?.value } : {}),
            };
          });
          return sendJson(res, 200, { secrets, deleted: Object.values(state.deleted).map((d) => d.secret.name) });
        }
        if (method === "POST" || method === "PUT") {
          const names = applySeed(ctx, parseSeed(body), true);
          return sendJson(res, 200, { set: names });
        }
        if (method === "DELETE") {
          state.secrets = {};
          state.deleted = {};
          ctx.changed();
          return sendJson(res, 200, { cleared: true });
        }
      }
      if (segments[0] === "faults" && segments.length === 1) {
        if (method === "DELETE") state.faults = [];
        else if (method === "POST") state.faults.push(parseFault(body));
        else if (method !== "GET") return sendJson(res, 400, { error: { code: "BadRequest", message: `${method} not supported` } });
        ctx.changed();
        return sendJson(res, 200, { faults: state.faults });
      }
      if (segments[0] === "reset" && method === "POST") {
        await reset();
        return sendJson(res, 200, { reset: true });
      }
      return sendJson(res, 404, { error: { code: "NotFound", message: `no keyvault control route ${method} ${subPath}` } });
    } catch (e) {
      return sendJson(res, 400, { error: { code: "BadRequest", message: (e as Error).message } });
    }
  };

  async function reset(): Promise<void> {
    const empty = emptyKeyVaultState();
    state.secrets = empty.secrets;
    state.deleted = empty.deleted;
    state.faults = empty.faults;
    await file.save(state);
  }

  return { handle, control, save: () => file.save(state), reset };
}

/** Sets each seed secret; with `overwrite` false only names not yet in the vault (so restarts add no versions). */
function applySeed(ctx: VaultContext, seed: Record<string, SeedEntry>, overwrite: boolean): string[] {
  const names: string[] = [];
  for (const [name, entry] of Object.entries(seed)) {
    if (!overwrite && ctx.state.secrets[name.toLowerCase()]) continue;
    setSecret(ctx, name, entry);
    names.push(name);
  }
  if (names.length > 0) ctx.changed();
  return names;
}

function parseFault(body: unknown): KeyVaultState["faults"][number] {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const status = b.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new Error("fault needs status (an HTTP error status, e.g. 429 or 503)");
  }
  const count = b.count ?? 1;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw new Error("count must be a positive integer");
  const retryAfter = b.retryAfterSeconds;
  if (retryAfter !== undefined && (typeof retryAfter !== "number" || retryAfter < 0)) throw new Error("retryAfterSeconds must be >= 0");
  return { status, remaining: count, ...(typeof retryAfter === "number" ? { retryAfterSeconds: retryAfter } : {}) };
}

/** The factory the ARM side loads by convention (see contracts.ts SandboxComponentFactory). */
export const createKeyVaultComponent: SandboxComponentFactory = (deps) => createKeyVault(deps);
