// Conformance of the sandbox's Microsoft.HDInsight with Microsoft's published 2021-06-01 examples: each example
// request goes through the real SDK pipeline; the status class (and, for creates, the status code the spec lists)
// matches; every key of the example response exists with the same JSON type; no secret field comes back.
import { describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, TEST_SUBSCRIPTION as SUB, useTestSandbox } from "../support/sandbox";
import { PASSWORDS, as51 } from "./adapt";
import { loadExample, secretPaths, send, shapeDifferences, statusClass, type Reply } from "./replay";

const MINUTE = 60_000;
const env = useTestSandbox();
const clusterPath = (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.HDInsight/clusters/${name}`;
const v = "?api-version=2021-06-01";
const call = (method: string, path: string, body?: unknown): Promise<Reply> =>
  send(env.current.hdinsight(), env.current.sandbox.url, method, path, body);

/**
 * Example keys not compared, each because the example itself is inconsistent: the Spark example's response lists a
 * Hadoop component for a Spark cluster (the request asked for Spark; a Spark cluster reports Spark).
 */
const CREATE_EXCEPTIONS: Record<string, string[]> = {
  "CreateLinuxSparkSshPassword.json": ["properties.clusterDefinition.componentVersion.Hadoop"],
  "CreateLinuxHadoopAdlsGen2.json": [],
  "CreateLinuxHadoopSecureHadoop.json": [],
  "CreateKafkaClusterWithKafkaRestProxy.json": [],
  "CreateHDInsightClusterWithAvailabilityZones.json": [],
};
const CREATES = Object.keys(CREATE_EXCEPTIONS);
const nameOf = (file: string) =>
  `cf-${file
    .replace(/^Create/, "")
    .replace(/\.json$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 40)}`;

function expectNoSecrets(reply: Reply): void {
  expect(secretPaths(reply.body)).toEqual([]);
  const text = JSON.stringify(reply.body ?? "");
  for (const secret of Object.values(PASSWORDS)) expect(text).not.toContain(secret);
}

describe("conformance: HDInsight clusters (published create examples)", () => {
  for (const file of CREATES) {
    it(`${file} as published (retired version) → 4xx UnsupportedClusterVersion`, async () => {
      const ex = loadExample(`hdinsight-2021-06-01/${file}`);
      const reply = await call("PUT", clusterPath(`${nameOf(file)}-old`) + v, ex.parameters.parameters);
      expect(statusClass(reply.status)).toBe("4xx");
      expect(reply.body).toMatchObject({ error: { code: "UnsupportedClusterVersion" } });
    });

    it(`${file} on 5.1 → the spec's status, the example's keys, no secrets`, async () => {
      const ex = loadExample(`hdinsight-2021-06-01/${file}`);
      const reply = await call("PUT", clusterPath(nameOf(file)) + v, as51(ex.parameters.parameters));
      expect(Object.keys(ex.responses).map(Number)).toContain(reply.status);
      expect(shapeDifferences(ex.responses["200"].body, reply.body, CREATE_EXCEPTIONS[file])).toEqual([]);
      expectNoSecrets(reply);
    });
  }

  it("GET of each created cluster once Running: the example's keys, no secrets", async () => {
    await env.current.sandbox.control.advanceBy(25 * MINUTE);
    for (const file of CREATES) {
      const ex = loadExample(`hdinsight-2021-06-01/${file}`);
      const reply = await call("GET", clusterPath(nameOf(file)) + v);
      expect(reply.status, file).toBe(200);
      expect(shapeDifferences(ex.responses["200"].body, reply.body, CREATE_EXCEPTIONS[file]), file).toEqual([]);
      expect(reply.body).toMatchObject({ properties: { provisioningState: "Succeeded", clusterState: "Running" } });
      expectNoSecrets(reply);
    }
  });

  it("GetLinuxHadoopCluster.json: the example's keys on a running cluster", async () => {
    const ex = loadExample("hdinsight-2021-06-01/GetLinuxHadoopCluster.json");
    const reply = await call("GET", clusterPath(nameOf("CreateLinuxHadoopAdlsGen2.json")) + v);
    expect(reply.status).toBe(200);
    expect(shapeDifferences(ex.responses["200"].body, reply.body)).toEqual([]);
  });
});

describe("conformance: what Azure refuses, fills in and accepts on create", () => {
  const spark = () => as51(loadExample("hdinsight-2021-06-01/CreateLinuxSparkSshPassword.json").parameters.parameters);
  type Body = ReturnType<typeof spark>;
  const props = (b: Body) =>
    b.properties as { clusterDefinition: Record<string, unknown>; computeProfile: { roles: Array<Record<string, unknown>> } };

  it("refuses a component version HDInsight 5.1 does not offer (Spark 2.0)", async () => {
    const body = spark();
    props(body).clusterDefinition.componentVersion = { Spark: "2.0" };
    const reply = await call("PUT", clusterPath("cf-bad-spark") + v, body);
    expect(statusClass(reply.status)).toBe("4xx");
    expect(JSON.stringify(reply.body)).toContain("2.0");
  });

  it("refuses a VM size not offered for the role", async () => {
    const body = spark();
    props(body).computeProfile.roles[1].hardwareProfile = { vmSize: "Standard_Nonexistent_V9" };
    const reply = await call("PUT", clusterPath("cf-bad-size") + v, body);
    expect(statusClass(reply.status)).toBe("4xx");
    expect(JSON.stringify(reply.body)).toContain("Standard_Nonexistent_V9");
  });

  it("refuses an unknown location with ARM's LocationNotAvailableForResourceType", async () => {
    const reply = await call("PUT", clusterPath("cf-bad-location") + v, { ...spark(), location: "nowhere" });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: "LocationNotAvailableForResourceType" } });
  });

  it("fills in the default component version and the zookeeper role", async () => {
    const body = spark();
    delete props(body).clusterDefinition.componentVersion;
    const reply = await call("PUT", clusterPath("cf-defaults") + v, body);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ properties: { clusterDefinition: { componentVersion: { Spark: "3.3" } } } });
    const roles = (reply.body as { properties: { computeProfile: { roles: Array<{ name: string; targetInstanceCount: number }> } } })
      .properties.computeProfile.roles;
    expect(roles.find((r) => r.name === "zookeepernode")).toMatchObject({ targetInstanceCount: 3 });
  });

  it("a PUT of an existing cluster: same definition → 200, changed definition → 409 (not silently ignored)", async () => {
    const body = spark();
    expect((await call("PUT", clusterPath("cf-reput") + v, body)).status).toBe(200);
    expect((await call("PUT", clusterPath("cf-reput") + v, body)).status).toBe(200);
    props(body).computeProfile.roles[1].targetInstanceCount = 9;
    const changed = await call("PUT", clusterPath("cf-reput") + v, body);
    expect(changed.status).toBe(409);
  });
});

describe("conformance: create-time script actions (bootstrap actions)", () => {
  it("runs role scriptActions at create: they appear in the history and are persisted, but never in GET", async () => {
    const body = as51(loadExample("hdinsight-2021-06-01/CreateLinuxSparkSshPassword.json").parameters.parameters);
    const roles = (body.properties as { computeProfile: { roles: Array<Record<string, unknown>> } }).computeProfile.roles;
    for (const r of roles) r.scriptActions = [{ name: "install-libs", uri: "https://example.org/install.sh", parameters: "--quiet" }];
    const created = await call("PUT", clusterPath("cf-bootstrap") + v, body);
    expect(created.status).toBe(200);
    expect(secretPaths(created.body)).toEqual([]);
    await env.current.sandbox.control.advanceBy(25 * MINUTE);
    const history = await call("GET", `${clusterPath("cf-bootstrap")}/scriptExecutionHistory${v}`);
    expect(history.body).toMatchObject({
      value: [{ name: "install-libs", roles: ["headnode", "workernode"], status: "Succeeded", executionSummary: [{ instanceCount: 6 }] }],
    });
    const persisted = await call("GET", `${clusterPath("cf-bootstrap")}/scriptActions${v}`);
    // parameters is create/update-only in the spec (scripts' parameters often carry credentials): never read back.
    expect(persisted.body).toEqual({
      value: [{ name: "install-libs", uri: "https://example.org/install.sh", roles: ["headnode", "workernode"] }],
    });
  });
});
