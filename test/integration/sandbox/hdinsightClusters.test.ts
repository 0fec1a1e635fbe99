// The sandbox's Microsoft.HDInsight emulation driven by the real @azure/arm-hdinsight client.
import { describe, expect, it } from "vitest";
import type { ClusterCreateParametersExtended } from "@azure/arm-hdinsight";
import { TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";
import { sparkClusterBody, specExampleSparkBody } from "./clusterBodies";

const MINUTE = 60_000;
const env = useTestSandbox();

describe("sandbox: HDInsight clusters over ARM", () => {
  it("creates a cluster that walks through the provisioning states to Running", async () => {
    const client = env.current.hdinsight();
    const poller = await client.clusters.beginCreate(RG, "jf-walk-01", sparkClusterBody());
    expect(poller.isDone()).toBe(false);
    const seen: string[] = [];
    for (let i = 0; i < 25; i++) {
      const c = await client.clusters.get(RG, "jf-walk-01");
      const state = `${c.properties?.provisioningState}/${c.properties?.clusterState}`;
      if (seen[seen.length - 1] !== state) seen.push(state);
      await env.current.sandbox.control.advanceBy(MINUTE);
    }
    expect(seen).toEqual([
      "InProgress/Accepted",
      "InProgress/ClusterStorageProvisioned",
      "InProgress/AzureVMConfiguration",
      "InProgress/HdInsightConfiguration",
      "Succeeded/Running",
    ]);
    const done = await poller.pollUntilDone();
    expect(done.properties?.clusterState).toBe("Running");
    expect(done.properties?.clusterVersion).toMatch(/^5\.1\./);
    expect(done.properties?.connectivityEndpoints).toContainEqual({
      name: "HTTPS",
      protocol: "TCP",
      location: "127.0.0.1",
      port: env.current.sandbox.port,
    });
    // Secrets never come back.
    expect(JSON.stringify(done)).not.toContain("Passw0rd");
  });

  it("resumes a create poller from its serialized state in a fresh client", async () => {
    const first = await env.current.hdinsight().clusters.beginCreate(RG, "jf-resume-01", sparkClusterBody());
    const saved = first.toString();
    await env.current.sandbox.control.advanceBy(21 * MINUTE);
    const resumed = await env.current
      .hdinsight()
      .clusters.beginCreate(RG, "jf-resume-01", undefined as unknown as ClusterCreateParametersExtended, { resumeFrom: saved });
    const cluster = await resumed.pollUntilDone();
    expect(cluster.name).toBe("jf-resume-01");
    expect(cluster.properties?.provisioningState).toBe("Succeeded");
  });

  it("treats a repeated PUT of an existing cluster as idempotent", async () => {
    const client = env.current.hdinsight();
    await client.clusters.beginCreate(RG, "jf-idem-01", sparkClusterBody());
    const before = await client.clusters.get(RG, "jf-idem-01");
    await env.current.sandbox.control.advanceBy(5 * MINUTE);
    await client.clusters.beginCreate(RG, "jf-idem-01", sparkClusterBody());
    const after = await client.clusters.get(RG, "jf-idem-01");
    expect(after.properties?.createdDate).toEqual(before.properties?.createdDate);
    expect(after.properties?.clusterState).toBe("AzureVMConfiguration");
  });

  it("deletes a cluster over time and then answers 404 ResourceNotFound", async () => {
    const client = env.current.hdinsight();
    await client.clusters.beginCreate(RG, "jf-delete-01", sparkClusterBody());
    await env.current.sandbox.control.advanceBy(21 * MINUTE);
    const poller = await client.clusters.beginDelete(RG, "jf-delete-01");
    expect((await client.clusters.get(RG, "jf-delete-01")).properties?.provisioningState).toBe("Deleting");
    await env.current.sandbox.control.advanceBy(6 * MINUTE);
    await poller.pollUntilDone();
    await expect(client.clusters.get(RG, "jf-delete-01")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    // Deleting what is gone succeeds.
    await client.clusters.beginDeleteAndWait(RG, "jf-delete-01");
  });

  it("pages lists by resource group and by subscription with nextLink", async () => {
    const client = env.current.hdinsight();
    env.current.sandbox.control.updateSettings({ pageSize: 2 });
    for (const n of ["jf-page-a", "jf-page-b", "jf-page-c"]) await client.clusters.beginCreate("rg-paging", n, sparkClusterBody());
    const pages: number[] = [];
    for await (const page of client.clusters.listByResourceGroup("rg-paging").byPage()) pages.push(page.length);
    expect(pages).toEqual([2, 1]);
    const names: string[] = [];
    for await (const c of client.clusters.list()) names.push(c.name ?? "");
    expect(names).toEqual(expect.arrayContaining(["jf-page-a", "jf-page-b", "jf-page-c", "jf-walk-01"]));
    env.current.sandbox.control.updateSettings({ pageSize: 20 });
  });

  it("updates tags with PATCH", async () => {
    const client = env.current.hdinsight();
    await client.clusters.beginCreate(RG, "jf-tags-01", sparkClusterBody());
    const updated = await client.clusters.update(RG, "jf-tags-01", { tags: { "jobflow-keep": "true" } });
    expect(updated.tags).toEqual({ "jobflow-keep": "true" });
  });

  it("accepts a body shaped like the spec example CreateLinuxSparkSshPassword.json (as 5.1)", async () => {
    const client = env.current.hdinsight();
    const poller = await client.clusters.beginCreate(RG, "jf-spec-example", specExampleSparkBody() as ClusterCreateParametersExtended);
    await env.current.sandbox.control.advanceBy(21 * MINUTE);
    const cluster = await poller.pollUntilDone();
    expect(cluster.properties?.clusterDefinition.kind).toBe("SPARK");
    expect(cluster.location).toBe("westeurope");
  });

  it("refuses what the RP refuses, in ARM's error shape", async () => {
    const client = env.current.hdinsight();
    await expect(client.clusters.beginCreate(RG, "jf-nopw-01", sparkClusterBody({ gatewayPassword: null }))).rejects.toMatchObject({
      statusCode: 400,
      code: "InvalidDocumentErrorCode",
      message: expect.stringContaining("restAuthCredential.password"),
    });
    await expect(client.clusters.beginCreate(RG, "jf-weakpw-01", sparkClusterBody({ gatewayPassword: "password" }))).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(client.clusters.beginCreate(RG, "1-bad_name", sparkClusterBody())).rejects.toMatchObject({
      statusCode: 400,
      code: "InvalidClusterName",
    });
    await expect(client.clusters.beginCreate(RG, "jf-retired-40", sparkClusterBody({ clusterVersion: "4.0" }))).rejects.toMatchObject({
      statusCode: 400,
      code: "UnsupportedClusterVersion",
      message: expect.stringContaining("retired"),
    });
    await expect(client.clusters.get(RG, "jf-retired-40")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("fails provisioning for a named cluster and reports it through the poller", async () => {
    const client = env.current.hdinsight();
    env.current.sandbox.control.failProvisioning("jf-doomed-01");
    const poller = await client.clusters.beginCreate(RG, "jf-doomed-01", sparkClusterBody());
    await env.current.sandbox.control.advanceBy(21 * MINUTE);
    await expect(poller.pollUntilDone()).rejects.toThrow();
    const c = await client.clusters.get(RG, "jf-doomed-01");
    expect(c.properties?.provisioningState).toBe("Failed");
    expect(c.properties?.errors?.[0]?.code).toBe("InternalServerError");
  });

  it("loses a cluster deleted behind the client's back", async () => {
    const client = env.current.hdinsight();
    await client.clusters.beginCreate(RG, "jf-vanish-01", sparkClusterBody());
    expect(env.current.sandbox.control.vanishCluster("jf-vanish-01")).toBe(true);
    await expect(client.clusters.get(RG, "jf-vanish-01")).rejects.toMatchObject({ statusCode: 404 });
  });
});
