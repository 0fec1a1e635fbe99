// `jobflow costs [--by profile|team|day|job|tag:NAME] [--from ISO] [--to ISO] [--json]`: what was spent, where, and
// how much of it was idle keep-warm time (GET /api/costs; docs/costs.md). `team` is short for tag:team.
import type { Command } from "../main";
import { stringOption } from "../args";
import { table } from "../format";
import { remoteCommand } from "../remote";
import { EXIT } from "../exitCodes";
import type { CostReport } from "../../shared/cost/report";

const USAGE = "jobflow costs [--by profile|team|day|job|tag:NAME] [--from ISO] [--to ISO]";

export function costLines(report: CostReport): string[] {
  const money = (x: number): string => x.toFixed(2);
  const pct = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : "-");
  const lines = [`costs ${report.from} → ${report.to}, by ${report.groupBy} (${report.currency})`];
  const rows = [...report.groups, { key: "TOTAL", ...report.totals }];
  lines.push(
    ...table(rows, [
      { header: report.groupBy.toUpperCase(), value: (r) => r.key },
      { header: "AMOUNT", value: (r) => money(r.amount), right: true },
      { header: "NODE-MIN", value: (r) => r.nodeMinutes.toFixed(0), right: true },
      { header: "IDLE", value: (r) => money(r.idleAmount), right: true },
      { header: "IDLE%", value: (r) => pct(r.idleAmount, r.amount), right: true },
      { header: "JOBS", value: (r) => String(r.jobs), right: true },
      { header: "CLUSTERS", value: (r) => String(r.clusters), right: true },
    ]),
  );
  for (const p of report.prices) {
    lines.push(
      p.source === "builtin-fallback"
        ? `prices (${p.region}): built-in fallback table — ${p.note ?? "the Retail Prices API was not available"}`
        : `prices (${p.region}): Azure Retail Prices API, fetched ${p.fetchedAt ?? "?"}`,
    );
  }
  return lines;
}

export const command: Command = {
  summary: "what clusters cost, by profile, team, day or job, and how much was idle",
  usage: USAGE,
  options: {
    by: { type: "string", value: "profile|team|day|job|tag:NAME", description: "how to group (default profile; team = tag:team)" },
    from: { type: "string", value: "ISO", description: "start of the period (default 30 days before --to)" },
    to: { type: "string", value: "ISO", description: "end of the period (default now)" },
  },
  examples: ["jobflow costs --by team", "jobflow costs --by day --from 2026-11-01 --json"],
  run: remoteCommand(async ({ args, out, api }) => {
    if (args.positional.length) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    const by = stringOption(args, "by") ?? "profile";
    const groupBy = by === "team" ? "tag:team" : by;
    const query: { from?: string; to?: string; groupBy: string } = { groupBy };
    const from = stringOption(args, "from");
    const to = stringOption(args, "to");
    if (from) query.from = from;
    if (to) query.to = to;
    const report = await api.costs(query);
    if (args.json) out.json(report);
    else for (const line of costLines(report)) out.line(line);
    return EXIT.ok;
  }),
};
