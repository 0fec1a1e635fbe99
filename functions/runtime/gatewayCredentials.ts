// Gateway logins of clusters (issue 11 §7, §8): pinned and cached per cluster.
// * Pinned: a cluster is created with the gateway secret's current version and records it in the tag
//   GATEWAY_SECRET_VERSION_TAG; Livy/Ambari calls use that version, so rotating the secret in Key Vault does not
//   lock Jobflow out of the clusters already running (HDInsight keeps the password it was created with).
// * Cached: the login is kept per cluster for CACHE_TTL_MS instead of a Key Vault read (and an ARM read of the tag)
//   on every poll of every step.
// * A 401 with the pinned login drops the cache entry and re-reads once (tag + secret); a second 401 is an
//   AuthError that says the cluster's credential was rejected, and callers drain the cluster.
import type { Clock } from "../../shared/clock";
import type { HDInsightClusters } from "../../shared/cloud/clusters";
import type { SecretStore } from "../../shared/cloud/secrets";
import { JobflowError, isErrorNamed } from "../../shared/errors";
import type { ClusterProfile, GatewayProfileRef } from "../../shared/model/profile";
import { GATEWAY_REJECTED } from "../../shared/workflow/activityFailure";

export const GATEWAY_SECRET_VERSION_TAG = "jobflow-gateway-secret-version";
export const CACHE_TTL_MS = 5 * 60_000;

export interface GatewayLogin {
  username: string;
  password: string;
  /** Secret version the password is (undefined: a cluster created before versions were recorded; the current one). */
  version?: string;
  secretName: string;
}

export interface GatewayCredentialDeps {
  secrets: SecretStore;
  clusters: HDInsightClusters;
  profile(name: string): Promise<ClusterProfile>;
  clock: Clock;
}

export class GatewayCredentialCache {
  private readonly entries = new Map<string, { login: GatewayLogin; expiresAtMs: number }>();

  constructor(private readonly deps: GatewayCredentialDeps) {}

  /** The cluster's pinned gateway login (cached for CACHE_TTL_MS). */
  async login(clusterName: string, profile: GatewayProfileRef): Promise<GatewayLogin> {
    const hit = this.entries.get(clusterName);
    if (hit && hit.expiresAtMs > this.deps.clock.nowMs()) return hit.login;
    const p = typeof profile === "string" ? await this.deps.profile(profile) : profile;
    const cluster = await this.deps.clusters.get(clusterName);
    const pinned = cluster?.tags[GATEWAY_SECRET_VERSION_TAG] || undefined;
    const secret = await this.deps.secrets.getSecretVersion(p.gateway.passwordSecret, pinned ? { version: pinned } : {});
    const login: GatewayLogin = {
      username: p.gateway.username,
      password: secret.value,
      version: pinned,
      secretName: p.gateway.passwordSecret,
    };
    this.entries.set(clusterName, { login, expiresAtMs: this.deps.clock.nowMs() + CACHE_TTL_MS });
    return login;
  }

  forget(clusterName: string): void {
    this.entries.delete(clusterName);
  }

  /**
   * Runs `call` with the cluster's login; on a 401/403 re-reads the login once and tries again; a second refusal
   * becomes an AuthError naming the cluster and the secret version (never the value).
   */
  async withLogin<T>(clusterName: string, profileName: GatewayProfileRef, call: (login: GatewayLogin) => Promise<T>): Promise<T> {
    const first = await this.login(clusterName, profileName);
    try {
      return await call(first);
    } catch (err) {
      if (!isErrorNamed(err, "AuthError")) throw err;
    }
    this.forget(clusterName);
    const again = await this.login(clusterName, profileName);
    try {
      return await call(again);
    } catch (err) {
      if (!isErrorNamed(err, "AuthError")) throw err;
      this.forget(clusterName);
      throw new JobflowError(
        "AuthError",
        `${GATEWAY_REJECTED}: the gateway of cluster ${clusterName} rejects its login (secret '${again.secretName}' version ${again.version ?? "current"}); the cluster is drained`,
        { statusCode: (err as { statusCode?: number }).statusCode ?? 401 },
      );
    }
  }
}

/**
 * Wraps every async method of a per-cluster client so each call goes through `withLogin` (a client is rebuilt
 * when the login changes; methods are looked up by name on the fresh client). `clients` keeps the clients built
 * per login: pass one map per kind of client (Livy, gateway) to share them across calls — a step's status probe
 * then reuses the Livy client (and its two HTTP pipelines) of the previous probe instead of building them again.
 * A login object belongs to one cluster and lives as long as the cache keeps it, so the map needs no key of its own
 * and forgets a client when its login is dropped (expired, or re-read after a 401).
 */
export function authRetrying<C extends object>(
  cache: GatewayCredentialCache,
  clusterName: string,
  profileName: GatewayProfileRef,
  make: (login: GatewayLogin) => C,
  clients: WeakMap<GatewayLogin, C> = new WeakMap(),
): C {
  const clientFor = (login: GatewayLogin): C => {
    let client = clients.get(login);
    if (!client) clients.set(login, (client = make(login)));
    return client;
  };
  return new Proxy({} as C, {
    get: (_target, method: string | symbol) => {
      if (typeof method !== "string" || method === "then") return undefined;
      return (...args: unknown[]) =>
        cache.withLogin(clusterName, profileName, (login) => {
          const client = clientFor(login) as Record<string, (...a: unknown[]) => Promise<unknown>>;
          const fn = client[method];
          if (typeof fn !== "function") throw new TypeError(`${method} is not a method of the gateway client`);
          return fn.apply(client, args);
        });
    },
  });
}
