// `jobflow plan FILE [--json]`: what Jobflow would create for a job, offline (shared/builders/jobPlan.ts builds it).
// Prints the HDInsight create request, one Livy batch body per step (first attempt) and the Run Command request per
// edge VM, with every secret shown as a reference ({"secretRef": name}), never a value.
import { readJobFile } from "../jobFile";
import { planJob, type JobPlan } from "../../shared/builders/jobPlan";
import { loadConfig } from "../../shared/config";
import type { Problem } from "../../shared/errors";
import { effectiveProfile } from "../../shared/profiles/effective";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { PARAM_OPTION, stringOption } from "../args";
import type { Command } from "../main";
import { EXIT } from "../exitCodes";
import { problemLine } from "../output";

export { planJob, type JobPlan };

function printText(plan: JobPlan, line: (text: string) => void): void {
  const indent = (value: unknown): string => JSON.stringify(value, null, 2).replace(/\n/g, "\n    ");
  line(
    `Plan for '${plan.job.name}' (${plan.job.source}, ${plan.job.steps} step${plan.job.steps === 1 ? "" : "s"}); secrets are shown as references`,
  );
  if (plan.job.parameters)
    line(
      `Rendered with parameters: ${Object.entries(plan.job.parameters)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ")}`,
    );
  line("");
  line(`Cluster ${plan.cluster.name}: ${plan.cluster.naming}`);
  line(`  profile ${plan.cluster.profile.name} (hash ${plan.cluster.profile.hash})`);
  for (const x of plan.cluster.scriptActions)
    line(`  script action ${x.name} on ${x.roles.join(", ")} at create: ${x.uri}${x.parameters ? ` ${x.parameters}` : ""}`);
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
  usage: "jobflow plan FILE [-p NAME=value …] [--profiles DIR] [--at ISO-TIME]",
  options: {
    param: PARAM_OPTION,
    profiles: {
      type: "string",
      value: "DIR",
      description: "cluster profiles folder (default: JOBFLOW_PROFILES_PATH, else the built-in ones)",
    },
    at: { type: "string", value: "ISO-TIME", description: "plan as of this time (tags, names; default: now)" },
  },
  examples: ["jobflow plan examples/edge-vm-job.json", "jobflow plan examples/dag-adls-s3a.json --output json --at 2026-11-21T02:00:00Z"],
  async run({ args, out, env }) {
    const file = args.positional[0];
    if (!file || args.positional.length > 1) {
      out.error(`usage: ${command.usage}`);
      return EXIT.usage;
    }
    const report = (problems: Problem[]): number => {
      if (args.json) out.json({ ok: false, file, problems });
      else for (const p of problems) out.line(problemLine(p));
      return EXIT.failed;
    };
    const at = stringOption(args, "at") ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(at))) {
      out.error(`jobflow plan: --at must be an ISO 8601 time`);
      return EXIT.usage;
    }
    const result = await readJobFile(file, args, env);
    if (!result.ok) return report(result.problems);

    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(env);
    } catch (err) {
      out.error(`jobflow plan: ${(err as Error).message}`);
      return EXIT.failed;
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
