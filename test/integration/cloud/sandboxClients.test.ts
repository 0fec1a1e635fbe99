// Jobflow's cloud clients, built by createCloudClients from a local configuration, against the real HTTPS sandbox:
// HDInsight lifecycle over virtual time, run commands that really run bash, Livy/Ambari/YARN through the gateway,
// Key Vault secrets, and injected throttling (429 with and without Retry-After, 503) absorbed by the retries.
import { describe, expect, it } from "vitest";
import { createCloudClients, type CloudClients } from "../../../shared/cloud/factory";
import { StaticTokenCredential } from "../../../shared/cloud/credentials";
import { loadConfig } from "../../../shared/config";
import { TEST_RESOURCE_GROUP as RG, TEST_SUBSCRIPTION, useTestSandbox } from "../../support/sandbox";
import { GATEWAY_PASSWORD, sparkClusterBody } from "../sandbox/clusterBodies";

const MINUTE = 60_000;
const env = useTestSandbox({ seedSecrets: { "gateway-jf-int": GATEWAY_PASSWORD } });

function clients(): CloudClients {
  const { url, caPem } = env.current.sandbox;
  const config = loadConfig({
    JOBFLOW_TARGET: "local",
    AZURE_SUBSCRIPTION_ID: TEST_SUBSCRIPTION,
    JOBFLOW_RESOURCE_GROUP: RG,
    JOBFLOW_EDGE_RESOURCE_GROUP: RG,
    JOBFLOW_ARM_ENDPOINT: url,
    JOBFLOW_GATEWAY_URL_TEMPLATE: `${url}/gateway/{cluster}`,
    JOBFLOW_KEY_VAULT_URL: `${url}/keyvault`,
  });
  return createCloudClients(config, {
    credential: new StaticTokenCredential(),
    caPem,
    retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    retryOn429: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
}

describe("cloud clients against the sandbox", () => {
  it("creates, serves, tags, lists and deletes a cluster; Livy, Ambari, YARN and Key Vault work through it", async () => {
    const cloud = clients();
    const control = env.current.sandbox.control;
    await cloud.clusters.beginCreate("jf-int", sparkClusterBody({ tags: { "jobflow-job": "j1" } }));
    await cloud.clusters.beginCreate("jf-int", sparkClusterBody({ tags: { "jobflow-job": "j1" } })); // idempotent
    expect((await cloud.clusters.get("jf-int"))?.provisioningState).toMatch(/^inprogress$/i);

    await control.advanceBy(25 * MINUTE);
    const ready = await cloud.clusters.get("jf-int");
    expect(ready).toMatchObject({ name: "jf-int", resourceGroup: RG, provisioningState: "Succeeded", tags: { "jobflow-job": "j1" } });
    expect(ready?.clusterState).toMatch(/^running$/i);
    expect((await cloud.clusters.list({ tagFilter: { "jobflow-job": "j1" } })).map((c) => c.name)).toEqual(["jf-int"]);
    expect(await cloud.clusters.list({ tagFilter: { "jobflow-job": "other" } })).toEqual([]);
    const tagged = await cloud.clusters.updateTags("jf-int", { ...ready?.tags, "jobflow-idle-minutes": "15" });
    expect(tagged.tags["jobflow-idle-minutes"]).toBe("15");

    const password = await cloud.secrets.getSecret("gateway-jf-int");
    expect(password).toBe(GATEWAY_PASSWORD);
    await expect(cloud.secrets.getSecret("no-such-secret")).rejects.toMatchObject({ name: "NotFoundError" });

    const livy = cloud.livy("jf-int", { username: "admin", password });
    const batch = await livy.submitBatch({ file: "abfss://code@jobflowdata.dfs.core.windows.net/ingest.py", name: "ingest" });
    await control.advanceBy(3 * MINUTE);
    expect((await livy.getBatch(batch.id))?.state).toBe("success");
    expect((await livy.getBatchLog(batch.id, { from: 0, size: 100 }))?.log.length).toBeGreaterThan(0);
    expect((await livy.listBatches()).sessions.map((s) => s.id)).toContain(batch.id);
    await livy.deleteBatch(batch.id);
    expect(await livy.getBatch(batch.id)).toBeUndefined();
    await livy.deleteBatch(batch.id);

    const gateway = cloud.gateway("jf-int", { username: "admin", password });
    expect((await gateway.downloadClientConfigBundle("jf-int")).length).toBeGreaterThan(512);
    expect(await gateway.runningApps()).toEqual([]);
    expect((await gateway.metrics()).activeNodes).toBeGreaterThan(0);
    await expect(cloud.livy("jf-int", { username: "admin", password: "wrong" }).listBatches()).rejects.toMatchObject({ name: "AuthError" });

    await cloud.clusters.beginDelete("jf-int");
    await control.advanceBy(30 * MINUTE);
    expect(await cloud.clusters.get("jf-int")).toBeUndefined();
    await cloud.clusters.beginDelete("jf-int");
  });

  it("absorbs injected 429s (with and without Retry-After) and 503s", async () => {
    const cloud = clients();
    const control = env.current.sandbox.control;
    control.clearRequests();
    control.addFault({ kind: "throttle", count: 2, pathContains: "/clusters/jf-throttled", retryAfterSeconds: null });
    expect(await cloud.clusters.get("jf-throttled")).toBeUndefined();
    control.addFault({ kind: "throttle", count: 1, pathContains: "/clusters/jf-throttled", retryAfterSeconds: 0 });
    control.addFault({ kind: "error", status: 503, count: 1, pathContains: "/clusters/jf-throttled" });
    expect(await cloud.clusters.get("jf-throttled")).toBeUndefined();
    const statuses = control
      .requests()
      .filter((r) => r.path.includes("/clusters/jf-throttled"))
      .map((r) => r.status);
    expect(statuses).toEqual([429, 429, 404, 429, 503, 404]);
  });

  it("runs a script on an edge VM with parameters, reads exit code and output, and deletes the run command", async () => {
    const cloud = clients();
    const control = env.current.sandbox.control;
    await cloud.runCommands.beginRun("dss-edge-01", "sync-jf-int-1", {
      script: 'echo "attach $CLUSTER"; echo "secret has ${#SAS_URL} chars"; exit 4',
      parameters: { CLUSTER: "jf-int" },
      protectedParameters: { SAS_URL: "https://example/sas?sig=abc" },
      timeoutInSeconds: 60,
    });
    await control.runCommandsIdle();
    const status = await cloud.runCommands.get("dss-edge-01", "sync-jf-int-1");
    expect(status).toMatchObject({ executionState: "Failed", exitCode: 4 });
    expect(status?.output).toContain("attach jf-int");
    expect(status?.output).toContain("secret has 27 chars");
    expect(await cloud.runCommands.getVm("dss-edge-01")).toMatchObject({ name: "dss-edge-01" });
    expect(await cloud.runCommands.getVm("no-such-vm")).toBeUndefined();

    await cloud.runCommands.beginDelete("dss-edge-01", "sync-jf-int-1");
    await control.advanceBy(MINUTE);
    await control.runCommandsIdle();
    expect(await cloud.runCommands.get("dss-edge-01", "sync-jf-int-1")).toBeUndefined();
    await cloud.runCommands.beginDelete("dss-edge-01", "sync-jf-int-1");
    await expect(cloud.runCommands.beginRun("no-such-vm", "x", { script: "true" })).rejects.toMatchObject({ name: "NotFoundError" });
  });
});
