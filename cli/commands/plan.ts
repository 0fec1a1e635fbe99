// `jobflow plan FILE [--json]`: what Jobflow would create for a job, offline. Prints the HDInsight create request,
// one Livy batch body per step (first attempt) and the Run Command request per edge VM, with every secret shown as
// a reference ({"secretRef": name}), never a value: plan has no secret values to begin with, and redacts anyway.
import { readJobFile } from "../jobFile";
import { clusterNameForJob, warmClusterName } from "../../shared/builders/clusterName";
import { buildClusterCreateRequest, redactCreateRequest } from "../../shared/builders/clusterRequest";
import { buildEdgeRunCommand, redactEdgeRunCommand } from "../../shared/builders/edgeRunCommand";
import { EDGE_SYNC_SCRIPT } from "../../shared/builders/edgeSyncScript";
import { buildLivyBatch } from "../../shared/builders/livyBatch";
import { s3aPlanSummary, type S3aPlanSummary } from "../../shared/s3a/plan";
import { sha256Hex } from "../../shared/builders/sha256";
import { loadConfig } from "../../shared/config";
import type { Problem } from "../../shared/errors";
import type { JobSpec } from "../../shared/model/job";
import type { ClusterProfile } from "../../shared/model/profile";
import { effectiveProfile } from "../../shared/profiles/effective";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { stringOption } from "../args";
import type { Command } from "../main";
import { problemLine } from "../output";

/** Stand-in for values only known at run time (cluster IP, job id); never a secret. */
const AT_RUN_TIME = "<known at run time>";
// The builders need non-empty passwords; these never leave this process because the request is redacted.
const NOT_A_SECRET = { gatewayPassword: "plan-placeholder", sshPassword: "plan-placeholder" };

export interface JobPlan {
  file: string;
  job: { name: string; source: JobSpec["source"]; steps: number; edges: string[] };
  cluster: {
    name: string;
    naming: string;
    reuse: JobSpec["cluster"]["reuse"];
    profile: { name: string; hash: string };
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
  const name =
    job.cluster.reuse === "warm" ? warmClusterName(profile.profile.name, profile.hash, 0) : clusterNameForJob(planJobId);
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
    job: { name: job.name, source: job.source, steps: job.steps.length, edges: job.edges },
    cluster: {
      name,
      naming:
        job.cluster.reuse === "warm"
          ? "warm pool: joins a compatible warm cluster (same profile hash) or creates generation 0"
          : `one cluster for this job, named from the job id (plan uses '${planJobId}'; the API assigns the real id)`,
      reuse: job.cluster.reuse,
      profile: { name: profile.profile.name, hash: profile.hash },
      createRequest: redactCreateRequest(request, { gateway: profile.profile.gateway.passwordSecret, ssh: profile.profile.ssh.passwordSecret }),
    },
    batches,
    edges: {
      script: { sha256: sha256Hex(EDGE_SYNC_SCRIPT), lengthInBytes: new TextEncoder().encode(EDGE_SYNC_SCRIPT).length, text: EDGE_SYNC_SCRIPT },
      commands,
    },
  };
}

function printText(plan: JobPlan, line: (text: string) => void): void {
  const indent = (value: unknown): string => JSON.stringify(value, null, 2).replace(/\n/g, "\n    ");
  line(`Plan for '${plan.job.name}' (${plan.job.source}, ${plan.job.steps} step${plan.job.steps === 1 ? "" : "s"}); secrets are shown as references`);
  line("");
  line(`Cluster ${plan.cluster.name}: ${plan.cluster.naming}`);
  line(`  profile ${plan.cluster.profile.name} (hash ${plan.cluster.profile.hash})`);
  line("  HDInsight create request (PUT Microsoft.HDInsight/clusters):");
  line(`    ${indent(plan.cluster.createRequest)}`);
  line("");
  line("Livy batches (POST /livy/batches, first attempt):");
  for (const b of plan.batches) {
    const after = b.dependsOn.length ? `after ${b.dependsOn.join(", ")}; ` : "";
    line(`  step ${b.stepId} (${after}on failure ${b.actionOnFailure}, retries ${b.retries}):`);
    line(`    ${indent(b.body)}`);
    if (b.s3a) line(`    S3A: connector (${b.s3a.via}) ${b.s3a.connector.join(", ")}; committer ${b.s3a.committer}`);
    if (b.secretRefs.length) line(`    secret refs (filled in just before submission): ${indent(b.secretRefs)}`);
    for (const w of b.warnings) line(`    warning: ${w}`);
  }
  line("");
  if (plan.edges.commands.length === 0) {
    line("Edge VMs: none");
    return;
  }
  line("Edge VMs (VM Run Command v2, attach; detach runs in teardown):");
  for (const c of plan.edges.commands) {
    line(`  ${c.vm}: run command ${c.runCommandName}, timeout ${c.timeoutInSeconds} s`);
    for (const p of c.parameters) line(`    ${p.name}=${JSON.stringify(p.value)}`);
    for (const p of c.protectedParameters) line(`    ${p.name}=${JSON.stringify(p.value)} (protected)`);
  }
  line("");
  line(`Edge sync script (${plan.edges.script.lengthInBytes} bytes, sha256 ${plan.edges.script.sha256}):`);
  for (const l of plan.edges.script.text.replace(/\n$/, "").split("\n")) line(`  | ${l}`);
}

export const command: Command = {
  summary: "show what a job would create: cluster request, Livy batches, edge commands (offline, secrets as references)",
  usage: "jobflow plan FILE [--profiles DIR] [--at ISO-TIME] [--json]",
  async run({ args, out, env }) {
    const file = args.positional[0];
    if (!file || args.positional.length > 1) {
      out.error(`usage: ${command.usage}`);
      return 2;
    }
    const report = (problems: Problem[]): number => {
      if (args.json) out.json({ ok: false, file, problems });
      else for (const p of problems) out.line(problemLine(p));
      return 1;
    };
    const at = stringOption(args, "at") ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(at))) {
      out.error(`jobflow plan: --at must be an ISO 8601 time`);
      return 2;
    }
    const result = await readJobFile(file, args, env);
    if (!result.ok) return report(result.problems);

    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(env);
    } catch (err) {
      out.error(`jobflow plan: ${(err as Error).message}`);
      return 2;
    }
    // Unconfigured placeholders stay visible instead of failing: plan is an offline preview.
    const values = { ...placeholderValuesFromConfig(config), storageAccount: config.dataLakeAccount ?? "<storageAccount>" };
    const profile = effectiveProfile(result.job, result.profiles, values);
    if (!profile.ok) return report(profile.problems);
    let plan: JobPlan;
    try {
      plan = planJob(file, result.job, profile, new Date(Date.parse(at)).toISOString());
    } catch (err) {
      const problems = (err as { problems?: Problem[] }).problems;
      return report(problems ?? [{ pointer: "", message: (err as Error).message }]);
    }
    if (args.json) out.json({ ok: true, ...plan });
    else printText(plan, (t) => out.line(t));
    return 0;
  },
};
