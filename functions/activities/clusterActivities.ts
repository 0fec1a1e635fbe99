// Cluster activities: one ARM call each (begin + poll shape of DESIGN §2), secrets read here and nowhere else.
// Failures are classified (./classified.ts): permanent ones come back as a value and are never retried.
import * as df from "durable-functions";
import { buildClusterCreateRequest } from "../../shared/builders/clusterRequest";
import { classifyHdinsightCluster } from "../../shared/states/hdinsight";
import { ACTIVITY, type BeginCreateClusterInput, type BeginCreateClusterResult, type ClusterStatusResult } from "../../shared/workflow/activities";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { JobflowError } from "../../shared/errors";
import { services } from "../runtime/services";
import { classified } from "./classified";
import { GATEWAY_SECRET_VERSION_TAG } from "../runtime/gatewayCredentials";

df.app.activity(ACTIVITY.beginCreateCluster, {
  handler: classified(ACTIVITY.beginCreateCluster, async (input: BeginCreateClusterInput): Promise<BeginCreateClusterResult> => {
    const s = services();
    const eff = effectiveProfile(
      { cluster: { profile: input.profileName, overrides: input.overrides, reuse: "never", keepWarmMinutes: input.keepWarmMinutes, maxLifetimeMinutes: input.maxLifetimeMinutes } },
      await s.profiles(),
      placeholderValuesFromConfig(s.config),
    );
    if (!eff.ok) throw new JobflowError("ValidationError", eff.problems.map((p) => `${p.pointer}: ${p.message}`).join("; "));
    const profile = eff.profile;
    const [gateway, sshPassword] = await Promise.all([
      s.cloud.secrets.getSecretVersion(profile.gateway.passwordSecret),
      s.cloud.secrets.getSecret(profile.ssh.passwordSecret),
    ]);
    const gatewayPassword = gateway.value;
    const params = buildClusterCreateRequest(profile, "jobId" in input.owner ? { jobId: input.owner.jobId } : { leaseId: input.owner.leaseId },
      { keepWarmMinutes: input.keepWarmMinutes, maxLifetimeMinutes: input.maxLifetimeMinutes },
      { gatewayPassword, sshPassword },
      { profileHash: input.profileHash, createdAt: input.createdAt, jobTags: input.jobTags, additionalAdlsAccounts: input.adlsAccounts });
    // Pin the gateway login: later calls use this version even after the secret is rotated (gatewayCredentials.ts).
    if (gateway.version) params.tags = { ...params.tags, [GATEWAY_SECRET_VERSION_TAG]: gateway.version };
    await s.cloud.clusters.beginCreate(input.clusterName, params);
    // The node shape billed from now on (the cost ledger's first entry): exactly the roles ARM was asked for.
    const nodes = (params.properties?.computeProfile?.roles ?? []).map((r) => ({ role: r.name ?? "node", vmSize: r.hardwareProfile?.vmSize ?? "unknown", count: r.targetInstanceCount ?? 0 }));
    return { accepted: true, nodes, region: params.location ?? s.config.location };
  }),
});

df.app.activity(ACTIVITY.getClusterStatus, {
  handler: classified(ACTIVITY.getClusterStatus, async (input: { clusterName: string }): Promise<ClusterStatusResult> => {
    const info = await services().cloud.clusters.get(input.clusterName);
    if (!info) return { phase: "gone", errors: [] };
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
});

df.app.activity(ACTIVITY.beginDeleteCluster, {
  handler: classified(ACTIVITY.beginDeleteCluster, async (input: { clusterName: string }) => {
    await services().cloud.clusters.beginDelete(input.clusterName);
    return { accepted: true };
  }),
});

/** Idle = no Livy batch in a non-final state and no running/accepted YARN application (reference §3). */
df.app.activity(ACTIVITY.checkClusterIdle, {
  handler: classified(ACTIVITY.checkClusterIdle, async (input: { clusterName: string; profileName: string }) => {
    const s = services();
    const [livy, gateway] = await Promise.all([s.livy(input.clusterName, input.profileName), s.gateway(input.clusterName, input.profileName)]);
    const [batches, apps] = await Promise.all([livy.listBatches({ size: 100 }), gateway.runningApps()]);
    const activeBatches = batches.sessions.filter((b) => !["success", "dead", "killed", "error"].includes(b.state)).length;
    return { idle: activeBatches === 0 && apps.length === 0, activeBatches, runningApps: apps.length };
  }),
});
