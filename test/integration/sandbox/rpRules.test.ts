// The sandbox's RP rules as pure functions: create-body validation, the cluster timeline and the token buckets.
// (Kept beside the SDK-driven sandbox tests; no server needed.)
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { validateCreateBody, gatewayPasswordProblem } from "../../../local/sandbox/hdinsight/validate";
import { statusAt } from "../../../local/sandbox/hdinsight/timeline";
import { TokenBuckets } from "../../../local/sandbox/throttling";
import { buildClusterCreateRequest } from "../../../shared/builders/clusterRequest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { resolveProfilePlaceholders } from "../../../shared/profiles/placeholders";
import type { ClusterProfile } from "../../../shared/model/profile";
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
    expect(validateCreateBody(sparkClusterBody())).toMatchObject({
      clusterVersion: "5.1",
      kind: "spark",
      gatewayUsername: "admin",
      nodeCount: 9,
    });
  });

  it.each([
    [
      "a storage MSI missing from the identity",
      (b: Body) => {
        b.identity = { type: "UserAssigned", userAssignedIdentities: { "/other": {} } };
      },
      "userAssignedIdentities",
    ],
    [
      "one head node",
      (b: Body) => {
        b.properties.computeProfile.roles![0].targetInstanceCount = 1;
      },
      "exactly 2 head nodes",
    ],
    [
      "an unknown VM size",
      (b: Body) => {
        b.properties.computeProfile.roles![1].hardwareProfile = { vmSize: "Huge" };
      },
      "VM size 'Huge'",
    ],
    [
      "two default storage accounts",
      (b: Body) => {
        const a = b.properties.storageProfile!.storageaccounts![0];
        b.properties.storageProfile!.storageaccounts!.push({ ...a });
      },
      "Exactly one storage account",
    ],
    [
      "a dfs account without fileSystem",
      (b: Body) => {
        delete b.properties.storageProfile!.storageaccounts![0].fileSystem;
      },
      "fileSystem",
    ],
    [
      "gateway credentials disabled",
      (b: Body) => {
        (b.properties.clusterDefinition.configurations as Record<string, Record<string, unknown>>).gateway["restAuthCredential.isEnabled"] =
          "false";
      },
      "isEnabled",
    ],
    [
      "an unknown kind",
      (b: Body) => {
        b.properties.clusterDefinition.kind = "storm";
      },
      "'storm' is not supported",
    ],
    [
      "version 3.6",
      (b: Body) => {
        b.properties.clusterVersion = "3.6";
      },
      "retired",
    ],
    [
      "version 6.0",
      (b: Body) => {
        b.properties.clusterVersion = "6.0";
      },
      "not supported",
    ],
    [
      "Spark 2.0 on 5.1",
      (b: Body) => {
        b.properties.clusterDefinition.componentVersion = { Spark: "2.0" };
      },
      "'Spark: 2.0' is not supported",
    ],
    [
      "a component of another kind",
      (b: Body) => {
        b.properties.clusterDefinition.componentVersion = { Kafka: "3.2" };
      },
      "'Kafka' is not part of a spark cluster",
    ],
    [
      "a VM size that does not exist",
      (b: Body) => {
        b.properties.computeProfile.roles![1].hardwareProfile = { vmSize: "Standard_Nonexistent_V9" };
      },
      "'Standard_Nonexistent_V9' provided in the request is invalid or not supported for role 'workernode'",
    ],
    [
      "a 2-core head node",
      (b: Body) => {
        b.properties.computeProfile.roles![0].hardwareProfile = { vmSize: "Standard_D2_v2" };
      },
      "for role 'headnode'",
    ],
    [
      "a retired Basic A size",
      (b: Body) => {
        b.properties.computeProfile.roles![2].hardwareProfile = { vmSize: "Small" };
      },
      "'Small'",
    ],
    [
      "a kafkamanagementnode on Spark",
      (b: Body) => {
        b.properties.computeProfile.roles!.push({ ...b.properties.computeProfile.roles![0], name: "kafkamanagementnode" });
      },
      "'kafkamanagementnode' is not supported for a spark cluster",
    ],
    [
      "an unknown location",
      (b: Body) => {
        b.location = "nowhere";
      },
      "location 'nowhere' is not available",
    ],
    [
      "ESP on the Standard tier",
      (b: Body) => {
        b.properties.securityProfile = { directoryType: "ActiveDirectory", domain: "contoso.com", domainUsername: "admin@contoso.com" };
      },
      "requires tier 'Premium'",
    ],
    [
      "autoscale with both capacity and recurrence",
      (b: Body) => {
        b.properties.computeProfile.roles![1].autoscaleConfiguration = undefined;
        (b.properties.computeProfile.roles![1] as Record<string, unknown>).autoscale = {
          capacity: { minInstanceCount: 3, maxInstanceCount: 5 },
          recurrence: { timeZone: "UTC", schedule: [] },
        };
      },
      "exactly one of autoscale.capacity",
    ],
    [
      "a worker count outside its autoscale range",
      (b: Body) => {
        (b.properties.computeProfile.roles![1] as Record<string, unknown>).autoscale = {
          capacity: { minInstanceCount: 5, maxInstanceCount: 8 },
        };
      },
      "within the autoscale capacity 5-8",
    ],
  ])("refuses %s", (_what, fn, expected) => {
    expect(problemOf(mutate(fn))).toContain(expected);
  });

  it.each([
    [
      "a storage account given by name only",
      (b: Body) => {
        b.properties.storageProfile!.storageaccounts = [{ name: "mystorage", isDefault: true, container: "c", key: "k" }];
      },
    ],
    [
      "a Kafka cluster with kafkamanagementnode and the REST proxy",
      (b: Body) => {
        b.properties.clusterDefinition = { ...b.properties.clusterDefinition, kind: "kafka", componentVersion: { Kafka: "3.2" } };
        b.properties.computeProfile.roles!.push({
          ...b.properties.computeProfile.roles![0],
          name: "kafkamanagementnode",
          hardwareProfile: { vmSize: "Standard_D4_v2" },
        });
        (b.properties as Record<string, unknown>).kafkaRestProperties = {
          clientGroupInfo: { groupName: "g", groupId: "00000000-0000-0000-0000-000000000001" },
        };
      },
    ],
    [
      "a schedule-based autoscale",
      (b: Body) => {
        (b.properties.computeProfile.roles![1] as Record<string, unknown>).autoscale = {
          recurrence: {
            timeZone: "China Standard Time",
            schedule: [{ days: ["Monday"], timeAndCapacity: { time: "09:00", minInstanceCount: 3, maxInstanceCount: 3 } }],
          },
        };
      },
    ],
    [
      "no zookeeper role (the RP adds it)",
      (b: Body) => {
        b.properties.computeProfile.roles!.pop();
      },
    ],
    [
      "a location by display name",
      (b: Body) => {
        b.location = "West Europe";
      },
    ],
  ])("accepts %s", (_what, fn) => {
    expect(problemOf(mutate(fn))).toBe("");
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

function resolved(profile: ClusterProfile): ClusterProfile {
  const r = resolveProfilePlaceholders(profile, {
    subscriptionId: "00000000-0000-0000-0000-0000000000aa",
    resourceGroup: "rg",
    location: "westeurope",
    storageAccount: "jobflowdata",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.profile;
}

describe("sandbox RP rules vs. the project's own request builder", () => {
  it("accepts what buildClusterCreateRequest produces for every built-in profile", () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      const request = buildClusterCreateRequest(
        resolved(profile), // placeholders are resolved from configuration before a request is built
        { jobId: "job-1" },
        { keepWarmMinutes: 15, maxLifetimeMinutes: 720 },
        { gatewayPassword: "Local-Gateway-Passw0rd!", sshPassword: "Local-Ssh-Passw0rd!" },
        { profileHash: "abc", createdAt: "2026-11-21T10:00:00Z", additionalAdlsAccounts: [{ name: "extra" }] },
      );
      expect(problemOf(request), profile.name).toBe("");
    }
  });
});
