// `jobflow submit FILE [--wait] [--interval-ms N] [--json]`: posts a job document (or a bare EMR steps file, as
// is) to POST /api/jobs. With --wait it follows the job to the end with live progress and exits by its outcome:
// 0 succeeded, 3 completed with failures, 1 failed or cancelled (cli/exitCodes.ts).
import { readFile } from "node:fs/promises";
import { INTERVAL_OPTION, PARAM_OPTION, parseParams } from "../args";
import { clockNote, serverClockSpeed } from "../api";
import { exitCodeForJobState } from "../format";
import type { Command } from "../main";
import { ProgressView, ServerTimeEstimator, summaryLines } from "../progress";
import { EXIT } from "../exitCodes";
import { intOption, onePositional, remoteCommand } from "../remote";
import { waitForJob } from "../waitForJob";

const USAGE = "jobflow submit FILE [-p NAME=value …] [--wait] [--interval-ms N]";

/** The request body: the file as is, or `{job, parameters}` when -p values are given (the server renders). */
export function submitBody(text: string, values: Record<string, string>): string {
  if (Object.keys(values).length === 0) return text;
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return text; // the API names the JSON problem
  }
  const isEnvelope =
    typeof doc === "object" &&
    doc !== null &&
    !Array.isArray(doc) &&
    "job" in doc &&
    !("steps" in doc) &&
    !("Steps" in doc) &&
    !("name" in doc);
  if (isEnvelope) {
    const envelope = doc as { parameters?: Record<string, unknown> };
    return JSON.stringify({ ...envelope, parameters: { ...envelope.parameters, ...values } });
  }
  return JSON.stringify({ job: doc, parameters: values });
}
const DEFAULT_INTERVAL_MS = 2000;

export const command: Command = {
  summary: "submit a job document or EMR steps file (--wait: live progress, exit by outcome)",
  usage: USAGE,
  options: {
    param: PARAM_OPTION,
    wait: {
      type: "boolean",
      description: "follow the job with live progress; exit 0 succeeded, 3 completed with failures, 1 failed/cancelled",
    },
    "interval-ms": INTERVAL_OPTION,
  },
  examples: ["jobflow submit examples/pyspark-single-step.json --wait", "jobflow submit examples/emr-add-steps-cli.json --output json"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api, target, clock } = ctx;
    const positional = onePositional(ctx, USAGE);
    if (!positional) return EXIT.usage;
    const intervalInMs = intOption(ctx, "interval-ms", DEFAULT_INTERVAL_MS, 1);
    if (intervalInMs === null || intervalInMs === undefined) return EXIT.usage;
    const [file] = positional;
    const params = parseParams(args);
    if (!params.ok) {
      for (const e of params.errors) out.error(`jobflow submit: ${e}`);
      return EXIT.usage;
    }
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      const message = `cannot read ${file}: ${(err as Error).message}`;
      if (args.json) out.json({ ok: false, error: { message } });
      else out.error(`jobflow: ${message}`);
      return EXIT.failed;
    }
    const accepted = await api.submitJob(submitBody(text, params.values));
    const wait = args.options.wait === true;
    if (!wait) {
      if (args.json) out.json(accepted);
      else {
        out.line(
          accepted.duplicate
            ? `job ${accepted.id} exists already (same idempotency key): not submitted again`
            : `submitted job ${accepted.id}`,
        );
        out.line(`follow it with: jobflow status ${accepted.id}`);
      }
      return 0;
    }

    const note = clockNote(target);
    if (!args.json) {
      out.line(
        accepted.duplicate ? `job ${accepted.id} exists already (same idempotency key): following it` : `submitted job ${accepted.id}`,
      );
      if (note) out.line(`note: ${note}`);
    }
    // Ctrl-C stops waiting, not the job: say how to cancel it.
    const stop = new AbortController();
    const onInterrupt = (): void => stop.abort();
    process.once("SIGINT", onInterrupt);
    try {
      const record = await waitForJob(accepted.id, {
        api,
        clock,
        intervalInMs,
        estimator: new ServerTimeEstimator(clock, serverClockSpeed(target), target.source.kind === "env"),
        view: args.json ? undefined : new ProgressView(out),
        abortSignal: stop.signal,
      });
      const code = exitCodeForJobState(record.state) ?? EXIT.failed;
      if (args.json) out.json({ ...accepted, job: record, exitCode: code, ...(note ? { timeNote: note } : {}) });
      else for (const line of summaryLines(record)) out.line(line);
      return code;
    } catch (err) {
      if ((err as { name?: string })?.name !== "AbortError") throw err;
      out.error(`stopped waiting; job ${accepted.id} keeps running (cancel it with: jobflow cancel ${accepted.id})`);
      return EXIT.interrupted;
    } finally {
      process.removeListener("SIGINT", onInterrupt);
    }
  }),
};
