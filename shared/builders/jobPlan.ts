// The plan of a job: what Jobflow would create for it — the HDInsight create request, one Livy batch body per step
// (first attempt) and the Run Command request per edge VM — with every secret shown as a reference
// ({"secretRef": name}), never a value. Pure: used offline by `jobflow plan` and by POST /api/jobs/validate.
import { clusterNameForJob, warmClusterName } from "./clusterName";
import { buildClusterCreateRequest, redactCreateRequest } from "./clusterRequest";
import { buildEdgeRunCommand, redactEdgeRunCommand } from "./edgeRunCommand";
import { EDGE_SYNC_SCRIPT } from "./edgeSyncScript";
import { buildLivyBatch } from "./livyBatch";
import { sha256Hex } from "./sha256";
import { s3aPlanSummary, type S3aPlanSummary } from "../s3a/plan";
import type { JobSpec } from "../model/job";
import type { ClusterProfile } from "../model/profile";

/** Stand-in for values only known at run time (cluster IP, job id); never a secret. */
const AT_RUN_TIME = "<known at run time>";
// The builders need non-empty passwords; these never leave this process because the request is redacted.
const NOT_A_SECRET = { gatewayPassword: "plan-placeholder", sshPassword: "plan-placeholder" };

export interface JobPlan {
  file: string;
  job: { name: string; source: JobSpec["source"]; steps: number; edges: string[]; parameters?: Record<string, string> };
  cluster: {
    name: string;
    naming: string;
    reuse: JobSpec["cluster"]["reuse"];
    profile: { name: string; hash: string };
    /** The profile's persisted script actions (run on the nodes of their roles while the cluster is created). */
    scriptActions: { name: string; uri: string; parameters?: string; roles: string[] }[];
    createRequest: Record<string, unknown>;
  };
  batches: {
    stepId: string;
    dependsOn: string[];
    actionOnFailure: string;
    retries: number;
    body: unknown;
    secretRefs: unknown[];
    warnings: string[];
    /** For a step that touches s3a://: the connector it gets and the committer its writes use. */
    s3a?: S3aPlanSummary;
  }[];
  edges: {
    script: { sha256: string; lengthInBytes: number; text: string };
    commands: ({ vm: string } & ReturnType<typeof redactEdgeRunCommand>)[];
  };
}

/** Builds the plan of a normalized job (pure apart from the inputs it is given). */
export function planJob(file: string, job: JobSpec, profile: { profile: ClusterProfile; hash: string }, createdAt: string): JobPlan {
  // The API assigns the real job id at submit time; the idempotency key (or name) stands in for it here.
  const planJobId = job.idempotencyKey ?? job.name;
  const name = job.cluster.reuse === "warm" ? warmClusterName(profile.profile.name, profile.hash, 0) : clusterNameForJob(planJobId);
  const request = buildClusterCreateRequest(
    profile.profile,
    { jobId: planJobId },
    { keepWarmMinutes: job.cluster.keepWarmMinutes, maxLifetimeMinutes: job.cluster.maxLifetimeMinutes },
    NOT_A_SECRET,
    { profileHash: profile.hash, createdAt, jobTags: job.tags, additionalAdlsAccounts: job.data.adls?.accounts },
  );
  const batches = job.steps.map((step) => {
    const built = buildLivyBatch(step, { jobId: planJobId, attempt: 1, data: job.data, profile: profile.profile });
    const s3a = s3aPlanSummary(step, profile.profile);
    return {
      stepId: step.id,
      dependsOn: step.dependsOn,
      actionOnFailure: step.actionOnFailure,
      retries: step.retries,
      body: built.body,
      secretRefs: built.secretRefs,
      warnings: built.warnings,
      ...(s3a ? { s3a } : {}),
    };
  });
  const commands = job.edges.map((vm) => {
    const command = buildEdgeRunCommand({
      action: "attach",
      vmName: vm,
      requestedAt: createdAt,
      target: {
        clusterName: name,
        clusterVersion: profile.profile.clusterVersion,
        headnodeIp: AT_RUN_TIME,
        bundleSasUrl: AT_RUN_TIME,
      },
    });
    const { script: _script, ...redacted } = redactEdgeRunCommand(command);
    return { vm, ...redacted, script: `(edge sync script, sha256 ${sha256Hex(EDGE_SYNC_SCRIPT).slice(0, 16)}…)` };
  });
  return {
    file,
    job: {
      name: job.name,
      source: job.source,
      steps: job.steps.length,
      edges: job.edges,
      ...(job.parameters ? { parameters: job.parameters } : {}),
    },
    cluster: {
      name,
      naming:
        job.cluster.reuse === "warm"
          ? "warm pool: joins a compatible warm cluster (same profile hash) or creates generation 0"
          : `one cluster for this job, named from the job id (plan uses '${planJobId}'; the API assigns the real id)`,
      reuse: job.cluster.reuse,
      profile: { name: profile.profile.name, hash: profile.hash },
      scriptActions: (profile.profile.scriptActions ?? []).map((x) => ({ ...x, roles: [...x.roles] })),
      createRequest: redactCreateRequest(request, {
        gateway: profile.profile.gateway.passwordSecret,
        ssh: profile.profile.ssh.passwordSecret,
      }),
    },
    batches,
    edges: {
      script: {
        sha256: sha256Hex(EDGE_SYNC_SCRIPT),
        lengthInBytes: new TextEncoder().encode(EDGE_SYNC_SCRIPT).length,
        text: EDGE_SYNC_SCRIPT,
      },
      commands,
    },
  };
}
