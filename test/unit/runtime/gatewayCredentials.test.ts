// Pinned, cached gateway logins (functions/runtime/gatewayCredentials.ts, issue 11 §7, §8): the in-memory fakes of
// the SecretStore and HDInsightClusters contracts (shared/cloud/fake); the end-to-end proof runs on the sandbox in
// test/integration/jobs/gatewayCredentials.test.ts.
import { describe, expect, it } from "vitest";
import { FakeClock, FakeHDInsightClusters, FakeSecretStore } from "../../../shared/cloud/fake";
import { JobflowError } from "../../../shared/errors";
import type { ClusterProfile } from "../../../shared/model/profile";
import {
  CACHE_TTL_MS,
  GATEWAY_SECRET_VERSION_TAG,
  GatewayCredentialCache,
  authRetrying,
  type GatewayLogin,
} from "../../../functions/runtime/gatewayCredentials";

function fakes(tags: Record<string, string> = { [GATEWAY_SECRET_VERSION_TAG]: "v1" }) {
  const secrets = new FakeSecretStore();
  secrets.set("cluster-gateway-password", "Old-Passw0rd!"); // v1
  secrets.set("cluster-gateway-password", "New-Passw0rd!"); // v2, current
  const clusters = new FakeHDInsightClusters();
  for (const name of ["c1", "c2"]) clusters.put({ name, tags });
  const clock = new FakeClock(0);
  const profile = async (): Promise<ClusterProfile> =>
    ({ gateway: { username: "admin", passwordSecret: "cluster-gateway-password" } }) as unknown as ClusterProfile;
  const cache = new GatewayCredentialCache({ secrets, clusters, profile, clock });
  /** The version asked for by each secret read (undefined = the current one). */
  const reads = (): unknown[] => secrets.callsTo("getSecretVersion").map((args) => args[1]);
  return { cache, reads, advance: (ms: number) => clock.advance(ms) };
}

const unauthorized = (): JobflowError => new JobflowError("AuthError", "livy: Unauthorized (HTTP 401)", { statusCode: 401 });

describe("GatewayCredentialCache", () => {
  it("uses the version the cluster was created with, not the current one", async () => {
    const { cache, reads } = fakes();
    expect((await cache.login("c1", "default")).password).toBe("Old-Passw0rd!");
    expect(reads()).toEqual(["v1"]);
  });

  it("a cluster without a recorded version uses the current secret", async () => {
    const { cache, reads } = fakes({});
    expect((await cache.login("c1", "default")).password).toBe("New-Passw0rd!");
    expect(reads()).toEqual([undefined]);
  });

  it("caches per cluster for CACHE_TTL_MS", async () => {
    const { cache, reads, advance } = fakes();
    for (let i = 0; i < 10; i++) await cache.login("c1", "default");
    await cache.login("c2", "default");
    expect(reads()).toHaveLength(2);
    advance(CACHE_TTL_MS - 1);
    await cache.login("c1", "default");
    expect(reads()).toHaveLength(2);
    advance(1);
    await cache.login("c1", "default");
    expect(reads()).toHaveLength(3);
  });

  it("a 401 re-reads once and succeeds when the fresh login works", async () => {
    const { cache, reads } = fakes();
    let calls = 0;
    const out = await cache.withLogin("c1", "default", async () => {
      calls += 1;
      if (calls === 1) throw unauthorized();
      return "ok";
    });
    expect(out).toBe("ok");
    expect(calls).toBe(2);
    expect(reads()).toHaveLength(2);
  });

  it("a second 401 is a clear AuthError naming cluster, secret and version — never the password", async () => {
    const { cache } = fakes();
    let calls = 0;
    const err = await cache
      .withLogin("c1", "default", async () => {
        calls += 1;
        throw unauthorized();
      })
      .catch((e: unknown) => e as JobflowError);
    expect(calls).toBe(2);
    expect(err).toMatchObject({ name: "AuthError", statusCode: 401 });
    expect(err.message).toMatch(/gateway credential rejected/);
    expect(err.message).toMatch(/cluster c1/);
    expect(err.message).toMatch(/'cluster-gateway-password' version v1/);
    expect(err.message).not.toContain("Passw0rd");
  });

  it("other errors pass through without a re-read", async () => {
    const { cache, reads } = fakes();
    await expect(
      cache.withLogin("c1", "default", async () => {
        throw new JobflowError("TransientError", "503");
      }),
    ).rejects.toMatchObject({ name: "TransientError" });
    expect(reads()).toHaveLength(1);
  });

  it("authRetrying wraps a client's methods, building one client per login", async () => {
    const { cache } = fakes();
    const made: GatewayLogin[] = [];
    let calls = 0;
    const client = authRetrying(cache, "c1", "default", (login) => {
      made.push(login);
      return {
        async ping(x: number): Promise<string> {
          calls += 1;
          if (calls === 2) throw unauthorized();
          return `${login.username}:${x}`;
        },
      };
    });
    expect(await client.ping(1)).toBe("admin:1");
    expect(await client.ping(2)).toBe("admin:2"); // 401 → re-read → fresh client
    expect(await client.ping(3)).toBe("admin:3");
    expect(made).toHaveLength(2);
  });

  it("authRetrying shares the clients of one map across calls until the login changes", async () => {
    const { cache, advance } = fakes();
    const clients = new WeakMap<GatewayLogin, { ping(): Promise<string> }>();
    const made: string[] = [];
    const call = (cluster: string): Promise<string> =>
      authRetrying(
        cache,
        cluster,
        "default",
        (login) => {
          made.push(cluster);
          return { ping: async () => `${cluster}:${login.password}` };
        },
        clients,
      ).ping();
    expect(await call("c1")).toBe("c1:Old-Passw0rd!");
    expect(await call("c1")).toBe("c1:Old-Passw0rd!");
    expect(await call("c2")).toBe("c2:Old-Passw0rd!"); // another cluster: its own login, its own client
    expect(made).toEqual(["c1", "c2"]);
    advance(CACHE_TTL_MS + 1); // the login is read again: a new login object, so a new client
    await call("c1");
    expect(made).toEqual(["c1", "c2", "c1"]);
  });
});
