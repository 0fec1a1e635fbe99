import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { validateProfileDocument } from "../../../shared/profiles/catalog";
import { effectiveProfile } from "../../../shared/profiles/effective";
import { canonicalJson, profileHash, sha256Hex } from "../../../shared/profiles/hash";
import { loadProfilesFromFolder } from "../../../shared/profiles/loadFromFolder";
import { applyOverrides } from "../../../shared/profiles/overrides";
import { placeholderValuesFromConfig, resolveProfilePlaceholders } from "../../../shared/profiles/placeholders";

const small = BUILTIN_PROFILES["spark-small"];
const medium = BUILTIN_PROFILES["spark-medium"];
const values = {
  subscriptionId: "11111111-2222-3333-4444-555555555555",
  resourceGroup: "rg-data",
  location: "westeurope",
  storageAccount: "jfdata01",
};

describe("built-in profiles", () => {
  it("are valid HDInsight 5.1 Spark 3.3 profiles named after their key", () => {
    expect(Object.keys(BUILTIN_PROFILES).sort()).toEqual(["default", "spark-medium", "spark-small"]);
    for (const [name, p] of Object.entries(BUILTIN_PROFILES)) {
      expect(validateProfileDocument(p)).toEqual({ ok: true, profile: p });
      expect(p.name).toBe(name);
      expect([p.clusterVersion, p.componentVersion.Spark]).toEqual(["5.1", "3.3"]);
    }
  });

  it("rejects a profile document with problems at pointers", () => {
    const bad = {
      ...small,
      headNode: { vmSize: "Standard_E8_v3", count: 3 },
      extra: 1,
      workerNode: { vmSize: "E8", count: 2, autoscale: { minInstanceCount: 5, maxInstanceCount: 2 } },
    };
    const r = validateProfileDocument(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.pointer).sort()).toEqual(["/extra", "/headNode/count", "/workerNode/vmSize"]);
    const r2 = validateProfileDocument({
      ...small,
      workerNode: { vmSize: "Standard_E8_v3", count: 4, autoscale: { minInstanceCount: 5, maxInstanceCount: 2 } },
    });
    expect(r2.ok ? [] : r2.problems).toEqual([
      { pointer: "/workerNode/autoscale/minInstanceCount", message: "must not exceed maxInstanceCount" },
    ]);
  });
});

describe("placeholders", () => {
  it("resolves {subscriptionId}, {resourceGroup}, {location}, {storageAccount}", () => {
    const r = resolveProfilePlaceholders(small, values);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.profile.location).toBe("westeurope");
    expect(r.profile.managedIdentityId).toBe(
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-data/providers/Microsoft.ManagedIdentity/userAssignedIdentities/jobflow-cluster-identity",
    );
    expect(r.profile.storage).toEqual({
      accountName: "jfdata01",
      fileSystem: "clusters",
      resourceId:
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/jfdata01",
    });
    expect(JSON.stringify(r.profile)).not.toMatch(/\{[A-Za-z]+\}/);
    expect(small.location).toBe("{location}");
  });

  it("reports a placeholder without a value", () => {
    const r = resolveProfilePlaceholders(small, { ...values, storageAccount: undefined });
    expect(r.ok ? [] : r.problems).toEqual([
      { pointer: "", message: "profile 'spark-small' uses the placeholder {storageAccount} but no value is configured for it" },
    ]);
  });
});

describe("applyOverrides", () => {
  it("changes only what is overridden and merges tags", () => {
    const r = applyOverrides(
      { ...small, tags: { env: "prod" } },
      { workerCount: 6, workerVmSize: "Standard_E16_v3", headVmSize: "Standard_E4_v3", location: "northeurope", tags: { team: "risk" } },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.profile.workerNode).toEqual({ vmSize: "Standard_E16_v3", count: 6 });
    expect(r.profile.headNode).toEqual({ vmSize: "Standard_E4_v3", count: 2 });
    expect(r.profile.location).toBe("northeurope");
    expect(r.profile.tags).toEqual({ env: "prod", team: "risk" });
    expect(small.workerNode.count).toBe(4);
  });

  it("turns autoscale on, off (null), and checks the range", () => {
    const on = applyOverrides(small, { autoscale: { minInstanceCount: 3, maxInstanceCount: 10 } });
    expect(on.ok && on.profile.workerNode.autoscale).toEqual({ minInstanceCount: 3, maxInstanceCount: 10 });
    const off = applyOverrides(medium, { autoscale: null });
    expect(off.ok && "autoscale" in off.profile.workerNode).toBe(false);
    expect(applyOverrides(small, { autoscale: { minInstanceCount: 8, maxInstanceCount: 4 } }).ok).toBe(false);
    const outside = applyOverrides(small, { autoscale: { minInstanceCount: 5, maxInstanceCount: 10 } });
    expect(outside.ok ? [] : outside.problems).toEqual([
      { pointer: "/cluster/overrides/autoscale", message: "worker count 4 is outside the autoscale range 5-10" },
    ]);
    const tooMany = applyOverrides(medium, { workerCount: 20 });
    expect(tooMany.ok ? [] : tooMany.problems[0].pointer).toBe("/cluster/overrides/workerCount");
  });
});

