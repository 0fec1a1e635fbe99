// `jobflow schedules` lists schedules; `schedules create FILE` posts {cron, timezone, job} (or `create JOBFILE
// --cron "0 9 * * *" --timezone Europe/Paris` wraps a job document; -p NAME=value sets its parameters);
// `schedules show|pause|resume|delete ID`; `schedules run ID [-p …]` fires it now; `schedules backfill ID --from T
// --to T [--max-concurrent N] [-p …] [--wait]` submits one run per missed logical time (--wait: progress lines);
// `show` includes the warm-up setting and each warm-up with its cost.
import { readFile } from "node:fs/promises";
import type { Command } from "../main";
import { shortTime, table } from "../format";
import { EXIT } from "../exitCodes";
import { remoteCommand } from "../remote";
import { PARAM_OPTION, parseParams, stringOption } from "../args";
import { apiRequest } from "./reaper";
import type { WarmupView } from "../../shared/policies/workflowTypes";

const USAGE =
  "jobflow schedules [create FILE [--cron EXPR --timezone TZ] [-p NAME=value …] | show ID | pause ID | resume ID | delete ID | " +
  "run ID [-p NAME=value …] | backfill ID --from T --to T [--max-concurrent N] [-p NAME=value …] [--wait]]";

interface BackfillView {
  backfillId: string;
  state: string;
  runs: { logicalDate: string; jobId?: string; state: string; duplicate?: boolean; reason?: string }[];
}

interface ScheduleRow {
  id: string;
  cron: string;
  timezone: string;
  state: string;
  jobName?: string;
  nextRunAt: string | null;
  runs: { occurrence: string; outcome: string; jobId?: string; reason?: string }[];
  warmup?: { enabled: boolean; why: string; leadMinutes: number | null; nextWarmupAt: string | null };
  warmups?: WarmupRow[];
}

type WarmupRow = WarmupView;

/** `schedules show`: the warm-up setting, then one line per warm-up (cluster, fire time, created, used or wasted, cost). */
export function warmupLines(s: ScheduleRow): string[] {
  if (!s.warmup) return [];
  const lead =
    s.warmup.leadMinutes !== null ? `${s.warmup.leadMinutes} min before each fire` : "observed p90 provisioning + 2 min before each fire";
  const lines = [
    s.warmup.enabled
      ? `warm-up: on, ${lead}${s.warmup.nextWarmupAt ? `; next at ${shortTime(s.warmup.nextWarmupAt)}` : ""}`
      : `warm-up: off (${s.warmup.why})`,
  ];
  for (const w of s.warmups ?? []) {
    const cost = w.cost
      ? `  ${w.cost.amount.toFixed(2)} ${w.cost.currency} (${w.cost.nodeMinutes} node-min${w.cost.final ? "" : " so far"})`
      : "";
    lines.push(
      `  warm-up for ${shortTime(w.fireAt)}  ${w.state}  ${w.clusterName} ${w.created ? "created" : "joined"} ${shortTime(w.startedAt)}` +
        `${w.readyAt ? `, ready ${shortTime(w.readyAt)}` : ""}${w.jobId ? `  job ${w.jobId}` : ""}${cost}${w.reason ? `  ${w.reason}` : ""}`,
    );
  }
  return lines;
}

const ENDED = ["succeeded", "failed", "cancelled", "completedWithFailures"];

