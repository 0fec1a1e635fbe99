// `jobflow schedules` lists schedules; `schedules create FILE` posts {cron, timezone, job} (or `create JOBFILE
// --cron "0 9 * * *" --timezone Europe/Paris` wraps a job document); `schedules show|pause|resume|delete ID`.
import { readFile } from "node:fs/promises";
import type { Command } from "../main";
import { shortTime, table } from "../format";
import { EXIT } from "../exitCodes";
import { remoteCommand } from "../remote";
import { stringOption } from "../args";
import { apiRequest } from "./reaper";

const USAGE = "jobflow schedules [create FILE [--cron EXPR --timezone TZ] | show ID | pause ID | resume ID | delete ID]";

interface ScheduleRow {
  id: string;
  cron: string;
  timezone: string;
  state: string;
  jobName?: string;
  nextRunAt: string | null;
  runs: { occurrence: string; outcome: string; jobId?: string; reason?: string }[];
}

export function scheduleTable(rows: readonly ScheduleRow[]): string[] {
  return table(rows, [
    { header: "ID", value: (s) => s.id },
    { header: "STATE", value: (s) => s.state },
    { header: "CRON", value: (s) => s.cron },
    { header: "TIMEZONE", value: (s) => s.timezone },
    { header: "NEXT", value: (s) => shortTime(s.nextRunAt) },
    { header: "LAST", value: (s) => (s.runs[0] ? `${s.runs[0].outcome} ${shortTime(s.runs[0].occurrence)}` : "-") },
    { header: "JOB", value: (s) => s.jobName ?? "-" },
  ]);
}

export const command: Command = {
  summary: "recurring jobs: list, create, show, pause, resume, delete",
  usage: USAGE,
  options: {
    cron: { type: "string", value: "EXPR", description: "create from a job document: the NCRONTAB (6-field) or 5-field cron expression" },
    timezone: { type: "string", value: "TZ", description: "create with --cron: IANA time zone (default UTC)" },
  },
  examples: ["jobflow schedules", 'jobflow schedules create examples/pyspark-single-step.json --cron "0 0 9 * * *" --timezone Europe/Paris'],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const [sub, arg, ...extra] = args.positional;
    const usage = (): number => {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    };
    if (extra.length) return usage();
    if (sub === undefined) {
      const { schedules } = await apiRequest<{ schedules: ScheduleRow[] }>(api, "GET", "/schedules?limit=500");
      if (args.json) out.json({ schedules });
      else if (schedules.length === 0) out.line("no schedules");
      else for (const line of scheduleTable(schedules)) out.line(line);
      return 0;
    }
    if (!arg) return usage();
    if (sub === "create") {
      const doc = JSON.parse(await readFile(arg, "utf8")) as Record<string, unknown>;
      const cron = stringOption(args, "cron");
      const body = cron ? { cron, timezone: stringOption(args, "timezone") ?? "UTC", job: doc } : doc;
      const created = await apiRequest<{ id: string }>(api, "POST", "/schedules", body);
      if (args.json) out.json(created);
      else out.line(`schedule ${created.id} created`);
      return 0;
    }
    const id = encodeURIComponent(arg);
    if (sub === "show") {
      const s = await apiRequest<ScheduleRow>(api, "GET", `/schedules/${id}`);
      if (args.json) out.json(s);
      else {
        for (const line of scheduleTable([s])) out.line(line);
        for (const r of s.runs) out.line(`  ${shortTime(r.occurrence)}  ${r.outcome}${r.jobId ? `  ${r.jobId}` : ""}${r.reason ? `  ${r.reason}` : ""}`);
      }
      return 0;
    }
    if (sub === "pause" || sub === "resume") {
      const r = await apiRequest<{ id: string; state: string }>(api, "POST", `/schedules/${id}/${sub}`);
      if (args.json) out.json(r);
      else out.line(`schedule ${r.id} ${r.state}`);
      return 0;
    }
    if (sub === "delete") {
      await apiRequest(api, "DELETE", `/schedules/${id}`);
      if (args.json) out.json({ id: arg, deleted: true });
      else out.line(`schedule ${arg} deleted`);
      return 0;
    }
    return usage();
  }),
};
