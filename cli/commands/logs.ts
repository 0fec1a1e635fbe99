// `jobflow logs ID [STEP] [--attempt N] [--json]`: the Livy log a step's attempt left (copied to Blob when the
// attempt ended, so it is there after the cluster is gone). Without STEP: the last attempt of every step that ran.
import type { ApiError } from "../apiClient";
import type { Command } from "../main";
import { EXIT } from "../exitCodes";
import { intOption, remoteCommand } from "../remote";

const USAGE = "jobflow logs ID [STEP] [--attempt N]";

interface StepLog {
  stepId: string;
  attempt: number;
  state: string;
  /** The log text, or null when there is none (yet). */
  log: string | null;
  error?: string;
}

export const command: Command = {
  summary: "print a step's log (all steps' last attempts when STEP is omitted)",
  usage: USAGE,
  options: { attempt: { type: "string", value: "N", description: "with STEP: that attempt (default: the last one)" } },
  examples: ["jobflow logs j-3f1c9a0b7d2e4c6a8b1d0e9f", "jobflow logs j-3f1c9a0b7d2e4c6a8b1d0e9f report --attempt 1"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const [jobId, stepId, ...extra] = args.positional;
    const attempt = intOption(ctx, "attempt", undefined, 1);
    if (!jobId || extra.length || attempt === null || (attempt !== undefined && !stepId)) {
      if (attempt !== undefined && attempt !== null && !stepId) out.error("jobflow: --attempt needs a STEP");
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    if (stepId) {
      const log = await api.getStepLog(jobId, stepId, attempt);
      if (args.json) out.json({ jobId, stepId, attempt: attempt ?? null, log });
      else out.line(log.replace(/\n$/, ""));
      return 0;
    }
    const record = await api.getJob(jobId);
    const logs: StepLog[] = [];
    for (const step of record.steps ?? []) {
      const last = step.attempts?.[step.attempts.length - 1];
      if (!last) continue; // never ran: nothing to show
      const entry: StepLog = { stepId: step.id, attempt: last.attempt, state: step.state, log: null };
      try {
        entry.log = await api.getStepLog(jobId, step.id, last.attempt);
      } catch (err) {
        if ((err as { name?: string })?.name !== "ApiError" || (err as ApiError).status !== 404) throw err;
        entry.error = (err as ApiError).detail ?? (err as ApiError).title;
      }
      logs.push(entry);
    }
    if (args.json) {
      out.json({ jobId, logs });
      return 0;
    }
    if (logs.length === 0) out.line(`job ${jobId}: no step has run yet`);
    for (const [i, entry] of logs.entries()) {
      if (i > 0) out.line("");
      out.line(`==> step ${entry.stepId} (attempt ${entry.attempt}, ${entry.state}) <==`);
      out.line(entry.log === null ? `(no log: ${entry.error})` : entry.log.replace(/\n$/, ""));
    }
    return 0;
  }),
};
