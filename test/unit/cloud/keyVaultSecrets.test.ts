// The real @azure/keyvault-secrets client behind SecretStore, against a local HTTPS server that speaks Key Vault's
// bearer challenge (401 + WWW-Authenticate first, then the token) under /keyvault, like the sandbox's emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createKeyVaultSecretStore } from "../../../shared/cloud/azure/keyVaultSecrets";
import { StaticTokenCredential } from "../../../shared/cloud/credentials";
import type { SecretStore } from "../../../shared/cloud/secrets";
import { json, startHttpsTestServer, type HttpsTestServer } from "../../support/httpsTestServer";

describe("SecretStore over @azure/keyvault-secrets", () => {
  let server: HttpsTestServer;
  let secrets: SecretStore;
  let throttleNext = 0;
  const values: Record<string, string> = { "gateway-c1": "s3cr3t!Value" };

  beforeAll(async () => {
    server = await startHttpsTestServer();
    secrets = createKeyVaultSecretStore({
      vaultUrl: `${server.url}/keyvault`,
      credential: new StaticTokenCredential("kv-token"),
      caPem: server.caPem,
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 1, retryDelayInMs: 5 },
      retryOn429: { maxRetries: 2, retryDelayInMs: 5 },
    });
    server.setHandler((req, res) => {
      if (req.headers.authorization !== "Bearer kv-token") {
        json(
          res,
          401,
          { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } },
          {
            "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"`,
          },
        );
        return;
      }
      if (throttleNext > 0) {
        throttleNext--;
        json(res, 429, { error: { code: "Throttled", message: "slow down" } });
        return;
      }
      const name = /^\/keyvault\/secrets\/([^/?]+)/.exec(req.url)?.[1] ?? "";
      if (values[name] === undefined)
        json(res, 404, { error: { code: "SecretNotFound", message: `A secret with (name/id) ${name} was not found in this key vault.` } });
      else
        json(res, 200, {
          value: values[name],
          id: `${server.url}/secrets/${name}/v1` /* ids must be /secrets/<name>/<version>: the SDK parses them */,
          attributes: { enabled: true },
        });
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("answers the bearer challenge and returns the value", async () => {
    expect(await secrets.getSecret("gateway-c1")).toBe("s3cr3t!Value");
    expect(server.requests.some((r) => r.headers.authorization === "Bearer kv-token")).toBe(true);
    expect(server.requests.at(-1)?.url).toMatch(/^\/keyvault\/secrets\/gateway-c1\/?\?api(-|%2D)version=/);
  });

  it("throws NotFoundError for a missing secret, without any secret value in the message", async () => {
    const err = (await secrets.getSecret("nope").then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err).toMatchObject({ name: "NotFoundError", statusCode: 404 });
  });

  it("retries a bare 429", async () => {
    throttleNext = 2;
    expect(await secrets.getSecret("gateway-c1")).toBe("s3cr3t!Value");
    expect(server.requests.filter((r) => r.headers.authorization).length).toBeGreaterThanOrEqual(3);
  });
});
