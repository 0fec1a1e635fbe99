// The sandbox's RP rules as pure functions: create-body validation, the cluster timeline and the token buckets.
// (Kept beside the SDK-driven sandbox tests; no server needed.)
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { validateCreateBody, gatewayPasswordProblem } from "../../../local/sandbox/hdinsight/validate";
import { statusAt } from "../../../local/sandbox/hdinsight/timeline";
import { TokenBuckets } from "../../../local/sandbox/throttling";
import { buildClusterCreateRequest } from "../../../shared/builders/clusterRequest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { sparkClusterBody } from "./clusterBodies";

/** The body as plain JSON with the parts the mutations touch made non-optional. */
type RawBody = ReturnType<typeof sparkClusterBody>;
type Body = Omit<RawBody, "properties"> & { properties: Required<NonNullable<RawBody["properties"]>> };
const mutate = (fn: (b: Body) => void): Body => {
  const b = JSON.parse(JSON.stringify(sparkClusterBody())) as Body;
  fn(b);
  return b;
};
const problemOf = (body: unknown): string => {
  try {
    validateCreateBody(body);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("sandbox RP rules", () => {
  it("accepts Jobflow's 5.1 Spark body", () => {
    expect(validateCreateBody(sparkClusterBody())).toMatchObject({ clusterVersion: "5.1", kind: "spark", gatewayUsername: "admin", nodeCount: 9 });
  });

  it.each([
    ["a storage MSI missing from the identity", (b: Body) => { b.identity = { type: "UserAssigned", userAssignedIdentities: { "/other": {} } }; }, "userAssignedIdentities"],
    ["one head node", (b: Body) => { b.properties.computeProfile.roles![0].targetInstanceCount = 1; }, "exactly 2 head nodes"],
    ["an unknown VM size", (b: Body) => { b.properties.computeProfile.roles![1].hardwareProfile = { vmSize: "Huge" }; }, "VM size 'Huge'"],
    ["two default storage accounts", (b: Body) => { const a = b.properties.storageProfile!.storageaccounts![0]; b.properties.storageProfile!.storageaccounts!.push({ ...a }); }, "Exactly one storage account"],
    ["a dfs account without fileSystem", (b: Body) => { delete b.properties.storageProfile!.storageaccounts![0].fileSystem; }, "fileSystem"],
    ["gateway credentials disabled", (b: Body) => { (b.properties.clusterDefinition.configurations as Record<string, Record<string, unknown>>).gateway["restAuthCredential.isEnabled"] = "false"; }, "isEnabled"],
    ["an unknown kind", (b: Body) => { b.properties.clusterDefinition.kind = "storm"; }, "'storm' is not supported"],
    ["version 3.6", (b: Body) => { b.properties.clusterVersion = "3.6"; }, "retired"],
    ["version 6.0", (b: Body) => { b.properties.clusterVersion = "6.0"; }, "not supported"],
  ])("refuses %s", (_what, fn, expected) => {
    expect(problemOf(mutate(fn))).toContain(expected);
  });

  it("applies the cluster login password rule", () => {
    expect(gatewayPasswordProblem("Abcdef1!xy")).toBeUndefined();
    expect(gatewayPasswordProblem("Abc1!")).toMatch(/at least 10/);
    expect(gatewayPasswordProblem("abcdefgh1!")).toMatch(/uppercase/);
    expect(gatewayPasswordProblem("Abcdefgh1#")).toMatch(/must not contain/);
  });

  it("derives state from timestamps alone", () => {
    const t = { createdAtMs: 0, provisioningDurationMs: 100, deleteRequestedAtMs: 150, deleteDurationMs: 10 };
    expect(statusAt(t, 0).clusterState).toBe("Accepted");
    expect(statusAt(t, 99).clusterState).toBe("HdInsightConfiguration");
    expect(statusAt(t, 100)).toMatchObject({ provisioningState: "Succeeded", clusterState: "Running", runningSinceMs: 100 });
    expect(statusAt(t, 155)).toMatchObject({ provisioningState: "Deleting", gone: false });
    expect(statusAt(t, 160).gone).toBe(true);
    expect(statusAt({ ...t, failAtMs: 40 }, 50)).toMatchObject({ provisioningState: "Failed", clusterState: "Error" });
  });

  it("refills token buckets on the virtual clock and reports when to retry", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    const buckets = new TokenBuckets(clock, { updateVm: { capacity: 12, refillPerSecond: 4 / 60 } });
    for (let i = 0; i < 12; i++) expect(buckets.takeUpdateVm("/vm/a").allowed).toBe(true);
    expect(buckets.takeUpdateVm("/vm/a")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 15 });
    await clock.advanceBy(15_000);
    expect(buckets.takeUpdateVm("/vm/a").allowed).toBe(true);
    expect(buckets.takeArm("sub", "p", "writes").remaining).toBe(199);
  });
});

describe("sandbox RP rules vs. the project's own request builder", () => {
  it("accepts what buildClusterCreateRequest produces for every built-in profile", () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      const request = buildClusterCreateRequest(
        profile,
        { jobId: "job-1" },
        { keepWarmMinutes: 15, maxLifetimeMinutes: 720 },
        { gatewayPassword: "Local-Gateway-Passw0rd!", sshPassword: "Local-Ssh-Passw0rd!" },
        { profileHash: "abc", createdAt: "2026-11-21T10:00:00Z", additionalAdlsAccounts: [{ name: "extra" }] },
      );
      expect(problemOf(request), profile.name).toBe("");
    }
  });
});
