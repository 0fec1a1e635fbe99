// Conformance of the sandbox's HDInsight operations on a running cluster and its location-level APIs with
// Microsoft's published 2021-06-01 examples: resize, autoscale, script actions (execute, history, persisted),
// gateway settings, configurations, capabilities, billingSpecs, locations/{l}/azureasyncoperations, delete.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, TEST_SUBSCRIPTION as SUB, useTestSandbox } from "../support/sandbox";
import { as51 } from "./adapt";
import { loadExample, secretPaths, send, shapeDifferences, statusClass, type Reply } from "./replay";

const MINUTE = 60_000;
const env = useTestSandbox();
const CLUSTER = "cf-ops-spark";
const base = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.HDInsight/clusters/${CLUSTER}`;
const v = "?api-version=2021-06-01";
const call = (method: string, path: string, body?: unknown): Promise<Reply> =>
  send(env.current.hdinsight(), env.current.sandbox.url, method, path, body);
const example = (file: string) => loadExample(`hdinsight-2021-06-01/${file}`);
const listed = (file: string) => Object.keys(example(file).responses).map(Number);

/** Follows an LRO reply (Azure-AsyncOperation, else Location) after advancing the clock; returns the final status. */
async function settle(reply: Reply): Promise<string> {
  await env.current.sandbox.control.advanceBy(30 * MINUTE);
  const url = reply.headers["azure-asyncoperation"];
  if (url) return ((await call("GET", url)).body as { status: string }).status;
  return reply.status === 200 ? "Succeeded" : "Unknown";
}

beforeAll(async () => {
  const body = as51(example("CreateLinuxSparkSshPassword.json").parameters.parameters);
  const created = await call("PUT", base + v, body);
  expect(created.status).toBe(200);
  await env.current.sandbox.control.advanceBy(25 * MINUTE);
});

describe("conformance: operations on a running cluster", () => {
  it("ResizeLinuxHadoopCluster.json → listed status; the role's targetInstanceCount follows", async () => {
    const ex = example("ResizeLinuxHadoopCluster.json");
    const reply = await call("POST", `${base}/roles/workernode/resize${v}`, ex.parameters.parameters);
    expect(listed("ResizeLinuxHadoopCluster.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    const got = await call("GET", base + v);
    const roles = (got.body as { properties: { computeProfile: { roles: Array<{ name: string; targetInstanceCount: number }> } } })
      .properties.computeProfile.roles;
    expect(roles.find((r) => r.name === "workernode")?.targetInstanceCount).toBe(10);
  });

  it("EnableOrUpdateAutoScaleWithLoadBasedConfiguration.json → listed status; the role shows the autoscale", async () => {
    const ex = example("EnableOrUpdateAutoScaleWithLoadBasedConfiguration.json");
    const reply = await call("POST", `${base}/roles/workernode/autoscale${v}`, ex.parameters.parameters);
    expect(listed("EnableOrUpdateAutoScaleWithLoadBasedConfiguration.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    const got = await call("GET", base + v);
    expect(JSON.stringify(got.body)).toContain('"autoscale":{"capacity":{"minInstanceCount":3,"maxInstanceCount":5}}');
  });

  it("PostExecuteScriptAction.json → listed status; history and persisted lists have the examples' keys", async () => {
    const ex = example("PostExecuteScriptAction.json");
    const reply = await call("POST", `${base}/executeScriptActions${v}`, {
      ...(ex.parameters.parameters as object),
      persistOnSuccess: true,
    });
    expect(listed("PostExecuteScriptAction.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    const history = await call("GET", `${base}/scriptExecutionHistory${v}`);
    expect(history.status).toBe(200);
    // applicationName is set only for scripts an HDInsight application installed (the example's are).
    expect(
      shapeDifferences(example("GetScriptExecutionHistory.json").responses["200"].body, history.body, ["value[Test].applicationName"]),
    ).toEqual([]);
    const persisted = await call("GET", `${base}/scriptActions${v}`);
    expect(persisted.status).toBe(200);
    // The example's entry is another script (app-Install): compare its shape with ours, applicationName aside.
    const sample = (example("GetLinuxHadoopScriptAction.json").responses["200"].body as { value: unknown[] }).value[0];
    expect(shapeDifferences(sample, (persisted.body as { value: unknown[] }).value[0], ["applicationName"])).toEqual([]);
    expect((persisted.body as { value: Array<{ name: string }> }).value.map((s) => s.name)).toEqual(["Test"]);
  });

  it("HDI_Clusters_UpdateGatewaySettings_Enable.json → listed status; getGatewaySettings returns the new login", async () => {
    const ex = example("HDI_Clusters_UpdateGatewaySettings_Enable.json");
    const body = { ...(ex.parameters.parameters as object), "restAuthCredential.password": "Rotated-Passw0rd!1" };
    const reply = await call("POST", `${base}/updateGatewaySettings${v}`, body);
    expect(listed("HDI_Clusters_UpdateGatewaySettings_Enable.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    const got = await call("POST", `${base}/getGatewaySettings${v}`);
    expect(got.status).toBe(200);
    expect(shapeDifferences(example("HDI_Clusters_GetGatewaySettings.json").responses["200"].body, got.body)).toEqual([]);
    expect(got.body).toMatchObject({ "restAuthCredential.username": "hadoop", "restAuthCredential.password": "Rotated-Passw0rd!1" });
  });

  it("ChangeHttpConnectivityEnable.json → listed status (Configurations_Update of gateway); Disable → 4xx (5.1 cannot disable it)", async () => {
    const enable = example("ChangeHttpConnectivityEnable.json");
    const body = { ...(enable.parameters.parameters as object), "restAuthCredential.password": "Rotated-Passw0rd!1" };
    const reply = await call("POST", `${base}/configurations/gateway${v}`, body);
    expect(listed("ChangeHttpConnectivityEnable.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    const disable = await call(
      "POST",
      `${base}/configurations/gateway${v}`,
      example("ChangeHttpConnectivityDisable.json").parameters.parameters,
    );
    expect(statusClass(disable.status)).toBe("4xx");
    expect(disable.body).toMatchObject({ error: { code: "InvalidRequestContent" } });
  });

  it("DisableClusterAutoScale.json → listed status; the role has no autoscale any more", async () => {
    const reply = await call(
      "POST",
      `${base}/roles/workernode/autoscale${v}`,
      example("DisableClusterAutoScale.json").parameters.parameters,
    );
    expect(listed("DisableClusterAutoScale.json")).toContain(reply.status);
    expect(await settle(reply)).toBe("Succeeded");
    expect(JSON.stringify((await call("GET", base + v)).body)).not.toContain('"autoscale"');
  });

  it("HDI_Configurations_Get.json → 200 with core-site; the configurations list names every type without secrets", async () => {
    const got = await call("GET", `${base}/configurations/core-site${v}`);
    expect(got.status).toBe(200);
    expect(
      shapeDifferences(example("HDI_Configurations_Get.json").responses["200"].body, got.body, [
        "fs.azure.account.key.test.blob.core.windows.net",
      ]),
    ).toEqual([]);
    const all = await call("POST", `${base}/configurations${v}`);
    expect(all.status).toBe(200);
    expect(Object.keys((all.body as { configurations: object }).configurations)).toEqual(expect.arrayContaining(["core-site", "gateway"]));
    expect(JSON.stringify(all.body)).not.toContain("Rotated-Passw0rd!1");
  });

  it("a missing cluster's operations → 404 ResourceNotFound", async () => {
    const reply = await call(
      "POST",
      `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.HDInsight/clusters/cf-none/roles/workernode/resize${v}`,
      { targetInstanceCount: 3 },
    );
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: "ResourceNotFound" } });
  });

  it("DELETE → 202 with async headers, then locations/{l}/azureasyncoperations reports Succeeded", async () => {
    const reply = await call("DELETE", base + v);
    expect(reply.status).toBe(202);
    await env.current.sandbox.control.advanceBy(10 * MINUTE);
    const opId = /azureasyncoperations\/([^?]+)/.exec(reply.headers["azure-asyncoperation"] ?? "")?.[1];
    const status = await call(
      "GET",
      `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/westeurope/azureasyncoperations/${opId}${v}`,
    );
    expect(status.status).toBe(200);
    expect(shapeDifferences(example("HDI_Locations_GetAsyncOperationStatus.json").responses["200"].body, status.body)).toEqual([]);
    expect(status.body).toEqual({ status: "Succeeded" });
  });
});

describe("conformance: location-level catalogue APIs", () => {
  it("GetHDInsightCapabilities → 200 with the example's keys; 5.1 and the region are listed", async () => {
    const reply = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/westeurope/capabilities${v}`);
    expect(reply.status).toBe(200);
    // "paas" lists the retired Windows clusters: empty today, so their (non-empty) example lists are not compared;
    // the example's 3.6 is HDP-based, 5.1 has no HDP stack version.
    const paas = [
      "versions.paas.available",
      "regions.paas.available",
      "vmsizes.paas.available",
      "versions.iaas.available[0].componentVersions.HDP",
    ];
    expect(
      shapeDifferences(loadExample("hdinsight-2021-06-01/GetHDInsightCapabilities.excerpt.json").responses["200"].body, reply.body, paas),
    ).toEqual([]);
    expect(JSON.stringify(reply.body)).toContain('"friendlyName":"5.1"');
    expect(secretPaths(reply.body)).toEqual([]);
  });

  it("HDI_Locations_ListBillingSpecs.json → 200 with the example's keys", async () => {
    const reply = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/eastus2/billingSpecs${v}`);
    expect(statusClass(reply.status)).toBe("2xx");
    expect(shapeDifferences(example("HDI_Locations_ListBillingSpecs.json").responses["200"].body, reply.body)).toEqual([]);
  });

  it("HDI_Locations_ValidateClusterCreateRequest.json → 200 with the example's keys: as published (4.0) it reports the retired version, on 5.1 nothing", async () => {
    const ex = example("HDI_Locations_ValidateClusterCreateRequest.json");
    const path = `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/southcentralus/validateCreateRequest${v}`;
    const published = await call("POST", path, ex.parameters.parameters);
    expect(published.status).toBe(200);
    expect(shapeDifferences(ex.responses["200"].body, published.body)).toEqual([]);
    expect((published.body as { validationErrors: Array<{ code: string }> }).validationErrors.map((e) => e.code)).toContain(
      "UnsupportedClusterVersion",
    );
    const on51 = await call("POST", path, as51(ex.parameters.parameters));
    expect(on51.status).toBe(200);
    expect(on51.body).toMatchObject({ validationErrors: [], estimatedCreationDuration: "PT20M" });
  });

  it("GetHDInsightUsages.json → 200 with the example's keys; cores of the subscription's clusters in the region", async () => {
    const reply = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/West%20US/usages${v}`);
    expect(reply.status).toBe(200);
    expect(shapeDifferences(example("GetHDInsightUsages.json").responses["200"].body, reply.body)).toEqual([]);
    expect(reply.body).toMatchObject({ value: [{ name: { value: "cores" }, currentValue: 0 }] });
  });

  it("capabilities of a region HDInsight is not in → 4xx", async () => {
    const reply = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.HDInsight/locations/nowhere/capabilities${v}`);
    expect(statusClass(reply.status)).toBe("4xx");
  });
});
