import { describe, expect, it } from "vitest";
import {
  buildClusterCreateRequest,
  buildClusterTags,
  redactCreateRequest,
  tagProblems,
  TAG,
} from "../../../shared/builders/clusterRequest";
import { testProfile, UAMI } from "./fixtures";

const creds = { gatewayPassword: "Gw-Secret-123!", sshPassword: "Ssh-Secret-456!" };
const policy = { keepWarmMinutes: 15, maxLifetimeMinutes: 720 };
const options = { profileHash: "ph-abc123", createdAt: "2026-11-21T10:00:00Z", jobTags: { team: "risk", owner: "ana" } };

describe("buildClusterCreateRequest", () => {
  const request = buildClusterCreateRequest(testProfile(), { jobId: "job-1" }, policy, creds, options);

  it("describes an HDInsight 5.1 Spark cluster with ADLS Gen2 + user-assigned identity", () => {
    expect(request.location).toBe("westeurope");
    expect(request.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: { [UAMI]: {} } });
    const p = request.properties!;
    expect(p).toMatchObject({ clusterVersion: "5.1", osType: "Linux", tier: "Standard", minSupportedTlsVersion: "1.2" });
    expect(p.clusterDefinition).toEqual({
      kind: "spark",
      componentVersion: { Spark: "3.3" },
      configurations: {
        gateway: {
          "restAuthCredential.isEnabled": true,
          "restAuthCredential.username": "admin",
          "restAuthCredential.password": "Gw-Secret-123!",
        },
      },
    });
    expect(p.storageProfile!.storageaccounts).toEqual([
      {
        name: "jobflowlake.dfs.core.windows.net",
        isDefault: true,
        fileSystem: "clusters",
        resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/jobflowlake",
        msiResourceId: UAMI,
      },
    ]);
  });

  it("has head, worker (with autoscale) and zookeeper roles with OS and VNet profiles", () => {
    const roles = request.properties!.computeProfile!.roles!;
    expect(roles.map((r) => [r.name, r.targetInstanceCount, r.hardwareProfile?.vmSize])).toEqual([
      ["headnode", 2, "Standard_E8_V3"],
      ["workernode", 4, "Standard_E8_V3"],
      ["zookeepernode", 3, "Standard_A2_V2"],
    ]);
    expect(roles[1].autoscaleConfiguration).toEqual({ capacity: { minInstanceCount: 3, maxInstanceCount: 10 } });
    expect(roles[0].autoscaleConfiguration).toBeUndefined();
    for (const r of roles) {
      expect(r.osProfile).toEqual({ linuxOperatingSystemProfile: { username: "sshuser", password: "Ssh-Secret-456!" } });
      expect(r.virtualNetworkProfile?.subnet).toMatch(/subnets\/hdi$/);
    }
  });

  it("omits VNet and autoscale when the profile has none", () => {
    const bare = buildClusterCreateRequest(
      testProfile({ network: undefined, workerNode: { vmSize: "Standard_E4_V3", count: 2 } }),
      { leaseId: "lease-9" },
      policy,
      creds,
      options,
    );
    for (const r of bare.properties!.computeProfile!.roles!) {
      expect(r.virtualNetworkProfile).toBeUndefined();
      expect(r.autoscaleConfiguration).toBeUndefined();
    }
    expect(bare.tags![TAG.lease]).toBe("lease-9");
    expect(bare.tags![TAG.job]).toBeUndefined();
  });

  it("carries the ownership and lifetime tags of DESIGN §2", () => {
    expect(request.tags).toEqual({
      team: "risk",
      costcenter: "42",
      owner: "ana",
      "jobflow-managed": "true",
      "jobflow-job": "job-1",
      "jobflow-created-at": "2026-11-21T10:00:00.000Z",
      "jobflow-idle-minutes": "15",
      "jobflow-expires-at": "2026-11-21T22:00:00.000Z",
      "jobflow-profile": "ph-abc123",
    });
  });

  it("adds job data accounts as secondary storage on the cluster identity", () => {
    const r = buildClusterCreateRequest(testProfile(), { jobId: "j" }, policy, creds, {
      ...options,
      additionalAdlsAccounts: [{ name: "rawzone", fileSystem: "raw" }, { name: "jobflowlake" }],
    });
    expect(r.properties!.storageProfile!.storageaccounts).toHaveLength(2);
    expect(r.properties!.storageProfile!.storageaccounts![1]).toEqual({
      name: "rawzone.dfs.core.windows.net",
      isDefault: false,
      fileSystem: "raw",
      msiResourceId: UAMI,
    });
  });

  it("is deterministic", () => {
    expect(buildClusterCreateRequest(testProfile(), { jobId: "job-1" }, policy, creds, options)).toEqual(request);
  });

  it.each([
    [{ jobId: "a", leaseId: "b" } as never, policy, creds, "/ownership"],
    [{} as never, policy, creds, "/ownership"],
    [{ jobId: "a" }, { keepWarmMinutes: -1, maxLifetimeMinutes: 10 }, creds, "/policy/keepWarmMinutes"],
    [{ jobId: "a" }, { keepWarmMinutes: 0, maxLifetimeMinutes: 0 }, creds, "/policy/maxLifetimeMinutes"],
    [{ jobId: "a" }, policy, { gatewayPassword: "", sshPassword: "x" }, "/credentials/gatewayPassword"],
  ])("rejects bad input %#", (ownership, pol, cr, pointer) => {
    try {
      buildClusterCreateRequest(testProfile(), ownership, pol, cr, options);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).name).toBe("ValidationError");
      expect((err as { problems: { pointer: string }[] }).problems.map((p) => p.pointer)).toContain(pointer);
    }
  });
});