describe("profileHash", () => {
  it("is SHA-256 of canonical JSON", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("a".repeat(1000))).toBe("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    expect(sha256Hex("The quick brown fox jumps over the lazy dog")).toBe(
      "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
    );
    for (const text of ["é✓😀", "x".repeat(55), "x".repeat(56), "x".repeat(64), "ü".repeat(300)]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }], e: null })).toBe('{"a":[{"d":2}],"b":1,"e":null}');
  });

  it("is stable across key order and ignores the description, but not the shape", () => {
    const reverseKeys = (v: unknown): unknown =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverseKeys(x)]),
          )
        : v;
    const reordered = reverseKeys(small) as typeof small;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(small)[0]);
    expect(profileHash(reordered)).toBe(profileHash(small));
    expect(profileHash({ ...small, description: "other words" })).toBe(profileHash(small));
    expect(profileHash({ ...small, workerNode: { ...small.workerNode, count: 5 } })).not.toBe(profileHash(small));
    expect(profileHash({ ...small, version: 2 })).not.toBe(profileHash(small));
    expect(profileHash(small)).toMatch(/^[0-9a-f]{64}$/);
    expect(profileHash(small)).toBe(profileHash(JSON.parse(JSON.stringify(small)) as typeof small));
  });

  it("gives the same hash for jobs whose effective profiles match", () => {
    const a = effectiveProfile(
      { cluster: { profile: "spark-small", overrides: { workerCount: 4 }, reuse: "warm", keepWarmMinutes: 15, maxLifetimeMinutes: 720 } },
      BUILTIN_PROFILES,
      values,
    );
    const b = effectiveProfile(
      { cluster: { profile: "spark-small", overrides: {}, reuse: "warm", keepWarmMinutes: 0, maxLifetimeMinutes: 60 } },
      BUILTIN_PROFILES,
      values,
    );
    const c = effectiveProfile(
      { cluster: { profile: "spark-small", overrides: { workerCount: 6 }, reuse: "warm", keepWarmMinutes: 15, maxLifetimeMinutes: 720 } },
      BUILTIN_PROFILES,
      values,
    );
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(a.hash).toBe(b.hash);
      expect(c.hash).not.toBe(a.hash);
    }
  });
});

describe("loadProfilesFromFolder", () => {
  it("adds valid profiles and reports bad files by name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-profiles-"));
    writeFileSync(join(dir, "big.json"), JSON.stringify({ ...small, name: "spark-big", description: undefined }));
    writeFileSync(join(dir, "broken.json"), "{");
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...small, name: "Bad Name" }));
    writeFileSync(join(dir, "notes.txt"), "ignored");
    const loaded = await loadProfilesFromFolder(dir);
    expect(Object.keys(loaded.catalog).sort()).toEqual(["default", "spark-big", "spark-medium", "spark-small"]);
    expect(loaded.profiles.map((p) => p.name)).toEqual(["spark-big"]);
    expect(loaded.problems.map((p) => p.pointer).sort()).toEqual(["bad.json#/name", "broken.json#"]);
    expect((await loadProfilesFromFolder(join(dir, "missing"))).problems).toEqual([]);
  });
});

describe("deployment bindings of the built-in profiles", () => {
  it("places clusters in no VNet when the deployment configures no cluster subnet", () => {
    const r = resolveProfilePlaceholders(small, values);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.profile.network).toBeUndefined();
    expect("network" in r.profile).toBe(false);
  });

  it("uses JOBFLOW_CLUSTER_SUBNET_ID (and its VNet) and JOBFLOW_CLUSTER_IDENTITY_ID when set", () => {
    const subnet =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/hdi";
    const identity =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/clusters";
    const r = resolveProfilePlaceholders(small, { ...values, clusterSubnetId: subnet, clusterIdentityId: identity });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.profile.network).toEqual({ vnetId: subnet.replace(/\/subnets\/hdi$/, ""), subnetId: subnet });
    expect(r.profile.managedIdentityId).toBe(identity);
  });

  it("maps the config settings to placeholder values", () => {
    const cfg = {
      subscriptionId: values.subscriptionId,
      resourceGroup: "rg",
      location: "westeurope",
      dataLakeAccount: "lake",
      clusterIdentityId: undefined,
      clusterSubnetId: undefined,
    };
    expect(placeholderValuesFromConfig(cfg)).toEqual({
      subscriptionId: values.subscriptionId,
      resourceGroup: "rg",
      location: "westeurope",
      storageAccount: "lake",
    });
    expect(placeholderValuesFromConfig({ ...cfg, clusterSubnetId: "/s", clusterIdentityId: "/i" })).toMatchObject({
      clusterSubnetId: "/s",
      clusterIdentityId: "/i",
    });
  });
});
