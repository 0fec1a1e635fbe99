// The issue-13 targets, checked on one trace's figures (bench:cost prints them under the table and puts them in
// --json): jobflow's billed node-minutes ≤ 1.25 × the oracle's and below emr's and adf-ttl-30's; scheduled jobs'
// p95 start delay ≤ 1 minute; ad-hoc jobs' p95 start delay no worse than adf-ttl-30's. A target whose figures were
// not measured (a policy left out with --policy, or no job of that kind in the trace) says so instead of passing.
import type { PolicyFigures } from "./summary";

export interface TargetCheck {
  target: string;
  /** null: not measurable on this run (the figures it compares were not produced). */
  holds: boolean | null;
  jobflow: number | null;
  reference: number | null;
}

export const MAX_RATIO_TO_ORACLE = 1.25;
export const MAX_SCHEDULED_P95_MINUTES = 1;

export function checkTargets(figures: readonly PolicyFigures[]): TargetCheck[] {
  const of = (p: string): PolicyFigures | undefined => figures.find((f) => f.policy === p);
  const jf = of("jobflow");
  const check = (
    target: string,
    value: number | null | undefined,
    reference: number | null | undefined,
    ok: (v: number, r: number) => boolean,
  ): TargetCheck => {
    const v = value ?? null;
    const r = reference ?? null;
    return { target, holds: v === null || r === null ? null : ok(v, r), jobflow: v, reference: r };
  };
  const oracle = of("oracle");
  return [
    check(
      `billed node-minutes ≤ ${MAX_RATIO_TO_ORACLE} × oracle`,
      jf?.billedNodeMinutes,
      oracle ? oracle.billedNodeMinutes * MAX_RATIO_TO_ORACLE : undefined,
      (v, r) => v <= r,
    ),
    check("billed node-minutes below emr", jf?.billedNodeMinutes, of("emr")?.billedNodeMinutes, (v, r) => v < r),
    check("billed node-minutes below adf-ttl-30", jf?.billedNodeMinutes, of("adf-ttl-30")?.billedNodeMinutes, (v, r) => v < r),
    check(
      `scheduled p95 start delay ≤ ${MAX_SCHEDULED_P95_MINUTES} min`,
      jf?.scheduledStartDelayMinutes.p95,
      jf ? MAX_SCHEDULED_P95_MINUTES : undefined,
      (v, r) => v <= r,
    ),
    check(
      "ad-hoc p95 start delay ≤ adf-ttl-30's",
      jf?.adhocStartDelayMinutes.p95,
      of("adf-ttl-30")?.adhocStartDelayMinutes.p95,
      (v, r) => v <= r,
    ),
  ];
}

export function targetLines(checks: readonly TargetCheck[]): string[] {
  const n = (x: number | null): string => (x === null ? "-" : String(Math.round(x * 100) / 100));
  return [
    "targets (issue 13):",
    ...checks.map(
      (c) => `  ${c.holds === null ? "n/a " : c.holds ? "MET " : "MISS"}  ${c.target}: jobflow ${n(c.jobflow)} vs ${n(c.reference)}`,
    ),
  ];
}
