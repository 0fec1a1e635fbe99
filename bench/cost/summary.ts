// Turning policy runs and the oracle into the bench:cost figures: percentiles, the --json document of the issue,
// and the side-by-side table.
import type { OracleResult } from "./oracle";
import type { PolicyName } from "./trace";
import type { PolicyRun } from "./runPolicy";
import { nearestRankSorted } from "../../shared/percentile";

export interface Delays {
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface PolicyFigures {
  policy: PolicyName;
  billedNodeMinutes: number;
  amount: number;
  ratioToOracle: number | null;
  startDelayMinutes: Delays;
  scheduledStartDelayMinutes: Delays;
  adhocStartDelayMinutes: Delays;
  clustersCreated: number;
  armWrites: number | null;
  jobsTotal: number;
  jobsEnded: number | null;
  clustersLeft: number | null;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Nearest-rank percentile (p in 0–100) of minutes, 2 decimals; nulls for no sample. */
export function delays(values: number[]): Delays {
  if (values.length === 0) return { p50: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: r2(nearestRankSorted(sorted, 50)), p95: r2(nearestRankSorted(sorted, 95)), max: r2(sorted[sorted.length - 1]) };
}

export function runFigures(run: PolicyRun, oracle: OracleResult | undefined): PolicyFigures {
  return {
    policy: run.policy,
    billedNodeMinutes: run.billedNodeMinutes,
    amount: r2(run.amount),
    ratioToOracle: oracle && oracle.billedNodeMinutes > 0 ? r2(run.billedNodeMinutes / oracle.billedNodeMinutes) : null,
    startDelayMinutes: delays([...run.delays.scheduled, ...run.delays.adhoc]),
    scheduledStartDelayMinutes: delays(run.delays.scheduled),
    adhocStartDelayMinutes: delays(run.delays.adhoc),
    clustersCreated: run.clustersCreated,
    armWrites: run.armWrites,
    jobsTotal: run.jobsTotal,
    jobsEnded: run.jobsEnded,
    clustersLeft: run.clustersLeft,
  };
}

export function oracleFigures(o: OracleResult, jobs: { scheduled: number; adhoc: number }): PolicyFigures {
  const zero = (n: number): Delays => (n > 0 ? { p50: 0, p95: 0, max: 0 } : { p50: null, p95: null, max: null });
  return {
    policy: "oracle",
    billedNodeMinutes: o.billedNodeMinutes,
    amount: r2(o.amount),
    ratioToOracle: 1,
    startDelayMinutes: zero(jobs.scheduled + jobs.adhoc),
    scheduledStartDelayMinutes: zero(jobs.scheduled),
    adhocStartDelayMinutes: zero(jobs.adhoc),
    clustersCreated: o.clustersCreated,
    armWrites: null,
    jobsTotal: jobs.scheduled + jobs.adhoc,
    jobsEnded: null,
    clustersLeft: null,
  };
}

/** The side-by-side table: one column per policy. */
export function table(trace: string, figures: PolicyFigures[], wallSeconds: Map<PolicyName, number>, currency: string): string[] {
  const d = (x: Delays): string => (x.p50 === null ? "-" : `${x.p50} / ${x.p95} / ${x.max}`);
  const n = (x: number | null): string => (x === null ? "-" : String(x));
  const rows: [string, (f: PolicyFigures) => string][] = [
    ["billed node-minutes", (f) => String(f.billedNodeMinutes)],
    [`amount (${currency})`, (f) => f.amount.toFixed(2)],
    ["ratio to oracle", (f) => (f.ratioToOracle === null ? "-" : f.ratioToOracle.toFixed(2))],
    ["start delay p50/p95/max (min)", (f) => d(f.startDelayMinutes)],
    ["  scheduled", (f) => d(f.scheduledStartDelayMinutes)],
    ["  ad hoc", (f) => d(f.adhocStartDelayMinutes)],
    ["clusters created", (f) => String(f.clustersCreated)],
    ["ARM writes", (f) => n(f.armWrites)],
    ["jobs ended / total", (f) => (f.jobsEnded === null ? `- / ${f.jobsTotal}` : `${f.jobsEnded} / ${f.jobsTotal}`)],
    ["clusters left", (f) => n(f.clustersLeft)],
    ["wall time (s)", (f) => (wallSeconds.has(f.policy) ? (wallSeconds.get(f.policy) as number).toFixed(1) : "-")],
  ];
  const header = ["trace " + trace, ...figures.map((f) => f.policy)];
  const cells = rows.map(([label, value]) => [label, ...figures.map(value)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]): string => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  return [line(header), ...cells.map(line)];
}