/** One progress line of `backfill --wait`: how many runs ended (and how), run, and wait for their turn. */
export function backfillProgress(view: BackfillView): string {
  const count = (f: (state: string) => boolean): number => view.runs.filter((r) => f(r.state)).length;
  const ended = count((st) => ENDED.includes(st));
  const failed = count((st) => st !== "succeeded" && ENDED.includes(st));
  const waiting = count((st) => st === "waiting");
  return (
    `backfill ${view.backfillId}: ${ended}/${view.runs.length} ended (${ended - failed} succeeded, ${failed} not), ` +
    `${view.runs.length - ended - waiting} running, ${waiting} waiting`
  );
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
    param: PARAM_OPTION,
    from: { type: "string", value: "T", description: "backfill: first logical date (ISO 8601)" },
    to: { type: "string", value: "T", description: "backfill: last logical date (ISO 8601)" },
    "max-concurrent": { type: "string", value: "N", description: "backfill: most runs at once (1-16, default 1)" },
    wait: { type: "boolean", description: "backfill: wait until every run has ended; exit 0 when all succeeded" },
    "interval-ms": { type: "string", value: "N", description: "backfill --wait: poll every N milliseconds (default 2000)" },
  },
  examples: [
    "jobflow schedules",
    'jobflow schedules create examples/pyspark-single-step.json --cron "0 0 9 * * *" --timezone Europe/Paris',
  ],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const params = parseParams(args);
    if (!params.ok) {
      for (const e of params.errors) out.error(`jobflow schedules: ${e}`);
      return EXIT.usage;
    }
    const values = Object.keys(params.values).length ? params.values : undefined;
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
      if (values) body.parameters = { ...(body.parameters as Record<string, unknown> | undefined), ...values };
      const created = await apiRequest<{ id: string }>(api, "POST", "/schedules", body);
      if (args.json) out.json(created);
      else out.line(`schedule ${created.id} created`);
      return 0;
    }
    const id = encodeURIComponent(arg);
    if (sub === "run") {
      const r = await apiRequest<{ jobId: string }>(api, "POST", `/schedules/${id}/run`, values ? { parameters: values } : {});
      if (args.json) out.json(r);
      else out.line(`schedule ${arg} fired now: job ${r.jobId} (follow it with: jobflow status ${r.jobId})`);
      return 0;
    }
    if (sub === "backfill") {
      const from = stringOption(args, "from");
      const to = stringOption(args, "to");
      const max = stringOption(args, "max-concurrent");
      if (!from || !to || (max !== undefined && !/^[1-9][0-9]*$/.test(max))) return usage();
      const body: Record<string, unknown> = { from, to };
      if (max !== undefined) body.maxConcurrent = Number(max);
      if (values) body.parameters = values;
      const started = await apiRequest<{ backfillId: string; duplicate: boolean; runs: number }>(
        api,
        "POST",
        `/schedules/${id}/backfill`,
        body,
      );
      if (!args.json)
        out.line(
          `${started.duplicate ? "backfill exists already (nothing submitted again)" : "backfill started"}: ${started.backfillId}, ${started.runs} run(s)`,
        );
      if (args.options.wait !== true) {
        if (args.json) out.json(started);
        return 0;
      }
      let view: BackfillView;
      let shown = "";
      for (;;) {
        view = await apiRequest<BackfillView>(api, "GET", `/schedules/${id}/backfills/${started.backfillId}`);
        const progress = backfillProgress(view);
        if (!args.json && progress !== shown) out.line(progress); // a line each time something moved
        shown = progress;
        if (view.state === "completed") break;
        await ctx.clock.sleep(Number(stringOption(args, "interval-ms") ?? 2000));
      }
      if (args.json) out.json({ ...started, ...view });
      else
        for (const r of view.runs)
          out.line(
            `  ${shortTime(r.logicalDate)}  ${r.state}${r.jobId ? `  ${r.jobId}` : ""}${r.duplicate ? "  (existed already)" : ""}${r.reason ? `  ${r.reason}` : ""}`,
          );
      return view.runs.every((r) => r.state === "succeeded") ? 0 : EXIT.failed;
    }
    if (sub === "show") {
      const s = await apiRequest<ScheduleRow>(api, "GET", `/schedules/${id}`);
      if (args.json) out.json(s);
      else {
        for (const line of scheduleTable([s])) out.line(line);
        for (const r of s.runs)
          out.line(`  ${shortTime(r.occurrence)}  ${r.outcome}${r.jobId ? `  ${r.jobId}` : ""}${r.reason ? `  ${r.reason}` : ""}`);
        for (const line of warmupLines(s)) out.line(line);
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
