// The sandbox's cluster operations and location APIs driven by the typed @azure/arm-hdinsight methods, so their
// long-running-operation handling (Azure-AsyncOperation, then the Location result) is proven with the real SDK.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";
import { sparkClusterBody } from "./clusterBodies";

const MINUTE = 60_000;
const env = useTestSandbox();
const NAME = "jf-ops-sdk";
const POLL = { updateIntervalInMs: 10 };

/** Starts an LRO, lets virtual time pass, then waits for the SDK poller to finish. */
async function finish<T>(start: Promise<{ pollUntilDone(): Promise<T> }>): Promise<T> {
  const poller = await start;
  await env.current.sandbox.control.advanceBy(15 * MINUTE);
  return poller.pollUntilDone();
}

beforeAll(async () => {
  await env.current.hdinsight().clusters.beginCreate(RG, NAME, sparkClusterBody());
  await env.current.sandbox.control.advanceBy(21 * MINUTE);
});

describe("sandbox: HDInsight operations through the typed SDK", () => {
  it("resizes the workers and configures, then removes, autoscale", async () => {
    const client = env.current.hdinsight();
    await finish(client.clusters.beginResize(RG, NAME, "workernode", { targetInstanceCount: 7 }, POLL));
    const resized = await client.clusters.get(RG, NAME);
    expect(resized.properties?.computeProfile?.roles?.find((r) => r.name === "workernode")?.targetInstanceCount).toBe(7);
    await finish(
      client.clusters.beginUpdateAutoScaleConfiguration(
        RG,
        NAME,
        "workernode",
        { autoscale: { capacity: { minInstanceCount: 3, maxInstanceCount: 9 } } },
        POLL,
      ),
    );
    const scaled = await client.clusters.get(RG, NAME);
    expect(scaled.properties?.computeProfile?.roles?.find((r) => r.name === "workernode")?.autoscaleConfiguration).toEqual({
      capacity: { minInstanceCount: 3, maxInstanceCount: 9 },
    });
    await expect(
      client.clusters.beginUpdateAutoScaleConfiguration(
        RG,
        NAME,
        "workernode",
        { autoscale: { capacity: { minInstanceCount: 9, maxInstanceCount: 3 } } },
        POLL,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it("rotates the gateway password: getGatewaySettings and the emulated gateway follow", async () => {
    const client = env.current.hdinsight();
    await finish(
      client.clusters.beginUpdateGatewaySettings(
        RG,
        NAME,
        { isCredentialEnabled: true, userName: "admin", password: "Rotated-Passw0rd!9" },
        POLL,
      ),
    );
    expect(await client.clusters.getGatewaySettings(RG, NAME)).toMatchObject({ userName: "admin", password: "Rotated-Passw0rd!9" });
    const auth = (pw: string) => `Basic ${Buffer.from(`admin:${pw}`).toString("base64")}`;
    const livy = `${env.current.sandbox.url}/gateway/${NAME}/livy/batches`;
    const { request } = await import("node:https");
    const status = (pw: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(livy, { ca: env.current.sandbox.caPem, headers: { authorization: auth(pw) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await status("Rotated-Passw0rd!9")).toBe(200);
    expect(await status("Gw-Passw0rd-2026!")).toBe(401);
    await expect(
      client.clusters.beginUpdateGatewaySettings(RG, NAME, { isCredentialEnabled: true, userName: "admin", password: "weak" }, POLL),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it("runs script actions, lists their history, promotes and deletes a persisted one", async () => {
    const client = env.current.hdinsight();
    await finish(
      client.clusters.beginExecuteScriptActions(
        RG,
        NAME,
        {
          persistOnSuccess: false,
          scriptActions: [{ name: "tools", uri: "https://example.org/tools.sh", roles: ["headnode", "workernode"] }],
        },
        POLL,
      ),
    );
    const history = [];
    for await (const e of client.scriptExecutionHistory.listByCluster(RG, NAME)) history.push(e);
    expect(history).toMatchObject([{ name: "tools", status: "Succeeded", roles: ["headnode", "workernode"] }]);
    const none = [];
    for await (const s of client.scriptActions.listByCluster(RG, NAME)) none.push(s);
    expect(none).toEqual([]);
    await client.scriptExecutionHistory.promote(RG, NAME, String(history[0].scriptExecutionId));
    const persisted = [];
    for await (const s of client.scriptActions.listByCluster(RG, NAME)) persisted.push(s.name);
    expect(persisted).toEqual(["tools"]);
    await client.scriptActions.delete(RG, NAME, "tools");
    const after = [];
    for await (const s of client.scriptActions.listByCluster(RG, NAME)) after.push(s.name);
    expect(after).toEqual([]);
    await expect(
      client.clusters.beginExecuteScriptActions(
        RG,
        NAME,
        { persistOnSuccess: false, scriptActions: [{ name: "x", uri: "https://example.org/x.sh", roles: ["edgenode"] }] },
        POLL,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it("reads configurations, capabilities, usages, billing specs and name availability", async () => {
    const client = env.current.hdinsight();
    const configs = await client.configurations.list(RG, NAME);
    expect(Object.keys(configs.configurations ?? {})).toEqual(expect.arrayContaining(["gateway", "core-site"]));
    expect((await client.configurations.get(RG, NAME, "core-site"))["fs.defaultFS"]).toBe(
      "abfs://clusters@jobflowdata.dfs.core.windows.net",
    );
    const caps = await client.locations.getCapabilities("westeurope");
    expect(caps.versions?.iaas?.available?.map((v) => v.friendlyName)).toEqual(["5.1"]);
    expect((await client.locations.listUsages("westeurope")).value?.[0]).toMatchObject({
      name: { value: "cores" },
      currentValue: (2 + 7 + 3) * 8,
    });
    expect((await client.locations.listBillingSpecs("westeurope")).vmSizes).toContain("Standard_E8_v3");
    expect(await client.locations.checkNameAvailability("westeurope", { name: NAME, type: "clusters" })).toMatchObject({
      nameAvailable: false,
      reason: "AlreadyExists",
    });
    expect(await client.locations.checkNameAvailability("westeurope", { name: "jf-free-name", type: "clusters" })).toMatchObject({
      nameAvailable: true,
    });
  });
});