describe("cluster tags", () => {
  it("system tags win over profile and job tags", () => {
    const tags = buildClusterTags(testProfile({ tags: { "jobflow-managed": "false" } }), { jobId: "j" }, policy, {
      ...options,
      jobTags: { "jobflow-job": "someone-else", "jobflow-profile": "x", "jobflow-keep": "true" },
    });
    expect(tags["jobflow-managed"]).toBe("true");
    expect(tags["jobflow-job"]).toBe("j");
    expect(tags["jobflow-profile"]).toBe("ph-abc123");
    expect(tags["jobflow-keep"]).toBe("true");
  });

  it("rejects a bad createdAt", () => {
    expect(() => buildClusterTags(testProfile(), { jobId: "j" }, policy, { ...options, createdAt: "yesterday" })).toThrow(
      expect.objectContaining({ name: "ValidationError" }),
    );
  });

  it("enforces Azure tag limits", () => {
    const many = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}`, "v"]));
    expect(() => buildClusterTags(testProfile({ tags: many }), { jobId: "j" }, policy, options)).toThrow(
      expect.objectContaining({ name: "ValidationError" }),
    );
    expect(tagProblems({ "a/b": "x", ok: "v".repeat(257), ["n".repeat(513)]: "" }).map((p) => p.pointer)).toEqual([
      "/tags/a~1b",
      "/tags/ok",
      `/tags/${"n".repeat(513)}`,
    ]);
    expect(tagProblems({ fine: "v".repeat(256) })).toEqual([]);
    expect(() => buildClusterTags(testProfile(), { jobId: "j".repeat(300) }, policy, options)).toThrow(
      expect.objectContaining({ name: "ValidationError" }),
    );
  });
});

describe("redactCreateRequest", () => {
  const request = buildClusterCreateRequest(testProfile(), { jobId: "job-1" }, policy, creds, options);

  it("replaces every secret by a reference and leaves the original untouched", () => {
    const redacted = redactCreateRequest(request);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(creds.gatewayPassword);
    expect(text).not.toContain(creds.sshPassword);
    expect(text).toContain('"restAuthCredential.password":{"secretRef":"gateway-password"}');
    expect(text.match(/"password":\{"secretRef":"ssh-password"\}/g)).toHaveLength(3);
    expect(JSON.stringify(request)).toContain(creds.gatewayPassword);
  });

  it("names the secrets when asked", () => {
    const text = JSON.stringify(redactCreateRequest(request, { gateway: "hdi-gateway-password", ssh: "hdi-ssh-password" }));
    expect(text).toContain('{"secretRef":"hdi-gateway-password"}');
    expect(text).toContain('{"secretRef":"hdi-ssh-password"}');
  });

  it("also hides storage keys if a request carries any", () => {
    const withKey = JSON.parse(JSON.stringify(request));
    withKey.properties.storageProfile.storageaccounts[0].key = "storage-account-key";
    expect(JSON.stringify(redactCreateRequest(withKey))).not.toContain("storage-account-key");
  });
});
