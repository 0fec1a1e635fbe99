// The Azure path of JobflowBlobStore (blob URL + token credential, user-delegation SAS) against Azurite serving
// HTTPS with OAuth: the bearer token is an unsigned JWT with the claims Azurite checks (aud, iss, iat, nbf, exp).
import https from "node:https";
import { describe, expect, it } from "vitest";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createBlobStore } from "../../../shared/cloud/azure/blobStore";
import { createTestCertificate } from "../../support/httpsTestServer";
import { useAzurite } from "../../support/azurite";

const cert = createTestCertificate();
const TENANT = "72f988bf-0000-0000-0000-000000000000";

function storageToken(): TokenCredential {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const nowS = Math.floor(Date.now() / 1000);
  const token = `${part({ alg: "none", typ: "JWT" })}.${part({
    aud: "https://storage.azure.com",
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: nowS - 60,
    nbf: nowS - 60,
    exp: nowS + 3600,
    oid: "00000000-0000-0000-0000-0000000000a1",
    tid: TENANT,
  })}.`;
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: (nowS + 3600) * 1000 }) };
}

function httpsGet(url: string, ca: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("JobflowBlobStore with a token credential (Azurite over HTTPS + OAuth)", () => {
  const azurite = useAzurite({ tls: { certPem: cert.certPem, keyPem: cert.keyPem }, oauth: true });

  it("reads and writes with a bearer token and hands out a user-delegation SAS that downloads", async () => {
    expect(azurite.current.blobUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const store = createBlobStore({ blobUrl: azurite.current.blobUrl, credential: storageToken(), caPem: cert.certPem });
    const etag = await store.putJson("bundles", "c1/record.json", { ok: true }, { ifNoneMatch: "*" });
    expect(await store.getJson("bundles", "c1/record.json")).toEqual({ value: { ok: true }, etag });
    await store.putBytes("bundles", "c1/client-config.tar.gz", Buffer.from("tar-bytes"));

    const url = await store.createReadSasUrl("bundles", "c1/client-config.tar.gz", { expiresInMinutes: 15 });
    expect(url).toContain("skoid="); // user delegation, not account key
    expect(url).toContain("spr=https");
    const download = await httpsGet(url, cert.certPem);
    expect(download.status).toBe(200);
    expect(download.body.toString()).toBe("tar-bytes");
    expect((await httpsGet(url.replace("sig=", "sig=x"), cert.certPem)).status).toBe(403);
  });

  it("maps a rejected token to AuthError", async () => {
    const expired: TokenCredential = { getToken: async () => ({ token: "not-a-jwt", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const store = createBlobStore({ blobUrl: azurite.current.blobUrl, credential: expired, caPem: cert.certPem });
    await expect(store.putText("bundles", "x.txt", "x")).rejects.toMatchObject({ name: "AuthError" });
  });
});
