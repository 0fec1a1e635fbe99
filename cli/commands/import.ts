// `jobflow import emr FILE [-o job.json] [--json]`: writes a Jobflow job document from an EMR steps file with
// everything that translates, and reports what did not and why, with the replacement where one exists
// (shared/spec/emrImport.ts). Offline. The document goes to -o (or stdout), the report to stderr (or, with --json,
// both in one JSON document). Exit 0 when a document was written, 1 when nothing could be translated.
import { readFile, writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { importEmrFile } from "../../shared/spec/emrImport";
import { jsonSyntaxProblem } from "../../shared/spec/shape";
import { validateJobDocument } from "../../shared/spec";
import { stringOption } from "../args";
import type { Command } from "../main";

const USAGE = "jobflow import emr FILE [-o|--out job.json]";

export const command: Command = {
  summary: "turn an EMR steps file into a Jobflow job document, reporting what did not translate (offline)",
  usage: USAGE,
  options: {
    out: { type: "string", short: "o", value: "FILE", description: "write the Jobflow job document to FILE (default: standard output)" },
  },
  examples: ["jobflow import emr examples/emr-api-stepconfig.json -o job.json", "jobflow import emr steps.json --output json"],
  async run({ args, out }) {
    const [kind, file, ...extra] = args.positional;
    if (kind !== "emr" || !file || extra.length) {
      out.error(`usage: ${USAGE}`);
      return 2;
    }
    let text: string;
    let input: unknown;
    try {
      text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
    } catch (err) {
      out.error(`jobflow import: cannot read ${file}: ${(err as Error).message}`);
      return 1;
    }
    try {
      input = JSON.parse(text);
    } catch (err) {
      out.error(`jobflow import: ${file} ${jsonSyntaxProblem(text, err).message}`);
      return 1;
    }
    const result = importEmrFile(input, basename(file, extname(file)));
    if (result.job) {
      // Check the result like a submission would (placeholders with a stand-in value), and say what still needs work.
      const declared = Object.keys((result.job.parameters ?? {}) as object);
      const checked = validateJobDocument(result.job, {
        parameters: Object.fromEntries(declared.map((n) => [n, "x"])),
        run: { logicalDate: new Date().toISOString(), runId: "manual__import", jobId: "j-import" },
      });
      if (!checked.ok)
        for (const p of checked.problems)
          result.notes.push({
            pointer: p.pointer,
            kind: "note",
            message: `the Jobflow document needs attention at ${p.pointer || "/"}: ${p.message}`,
          });
    }
    const output = stringOption(args, "out");
    if (result.job && output) await writeFile(output, JSON.stringify(result.job, null, 2) + "\n");
    if (args.json) {
      out.json({ ok: !!result.job, file, output, job: result.job, notes: result.notes });
    } else {
      if (result.job && !output) out.line(JSON.stringify(result.job, null, 2));
      const steps = (result.job?.steps as unknown[] | undefined)?.length ?? 0;
      out.error(
        result.job ? `imported ${steps} step${steps === 1 ? "" : "s"}${output ? ` into ${output}` : ""}` : "nothing could be imported",
      );
      for (const n of result.notes) {
        out.error(`${n.kind}: ${n.pointer || "/"}: ${n.message}`);
        if (n.suggestion) out.error(`  instead: ${n.suggestion}`);
      }
    }
    return result.job ? 0 : 1;
  },
};
