// `jobflow status [ID] [--state S] [--json]`: one job's record (job, cluster and step table; the summary once it
// has finished), or without ID the list of jobs (optionally only those in one state).
import { clockNote } from "../api";
import { shortTime, table } from "../format";
import type { Command } from "../main";
import { progressLines, summaryLines } from "../progress";
import { EXIT } from "../exitCodes";
import { remoteCommand } from "../remote";
import { stringOption } from "../args";
import { isTerminal } from "../waitForJob";

const USAGE = "jobflow status [ID] [--state STATE]";

export const command: Command = {
  summary: "show a job (state, cluster, steps, cost) or list jobs (--state to filter)",
  usage: USAGE,
  options: {
    state: { type: "string", value: "STATE", description: "without ID: only the jobs in this state (queued, running, failed, …)" },
  },
  examples: ["jobflow status j-3f1c9a0b7d2e4c6a8b1d0e9f", "jobflow status --state running --output json"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api, target } = ctx;
    if (args.positional.length > 1) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    const note = clockNote(target);
    const [id] = args.positional;
    if (id === undefined) {
      const jobs = await api.listJobs(stringOption(args, "state"));
      if (args.json) {
        out.json({ jobs });
        return 0;
      }
      if (jobs.length === 0) out.line("no jobs");
      else {
        const rows = table(jobs, [
          { header: "ID", value: (j) => j.id },
          { header: "NAME", value: (j) => j.name ?? "-" },
          { header: "STATE", value: (j) => j.state },
          { header: "SUBMITTED", value: (j) => shortTime(j.submittedAt) },
          { header: "ENDED", value: (j) => shortTime(j.endedAt) },
          { header: "CLUSTER", value: (j) => j.cluster ?? "-" },
        ]);
        for (const line of rows) out.line(line);
      }
      if (note) out.line(`note: ${note}`);
      return 0;
    }
    const record = await api.getJob(id);
    if (args.json) {
      out.json(record);
      return 0;
    }
    // One read: a running step's elapsed time is measured up to the record's last update locally (server time
    // is virtual there), or up to now for a deployment.
    const nowMs = target.source.kind === "env" ? ctx.clock.nowMs() : Date.parse(record.updatedAt ?? "") || ctx.clock.nowMs();
    for (const line of progressLines(record, nowMs)) out.line(line);
    if (record.submittedAt) {
      out.line(
        `submitted ${shortTime(record.submittedAt)}  started ${shortTime(record.startedAt)}  ended ${shortTime(record.endedAt)}  updated ${shortTime(record.updatedAt)}`,
      );
    }
    if (isTerminal(record) && record.steps) for (const line of summaryLines(record)) out.line(line);
    if (record.run !== undefined) {
      // A repaired job: the latest run above, the earlier ones in one line each (--json has them in full).
      out.line(`run ${record.run} (repair) re-ran ${record.rerunSteps?.join(", ") ?? "-"}; earlier runs (full history with --json):`);
      for (const r of record.runs ?? [])
        out.line(`  run ${r.run}: ${r.state}  ${shortTime(r.startedAt)} → ${shortTime(r.endedAt)}${r.error ? `  ${r.error}` : ""}`);
    }
    if (note) out.line(`note: ${note}`);
    return 0;
  }),
};
