// The HDInsight 5.1 catalogue shared by the sandbox's RP and Jobflow's profile validation: its checks as tables,
// and the profile rules built on them (profile documents, job overrides, the resolved region), with pointers.
import { describe, expect, it } from "vitest";
import { KINDS_51, REGIONS, VM_SIZES_BY_ROLE } from "../../../shared/hdinsight/catalogue";
import {
  clusterVersionProblem,
  componentVersionProblems,
  defaultComponentVersion,
  locationProblem,
  regionName,
  rolesOf,
  vmSizeProblem,
} from "../../../shared/hdinsight/checks";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { validateProfileDocument } from "../../../shared/profiles/catalog";
import { effectiveProfile } from "../../../shared/profiles/effective";
import { applyOverrides } from "../../../shared/profiles/overrides";
import { validateJobDocument } from "../../../shared/spec";

const small = BUILTIN_PROFILES["spark-small"];
const values = {
  subscriptionId: "11111111-2222-3333-4444-555555555555",
  resourceGroup: "rg-data",
  location: "westeurope",
  storageAccount: "jfdata01",
};

describe("HDInsight 5.1 catalogue checks", () => {
  it.each([
    ["westeurope", "westeurope"],
    ["West Europe", "westeurope"],
    ["EAST US 2", "eastus2"],
    ["nowhere", undefined],
    ["", undefined],
  ])("region %j → %j", (input, expected) => {
    expect(regionName(input)).toBe(expected);
    expect(locationProblem(input) === undefined).toBe(expected !== undefined);
  });

  it.each([
    ["5.1", undefined],
    ["5.1.3000.0.2406130129", undefined],
    ["4.0", true],
    ["3.6", true],
    ["5.0", true],
    ["6.0", false],
  ])("cluster version %s retired=%s", (version, retired) => {
    expect(clusterVersionProblem(version)?.retired).toBe(retired);
  });

  it.each([
    ["spark", { Spark: "3.3" }, []],
    ["spark", { Spark: "2.0" }, ["Spark"]],
    ["spark", { spark: "3.3" }, []],
    ["spark", { Kafka: "3.2" }, ["Kafka"]],
    ["kafka", { Kafka: "3.2" }, []],
    ["kafka", { Kafka: "2.1" }, ["Kafka"]],
    ["hadoop", { Hadoop: "3.3" }, []],
    ["hbase", { HBase: "2.4" }, []],
    ["interactivehive", { InteractiveHive: "3.1" }, []],
  ])("%s componentVersion %j → problems on %j", (kind, cv, components) => {
    expect(componentVersionProblems(kind, cv).map((p) => p.component)).toEqual(components);
  });

  it("fills in each kind's default component version", () => {
    expect(defaultComponentVersion("Spark")).toEqual({ Spark: "3.3" });
    expect(defaultComponentVersion("KAFKA")).toEqual({ Kafka: "3.2" });
    expect(defaultComponentVersion("storm")).toBeUndefined();
  });

  it.each([
    ["workernode", "Standard_E8_v3", true],
    ["workernode", "standard_e8_v3", true],
    ["headnode", "Standard_D12_v2", true],
    ["headnode", "Standard_D2_v2", false],
    ["zookeepernode", "Standard_A2_v2", true],
    ["zookeepernode", "Standard_E16_v3", false],
    ["workernode", "Standard_Nonexistent_V9", false],
    ["workernode", "Large", false],
    ["kafkamanagementnode", "Standard_D4_v2", true],
    ["gatewaynode", "Standard_D4_v2", false],
  ])("%s may use %s: %s", (role, size, ok) => {
    expect(vmSizeProblem(role, size) === undefined).toBe(ok);
  });

  it("gives Kafka its management role and every kind head, worker and zookeeper roles", () => {
    expect(rolesOf("kafka")).toContain("kafkamanagementnode");
    expect(rolesOf("spark")).not.toContain("kafkamanagementnode");
    for (const kind of Object.keys(KINDS_51)) expect(rolesOf(kind).slice(0, 3)).toEqual(["headnode", "workernode", "zookeepernode"]);
  });

  it("is deterministic data: sizes are unique per role and region names are lower-case keys", () => {
    for (const sizes of Object.values(VM_SIZES_BY_ROLE)) expect(new Set(sizes).size).toBe(sizes.length);
    for (const key of Object.keys(REGIONS)) expect(key).toMatch(/^[a-z0-9]+$/);
  });
});

describe("Jobflow's profile validation uses the catalogue", () => {
  it("accepts every built-in profile", () => {
    for (const p of Object.values(BUILTIN_PROFILES)) expect(validateProfileDocument(p).ok).toBe(true);
  });

  it("refuses a profile document with a VM size not offered for its role, an unknown region or Spark 2.0, with pointers", () => {
    const bad = {
      ...small,
      location: "nowhere",
      headNode: { vmSize: "Standard_D2_v2", count: 2 },
      workerNode: { vmSize: "Standard_Nonexistent_V9", count: 4 },
      zookeeperNode: { vmSize: "Standard_E64_v3", count: 3 },
    };
    const r = validateProfileDocument(bad, "/profiles/0");
    expect(r.ok ? [] : r.problems.map((p) => p.pointer)).toEqual([
      "/profiles/0/location",
      "/profiles/0/headNode/vmSize",
      "/profiles/0/workerNode/vmSize",
      "/profiles/0/zookeeperNode/vmSize",
    ]);
    const spark = validateProfileDocument({ ...small, componentVersion: { Spark: "2.0" } });
    expect(spark.ok ? [] : spark.problems.map((p) => p.pointer)).toEqual(["/componentVersion/Spark"]);
  });

  it("refuses job overrides HDInsight would refuse", () => {
    const r = applyOverrides(small, { workerVmSize: "Standard_Nonexistent_V9", headVmSize: "Standard_A2_v2", location: "nowhere" });
    expect(r.ok ? [] : r.problems.map((p) => p.pointer)).toEqual([
      "/cluster/overrides/location",
      "/cluster/overrides/workerVmSize",
      "/cluster/overrides/headVmSize",
    ]);
    expect(r.ok ? "" : r.problems[1].message).toContain(
      "'Standard_Nonexistent_V9' provided in the request is invalid or not supported for role 'workernode'",
    );
  });

  it("refuses a job document whose overrides name a VM size that does not exist, offline", () => {
    const result = validateJobDocument({
      name: "bad-size",
      cluster: { profile: "spark-small", overrides: { workerVmSize: "Standard_Nonexistent_V9" } },
      steps: [{ id: "s1", type: "spark", spark: { file: "abfss://jobs@acct.dfs.core.windows.net/app.py" } }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ pointer: "/cluster/overrides/workerVmSize" }));
  });

  it("refuses a {location} that resolves to a region without HDInsight", () => {
    const job = { cluster: { profile: "spark-small", overrides: {}, reuse: "never" as const, keepWarmMinutes: 0, maxLifetimeMinutes: 60 } };
    const r = effectiveProfile(job, BUILTIN_PROFILES, { ...values, location: "moon-base" });
    expect(r.ok ? [] : r.problems).toEqual([
      {
        pointer: "/cluster/profile",
        message:
          "profile 'spark-small' resolves to location 'moon-base': HDInsight is not offered in region 'moon-base' (use an Azure region name such as westeurope)",
      },
    ]);
    expect(effectiveProfile(job, BUILTIN_PROFILES, values).ok).toBe(true);
  });
});
