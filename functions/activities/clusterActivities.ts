// Cluster activities: one ARM call each (begin + poll shape of DESIGN §2), secrets read here and nowhere else; the
// create also reads the profile's timing estimate (Blob, best effort) so the cluster needs no activity for it.
// Failures are classified (./classified.ts): permanent ones come back as a value and are never retried.
import { buildClusterCreateRequest } from "../../shared/builders/clusterRequest";
import { classifyHdinsightCluster } from "../../shared/states/hdinsight";
import { ACTIVITY, type BeginCreateClusterInput, type ClusterStatusResult } from "../../shared/workflow/activities";
import type { ClusterProfile } from "../../shared/model/profile";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { JobflowError } from "../../shared/errors";
import { GATEWAY_SECRET_VERSION_TAG } from "../runtime/gatewayCredentials";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { classified } from "./classified";
import { ClusterTimingStore } from "../store/clusterTimings";

const LIVY_FINAL_STATES = ["success", "dead", "killed", "error"];

type ClusterActivityName =
  | typeof ACTIVITY.beginCreateCluster
  | typeof ACTIVITY.getClusterStatus
  | typeof ACTIVITY.beginDeleteCluster
  | typeof ACTIVITY.checkClusterIdle;

/** The named profile + the overrides + placeholders, as the submit path computes it (shared/profiles/effective.ts). */
async function resolveEffectiveProfile(deps: ActivityDeps, input: BeginCreateClusterInput): Promise<ClusterProfile> {
  const eff = effectiveProfile(
    {
      cluster: {
        profile: input.profileName,
        overrides: input.overrides,
        reuse: "never",
        keepWarmMinutes: input.keepWarmMinutes,
        maxLifetimeMinutes: input.maxLifetimeMinutes,
      },
    },
    await deps.profiles(),
    placeholderValuesFromConfig(deps.config),
  );
  if (!eff.ok) throw new JobflowError("ValidationError", eff.problems.map((p) => `${p.pointer}: ${p.message}`).join("; "));
  return eff.profile;
}

export function clusterActivities(deps: ActivityDeps): Pick<ActivityHandlers, ClusterActivityName> {
  const { clusters, secrets, config } = deps;
  const timingStore = new ClusterTimingStore(deps.blobs, config.containers.jobs);
  return {
    [ACTIVITY.beginCreateCluster]: classified(ACTIVITY.beginCreateCluster, async (input) => {
      // The job's effective profile comes resolved from the submit; leases, warm-ups and older inputs resolve it here.
      const profile = input.profile ?? (await resolveEffectiveProfile(deps, input));
      const [gateway, sshPassword] = await Promise.all([
        secrets.getSecretVersion(profile.gateway.passwordSecret),
        secrets.getSecret(profile.ssh.passwordSecret),
      ]);
      const gatewayPassword = gateway.value;
      const params = buildClusterCreateRequest(
        profile,
        "jobId" in input.owner ? { jobId: input.owner.jobId } : { leaseId: input.owner.leaseId },
        { keepWarmMinutes: input.keepWarmMinutes, maxLifetimeMinutes: input.maxLifetimeMinutes },
        { gatewayPassword, sshPassword },
        { profileHash: input.profileHash, createdAt: input.createdAt, jobTags: input.jobTags, additionalAdlsAccounts: input.adlsAccounts },
      );
      // Pin the gateway login: later calls use this version even after the secret is rotated (gatewayCredentials.ts).
      if (gateway.version) params.tags = { ...params.tags, [GATEWAY_SECRET_VERSION_TAG]: gateway.version };
      await clusters.beginCreate(input.clusterName, params);
      // The node shape billed from now on (the cost ledger's first entry): exactly the roles ARM was asked for.
      const nodes = (params.properties?.computeProfile?.roles ?? []).map((r) => ({
        role: r.name ?? "node",
        vmSize: r.hardwareProfile?.vmSize ?? "unknown",
        count: r.targetInstanceCount ?? 0,
      }));
      // The profile's timing estimate rides on the create (the cluster places its polls by it): best effort — the
      // create is accepted, so a failed read only leaves the orchestration to ask getClusterTimingEstimate itself.
      const timings = await timingStore.estimate(input.profileHash).catch(() => undefined);
      return { accepted: true as const, nodes, region: params.location ?? config.location, ...(timings ? { timings } : {}) };
    }),

    [ACTIVITY.getClusterStatus]: classified(ACTIVITY.getClusterStatus, async (input) => {
      const info = await clusters.get(input.clusterName);
      if (!info) return { phase: "gone" as const, errors: [] };
      const result: ClusterStatusResult = {
        phase: classifyHdinsightCluster(info),
        provisioningState: info.provisioningState,
        clusterState: info.clusterState,
        errors: info.errors.map((e) => `${e.code}: ${e.message}`),
      };
      if (info.clusterVersion) result.clusterVersion = info.clusterVersion;
      if (info.gatewayEndpoint) result.gatewayEndpoint = info.gatewayEndpoint;
      return result;
    }),

    [ACTIVITY.beginDeleteCluster]: classified(ACTIVITY.beginDeleteCluster, async (input) => {
      await clusters.beginDelete(input.clusterName);
      return { accepted: true as const };
    }),

    /** Idle = no Livy batch in a non-final state and no running/accepted YARN application (reference §3). */
    [ACTIVITY.checkClusterIdle]: classified(ACTIVITY.checkClusterIdle, async (input) => {
      const [livy, gateway] = await Promise.all([
        deps.livy(input.clusterName, input.profileName),
        deps.gateway(input.clusterName, input.profileName),
      ]);
      const [batches, apps] = await Promise.all([livy.listBatches({ size: 100 }), gateway.runningApps()]);
      const activeBatches = batches.sessions.filter((b) => !LIVY_FINAL_STATES.includes(b.state)).length;
      return { idle: activeBatches === 0 && apps.length === 0, activeBatches, runningApps: apps.length };
    }),
  };
}
