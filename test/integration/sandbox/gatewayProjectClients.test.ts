// The seam both ways: Jobflow's own gateway clients (Livy, Ambari/YARN) and Key Vault secret store, unmodified,
// against the sandbox's emulators — only the base URL, credentials and CA differ from Azure.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClusterGatewayInfo } from "../../../shared/cloud/azure/ambariClient";
import { createKeyVaultSecretStore } from "../../../shared/cloud/azure/keyVaultSecrets";
import { createLivyClient } from "../../../shared/cloud/azure/livyClient";
import { runningCluster, startGatewayHarness, type GatewayHarness } from "../../support/gatewayHarness";

let h: GatewayHarness;
const credentials = { username: "admin", password: "Sandbox-Pa55word!" };

beforeAll(async () => {
  h = await startGatewayHarness();
  h.clusters.set("jf-seam", runningCluster("jf-seam", Date.parse("2026-11-21T09:00:00Z")));
});
afterAll(async () => {
  await h.close();
});

describe("Jobflow's clients against the emulators", () => {
  it("drives a Livy batch to dead and reads its log, then deletes it", async () => {
    const livy = createLivyClient({ gatewayUrl: `${h.url}/gateway/jf-seam`, credentials, caPem: h.caPem });
    const batch = await livy.submitBatch({
      file: "abfss://code@acct.dfs.core.windows.net/report.py",
      name: "report",
      conf: { "spark.jobflow.sandbox.outcome": "dead", "spark.jobflow.sandbox.durationSeconds": "40" },
    });
    expect(batch.state).toBe("starting");
    await h.clock.advanceBy(40_000);
    expect((await livy.getBatch(batch.id))?.state).toBe("dead");
    const log = await livy.getBatchLog(batch.id, { from: 0, size: 1000 });
    expect(log?.log.at(-1)).toBe("User application exited with status 1");
    expect((await livy.listBatches()).total).toBe(1);
    await livy.deleteBatch(batch.id);
    expect(await livy.getBatch(batch.id)).toBeUndefined();
  });

  it("downloads the client-config bundle and reads YARN apps and metrics", async () => {
    const info = createClusterGatewayInfo({ gatewayUrl: `${h.url}/gateway/jf-seam`, credentials, caPem: h.caPem });
    const bundle = await info.downloadClientConfigBundle("jf-seam");
    const listing = execFileSync("tar", ["-tzf", "-"], { input: bundle }).toString();
    expect(listing).toContain("hadoop/conf/core-site.xml");
    await h.request("POST", "/_sandbox/gateway/yarn-apps", { body: JSON.stringify({ cluster: "jf-seam", name: "adhoc" }) });
    expect((await info.runningApps()).map((a) => a.name)).toEqual(["adhoc"]);
    expect((await info.metrics()).appsRunning).toBe(1);
  });

  it("reads a secret through the Key Vault secret store, and maps a missing one to NotFoundError", async () => {
    await h.request("POST", "/_sandbox/keyvault/secrets", { body: JSON.stringify({ "s3-readonly": "ak:sk" }) });
    const store = createKeyVaultSecretStore({
      vaultUrl: `${h.url}/keyvault`,
      credential: { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) },
      caPem: h.caPem,
      disableChallengeResourceVerification: true,
    });
    expect(await store.getSecret("s3-readonly")).toBe("ak:sk");
    await expect(store.getSecret("nope")).rejects.toMatchObject({ name: "NotFoundError" });
  });
});
