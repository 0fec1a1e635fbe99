// `jobflow repair ID [--steps a,b] [--wait] [--interval-ms N] [--json]`: starts a new run of a finished job that
// re-runs its failed, timed-out, cancelled and skipped steps (or the named ones) and everything depending on them,
// keeping the succeeded ones (POST /api/jobs/{id}/repair). With --wait it follows that run like `submit --wait`.
import { clockNote, serverClockSpeed } from "../api";
import { INTERVAL_OPTION, stringOption } from "../args";
import { exitCodeForJobState } from "../format";
import type { Command } from "../main";
import { ProgressView, ServerTimeEstimator, summaryLines } from "../progress";
import { intOption, onePositional, remoteCommand } from "../remote";
import { waitForJob } from "../waitForJob";

const USAGE = "jobflow repair ID [--steps a,b] [--wait] [--interval-ms N]";

export const command: Command = {
  summary: "re-run a finished job's failed steps and what depends on them (--steps: these instead; --wait: follow)",
  usage: USAGE,
  options: {
    steps: { type: "string", value: "a,b", description: "re-run these steps (and what depends on them) instead of the failed ones" },
    wait: { type: "boolean", description: "follow the new run with live progress; exit by its outcome" },
    "interval-ms": INTERVAL_OPTION,
  },
  examples: ["jobflow repair j-3f1c9a0b7d2e4c6a8b1d0e9f --wait", "jobflow repair j-3f1c9a0b7d2e4c6a8b1d0e9f --steps report"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api, target, clock } = ctx;
    const positional = onePositional(ctx, USAGE);
    if (!positional) return 2;
    const intervalInMs = intOption(ctx, "interval-ms", 2000, 1);
    if (intervalInMs === null || intervalInMs === undefined) return 2;
    const stepsOption = stringOption(args, "steps");
    const steps =
      stepsOption === undefined
        ? undefined
        : stepsOption
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    const started = await api.repairJob(positional[0], steps);
    const what = `run ${started.run} of job ${started.id} re-runs ${started.steps.join(", ")}`;
    if (args.options.wait !== true) {
      if (args.json) out.json(started);
      else {
        out.line(started.duplicate ? `a repair is already going: ${what}` : `repair started: ${what}`);
        out.line(`follow it with: jobflow status ${started.id}`);
      }
      return 0;
    }
    const note = clockNote(target);
    if (!args.json) {
      out.line(started.duplicate ? `a repair is already going: ${what}` : `repair started: ${what}`);
      if (note) out.line(`note: ${note}`);
    }
    const record = await waitForJob(started.id, {
      api,
      clock,
      intervalInMs,
      run: started.run,
      estimator: new ServerTimeEstimator(clock, serverClockSpeed(target), target.source.kind === "env"),
      view: args.json ? undefined : new ProgressView(out),
    });
    const code = exitCodeForJobState(record.state) ?? 1;
    if (args.json) out.json({ ...started, job: record, exitCode: code });
    else for (const line of summaryLines(record)) out.line(line);
    return code;
  }),
};
