// The break-even keep-warm rule (the ski-rental rule made explicit; docs/costs.md "Keep-warm: the break-even rule").
// Pure; table-tested in test/unit/workflow/keepWarmRule.test.ts.
//
// When a cluster becomes idle, deleting it and re-creating it for the next job costs its nodes for the provisioning
// time (p90) plus the deletion time (p50) at the same node rate, so "break-even" is that many minutes of idle nodes:
// keeping the cluster longer than that for one job is worse than re-creating. With a known next demand (a
// schedule's next fire for this profile) within break-even and the job's cap, keep it until then. A known demand
// farther away means delete now (the schedule's warm-up pre-provisions for it) — unless the profile's history says
// ad-hoc jobs usually arrive soon after it goes idle, when it is kept for min(break-even, keepWarmMinutes) as for
// ad-hoc demand. Without a known demand: keep for min(break-even, keepWarmMinutes), unless every recent idle gap
// (idle → next arrival) was far longer than break-even: then keeping it is pure waste, delete now.
// `keepWarmMinutes` is always the upper bound; policy "fixed" keeps exactly keepWarmMinutes (the old behaviour).
import type { JobSpec } from "../model/job";
import type { ClusterTimings } from "./clusterPolling";
import type { KeepWarmAuditRecord } from "./clusterDeciderTypes";

export type KeepWarmPolicy = NonNullable<JobSpec["cluster"]["keepWarmPolicy"]>;

export interface KnownDemand {
  /** When the demand is expected (ISO 8601). */
  at: string;
  kind: "schedule";
  /** e.g. the schedule id. */
  source: string;
}

export interface KeepWarmInputs {
  policy: KeepWarmPolicy;
  keepWarmMinutes: number;
  timings: ClusterTimings;
  /** The earliest known future demand for the profile, if any. */
  nextDemand?: KnownDemand;
  /** Recent gaps between the profile going idle and its next arrival, in ms (oldest first). */
  idleGapsMs: number[];
}

export interface KeepWarmDecision {
  action: "keep" | "delete";
  /** keep: when to check idleness and delete (absolute ms). delete: now. */
  untilMs: number;
  reason: string;
  breakEvenMs: number;
  capMs: number;
}

export const KEEP_WARM = {
  /** Kept past a known demand by this much (a job submitted by a schedule arrives a little after its fire time). */
  graceMs: 2 * 60_000,
  /** Idle gaps count as "far longer than break-even" above this factor… */
  farFactor: 1.5,
  /** …and the history says anything at all from this many gaps on. */
  minGaps: 3,
} as const;

const minutes = (ms: number): string => `${Math.round(ms / 6_000) / 10} min`;

export function breakEvenMs(timings: ClusterTimings): number {
  return timings.provisioning.p90Ms + timings.deletion.p50Ms;
}

export function decideKeepWarm(inputs: KeepWarmInputs, nowMs: number): KeepWarmDecision {
  const capMs = Math.max(0, inputs.keepWarmMinutes) * 60_000;
  const be = breakEvenMs(inputs.timings);
  const base = { breakEvenMs: be, capMs };
  const keep = (forMs: number, reason: string): KeepWarmDecision => ({ action: "keep", untilMs: nowMs + forMs, reason, ...base });
  const del = (reason: string): KeepWarmDecision => ({ action: "delete", untilMs: nowMs, reason, ...base });
  if (capMs === 0) return del("keepWarmMinutes is 0");
  if (inputs.policy === "fixed") return keep(capMs, `keepWarmPolicy fixed: kept for keepWarmMinutes (${inputs.keepWarmMinutes} min)`);
  const limit = Math.min(be, capMs);
  const gaps = inputs.idleGapsMs;
  const judged = gaps.length >= KEEP_WARM.minGaps;
  const shortest = judged ? Math.min(...gaps) : 0;
  const median = judged ? ([...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number) : 0;
  if (inputs.nextDemand) {
    const inMs = Math.max(0, Date.parse(inputs.nextDemand.at) - nowMs);
    const what = `${inputs.nextDemand.kind} ${inputs.nextDemand.source} at ${inputs.nextDemand.at}`;
    if (inMs <= limit) {
      return keep(
        Math.min(inMs + KEEP_WARM.graceMs, capMs),
        `next known demand (${what}) in ${minutes(inMs)}, within break-even ${minutes(be)} and the cap ${minutes(capMs)}`,
      );
    }
    const beyond = `next known demand (${what}) in ${minutes(inMs)}, beyond ${inMs > capMs && capMs < be ? `the cap ${minutes(capMs)}` : `break-even ${minutes(be)}`}`;
    if (judged && median <= limit) {
      return keep(
        limit,
        `${beyond}, but the next job usually comes sooner (median idle gap ${minutes(median)} of the last ${gaps.length}): ad-hoc keep-warm for min(break-even, cap)`,
      );
    }
    return del(`${beyond}: re-creating costs less`);
  }
  if (judged && shortest > be * KEEP_WARM.farFactor) {
    return del(
      `no known demand, and the last ${gaps.length} idle gaps (shortest ${minutes(shortest)}) are all far longer than break-even ${minutes(be)}`,
    );
  }
  return keep(limit, `no known demand: ad-hoc keep-warm for min(break-even ${minutes(be)}, cap ${minutes(capMs)})`);
}

/** The audit record (and event data) of one decision: its inputs, its outcome and why. */
export function keepWarmAuditRecord(
  cluster: { clusterName: string; profileHash: string; idleSince: string },
  inputs: KeepWarmInputs,
  d: KeepWarmDecision,
  nowMs: number,
): KeepWarmAuditRecord {
  return {
    ...cluster,
    decidedAt: new Date(nowMs).toISOString(),
    policy: inputs.policy,
    action: d.action,
    reason: d.reason,
    ...(d.action === "keep" ? { keepUntil: new Date(d.untilMs).toISOString() } : {}),
    breakEvenMinutes: d.breakEvenMs / 60_000,
    keepWarmMinutes: inputs.keepWarmMinutes,
    ...(inputs.nextDemand ? { expectedNextDemand: inputs.nextDemand } : {}),
    recentIdleGapsMinutes: inputs.idleGapsMs.map((g) => Math.round(g / 6_000) / 10),
    timings: inputs.timings,
  };
}
