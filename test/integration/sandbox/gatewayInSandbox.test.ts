// The gateway and Key Vault components mounted in the real sandbox: a cluster created through the real
// arm-hdinsight client serves Livy/Ambari/YARN once Running (not before, not after delete), and the vault serves the
// real SecretClient with the secrets startSandbox was seeded with.
import https from "node:https";
import { SecretClient } from "@azure/keyvault-secrets";
import { describe, expect, it } from "vitest";
import { staticCredential, TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";
import { GATEWAY_PASSWORD, sparkClusterBody } from "./clusterBodies";

const MINUTE = 60_000;
const env = useTestSandbox({ seedSecrets: { "gateway-jf-edge": GATEWAY_PASSWORD } });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const { url, caPem } = env.current.sandbox;
  return new Promise((resolve, reject) => {
    const req = https.request(`${url}${path}`, { method, headers, ca: caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const basic = { authorization: `Basic ${Buffer.from(`admin:${GATEWAY_PASSWORD}`).toString("base64")}` };

describe("gateway mounted in the sandbox", () => {
  it("serves a cluster's gateway only while it runs, and follows a Livy batch to success", async () => {
    const client = env.current.hdinsight();
    await client.clusters.beginCreate(RG, "jf-edge", sparkClusterBody());
    expect((await call("GET", "/gateway/jf-edge/livy/batches", basic)).status).toBe(502);
    await env.current.sandbox.control.advanceBy(25 * MINUTE);

    const created = await call(
      "POST",
      "/gateway/jf-edge/livy/batches",
      { ...basic, "x-requested-by": "t", "content-type": "application/json" },
      JSON.stringify({ file: "abfss://code@jobflowdata.dfs.core.windows.net/ingest.py" }),
    );
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body.toString()) as { id: number }).id;
    await env.current.sandbox.control.advanceBy(3 * MINUTE);
    const state = await call("GET", `/gateway/jf-edge/livy/batches/${id}/state`, basic);
    expect(JSON.parse(state.body.toString())).toEqual({ id, state: "success" });

    const bundle = await call("GET", "/gateway/jf-edge/api/v1/clusters/jf-edge/components?format=client_config_tar", basic);
    expect(bundle.status).toBe(200);
    expect(bundle.headers["content-type"]).toBe("application/x-ustar");
    const apps = await call("GET", "/gateway/jf-edge/yarnui/ws/v1/cluster/apps?states=FINISHED", basic);
    expect((JSON.parse(apps.body.toString()) as { apps: { app: unknown[] } }).apps.app).toHaveLength(1);

    const token = (await staticCredential().getToken("https://management.azure.com/.default"))?.token as string;
    const inspected = await call("GET", "/_sandbox/gateway/batches?cluster=jf-edge", { authorization: `Bearer ${token}` });
    expect((JSON.parse(inspected.body.toString()) as { batches: Array<{ state: string }> }).batches.map((b) => b.state)).toEqual([
      "success",
    ]);

    const deleting = await client.clusters.beginDelete(RG, "jf-edge");
    await env.current.sandbox.control.advanceBy(30 * MINUTE);
    await deleting.pollUntilDone();
    expect((await call("GET", `/gateway/jf-edge/livy/batches/${id}`, basic)).status).toBe(404);
  });

  it("serves Key Vault at /keyvault with the seeded secrets", async () => {
    const secrets = new SecretClient(`${env.current.sandbox.url}/keyvault`, staticCredential(), {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: env.current.sandbox.caPem },
    });
    expect((await secrets.getSecret("gateway-jf-edge")).value).toBe(GATEWAY_PASSWORD);
    await expect(secrets.getSecret("missing")).rejects.toMatchObject({ statusCode: 404, code: "SecretNotFound" });
  });
});
