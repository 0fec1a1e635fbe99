// `jobflow validate FILE [-p NAME=value …]`: renders the templates (docs/job-spec.md) and checks a Jobflow job document or a bare EMR steps file offline.
// Exit 0 and "valid: …", or exit 1 and one `<pointer>: <message>` line per problem; --json prints one document.
import { readJobFile } from "../jobFile";
import type { Problem } from "../../shared/errors";
import type { Command } from "../main";
import { EXIT } from "../exitCodes";
import { problemLine } from "../output";
import { PARAM_OPTION } from "../args";

export const command: Command = {
  summary: "check a job document or EMR steps file offline (exit 1 lists every problem)",
  usage: "jobflow validate FILE [-p NAME=value …] [--profiles DIR]",
  options: {
    profiles: {
      type: "string",
      value: "DIR",
      description: "cluster profiles folder (default: JOBFLOW_PROFILES_PATH, else the built-in ones)",
    },
    param: PARAM_OPTION,
  },
  examples: ["jobflow validate examples/dag-adls-s3a.json", "jobflow validate my-job.json --profiles ./profiles --output json"],
  async run({ args, out, env }) {
    const file = args.positional[0];
    if (!file || args.positional.length > 1) {
      out.error(`usage: ${command.usage}`);
      return EXIT.usage;
    }
    const report = (problems: Problem[]) => {
      if (args.json) out.json({ ok: false, file, problems });
      else for (const p of problems) out.line(problemLine(p));
      return EXIT.failed;
    };
    const result = await readJobFile(file, args, env);
    if (!result.ok) return report(result.problems);
    const job = result.job;
    if (args.json) out.json({ ok: true, file, job });
    else {
      const from = job.source === "jobflow" ? "job document" : `EMR steps file (${job.source === "emr-cli" ? "CLI" : "API"} form)`;
      out.line(
        `valid: ${job.steps.length} step${job.steps.length === 1 ? "" : "s"}, profile ${job.cluster.profile}, reuse ${job.cluster.reuse}, ` +
          `max ${job.maxConcurrentSteps} concurrent, ${from}`,
      );
      if (job.parameters)
        out.line(
          `parameters: ${Object.entries(job.parameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}`,
        );
    }
    return 0;
  },
};
