// The Key Vault emulator driven by the real @azure/keyvault-secrets SecretClient over HTTPS (challenge auth included).
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGatewayHarness, type GatewayHarness } from "../../support/gatewayHarness";

/** A static credential that records the scopes and tenant the client asked for. */
class StaticCredential implements TokenCredential {
  readonly requests: Array<{ scopes: string[]; tenantId: string | undefined }> = [];
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.requests.push({ scopes: Array.isArray(scopes) ? scopes : [scopes], tenantId: options?.tenantId });
    return { token: "sandbox-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

let h: GatewayHarness;
let credential: StaticCredential;
let client: SecretClient;

beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.keyVault.reset();
  credential = new StaticCredential();
  client = new SecretClient(`${h.url}/keyvault`, credential, {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: h.caPem },
    retryOptions: { maxRetries: 0 },
  });
});

describe("Key Vault secrets through the real SecretClient", () => {
  it("answers a token-less request with Key Vault's bearer challenge, which the client follows", async () => {
    const raw = await h.request("GET", "/keyvault/secrets/anything?api-version=2025-07-01");
    expect(raw.status).toBe(401);
    expect(raw.headers["www-authenticate"]).toBe(
      'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
    );
    await client.setSecret("gateway-password", "first");
    expect(credential.requests[0]).toEqual({
      scopes: ["https://vault.azure.net/.default"],
      tenantId: "00000000-0000-0000-0000-000000000000",
    });
  });

  it("sets, gets (latest and by version) and lists secrets", async () => {
    const v1 = await client.setSecret("s3-readonly", "AKIA:first", { contentType: "text/plain", tags: { team: "risk" } });
    const v2 = await client.setSecret("s3-readonly", "AKIA:second");
    expect(v1.properties.version).not.toBe(v2.properties.version);
    const latest = await client.getSecret("s3-readonly");
    expect(latest.value).toBe("AKIA:second");
    expect(latest.name).toBe("s3-readonly");
    const old = await client.getSecret("s3-readonly", { version: v1.properties.version as string });
    expect(old.value).toBe("AKIA:first");
    expect(old.properties.tags).toEqual({ team: "risk" });
    expect(old.properties.createdOn).toEqual(h.clock.now());

    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
    expect(names).toEqual(["s3-readonly"]);
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions("s3-readonly")) versions.push(p.version as string);
    expect(versions.sort()).toEqual([v1.properties.version, v2.properties.version].sort());
  });

  it("reports a missing secret as a 404 RestError with code SecretNotFound", async () => {
    const error = await client.getSecret("no-such-secret").catch((e: unknown) => e as { name: string; statusCode: number; code: string });
    expect(error).toMatchObject({ name: "RestError", statusCode: 404, code: "SecretNotFound" });
  });

  it("soft-deletes, refuses reuse of a deleted name, purges", async () => {
    await client.setSecret("webhook-airflow", "hmac-key");
    const poller = await client.beginDeleteSecret("webhook-airflow");
    const deleted = await poller.pollUntilDone();
    expect(deleted.name).toBe("webhook-airflow");
    await expect(client.getSecret("webhook-airflow")).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.setSecret("webhook-airflow", "again")).rejects.toMatchObject({ statusCode: 409, code: "Conflict" });
    await client.purgeDeletedSecret("webhook-airflow");
    await client.setSecret("webhook-airflow", "again");
    expect((await client.getSecret("webhook-airflow")).value).toBe("again");
  });

  it("pages lists with nextLink back to the mounted vault", async () => {
    for (let i = 0; i < 30; i++)
      await h.request("POST", "/_sandbox/keyvault/secrets", { body: JSON.stringify({ [`bulk-${i}`]: `v${i}` }) });
    let count = 0;
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 25 })) count += page.length;
    expect(count).toBe(30);
  });
});

describe("Key Vault seeding, faults and privacy", () => {
  it("seeds from the control endpoint and reveals values only on request", async () => {
    const seeded = await h.request("POST", "/_sandbox/keyvault/secrets", {
      body: JSON.stringify({ "cluster-gateway": "Pa55!", "s3-keys": { value: "ak:sk", contentType: "text/plain" } }),
    });
    expect(seeded.json()).toEqual({ set: ["cluster-gateway", "s3-keys"] });
    expect((await client.getSecret("s3-keys")).properties.contentType).toBe("text/plain");
    const listing = (await h.request("GET", "/_sandbox/keyvault/secrets")).text();
    expect(listing).toContain("cluster-gateway");
    expect(listing).not.toContain("Pa55!");
    expect((await h.request("GET", "/_sandbox/keyvault/secrets?reveal=true")).text()).toContain("Pa55!");
  });

  it("seeds from seed-secrets.json in its data folder at start, without adding versions on restart", async () => {
    const dir = join(h.dataDir, "keyvault");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "seed-secrets.json"), JSON.stringify({ "from-file": "seeded" }));
    await h.restart();
    await h.restart();
    expect((await client.getSecret("from-file")).value).toBe("seeded");
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions("from-file")) versions.push(p.version as string);
    expect(versions).toHaveLength(1);
  });

  it("injects throttling with Retry-After, which the SDK's retry policy honours", async () => {
    await h.request("POST", "/_sandbox/keyvault/faults", { body: JSON.stringify({ status: 429, retryAfterSeconds: 0, count: 1 }) });
    const retrying = new SecretClient(`${h.url}/keyvault`, credential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: h.caPem },
    });
    await retrying.setSecret("x", "y");
    expect((await retrying.getSecret("x")).value).toBe("y");
    const statuses = h.requestLog
      .filter((r) => r.component === "keyvault" && /^\/keyvault\/secrets\/x\/?$/.test(r.path))
      .map((r) => r.status);
    expect(statuses.slice(-4)).toEqual([401, 429, 200, 200]);
  });

  it("never writes secret values to the request log", async () => {
    await client.setSecret("sensitive", "do-not-log-me-4711");
    await client.getSecret("sensitive");
    expect(JSON.stringify(h.requestLog)).not.toContain("do-not-log-me-4711");
    expect(h.requestLog.some((r) => r.path === "/keyvault/secrets/sensitive" && r.method === "PUT" && r.status === 200)).toBe(true);
  });
});
