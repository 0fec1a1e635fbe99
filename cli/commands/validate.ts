// `jobflow validate FILE`: checks a Jobflow job document or a bare EMR steps file offline.
// Exit 0 and "valid: …", or exit 1 and one `<pointer>: <message>` line per problem; --json prints one document.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { loadProfilesFromFolder } from "../../shared/profiles/loadFromFolder";
import { parseJobText } from "../../shared/spec/validate";
import type { Problem } from "../../shared/errors";
import { stringOption } from "../args";
import type { Command } from "../main";
import { problemLine } from "../output";

export const command: Command = {
  summary: "check a job document or EMR steps file offline (exit 1 lists every problem)",
  usage: "jobflow validate FILE [--profiles DIR] [--json]",
  async run({ args, out, env }) {
    const file = args.positional[0];
    if (!file || args.positional.length > 1) {
      out.error(`usage: ${command.usage}`);
      return 2;
    }
    const report = (problems: Problem[]) => {
      if (args.json) out.json({ ok: false, file, problems });
      else for (const p of problems) out.line(problemLine(p));
      return 1;
    };
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      return report([{ pointer: "", message: `cannot read ${file}: ${(err as Error).message}` }]);
    }
    const loaded = await loadProfilesFromFolder(stringOption(args, "profiles") ?? env.JOBFLOW_PROFILES_PATH);
    if (loaded.problems.length) return report(loaded.problems.map((p) => ({ pointer: p.pointer, message: `(profile) ${p.message}` })));
    const knownEdges = (env.JOBFLOW_EDGE_VMS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const result = parseJobText(text, {
      profiles: loaded.catalog,
      knownEdges: knownEdges.length ? knownEdges : undefined,
      emrJobName: basename(file, extname(file)),
    });
    if (!result.ok) return report(result.problems);
    const job = result.job;
    if (args.json) out.json({ ok: true, file, job });
    else {
      const from = job.source === "jobflow" ? "job document" : `EMR steps file (${job.source === "emr-cli" ? "CLI" : "API"} form)`;
      out.line(`valid: ${job.steps.length} step${job.steps.length === 1 ? "" : "s"}, profile ${job.cluster.profile}, reuse ${job.cluster.reuse}, ` +
        `max ${job.maxConcurrentSteps} concurrent, ${from}`);
    }
    return 0;
  },
};
