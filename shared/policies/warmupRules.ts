// Warm-up rules for schedules (issue 13, "Pre-provisioning for schedules"): pure decisions the schedule
// orchestration turns into activities and timers — whether a schedule warms up at all, how long before its fire time
// (the profile's observed p90 provisioning time + a margin, or the schedule's override), the warm-up's cluster name
// (deterministic, so a replay or a host restart names the same one), whether a held warm-up still matches the
// schedule, and the schedule body's JSON Schema for the warm-up fields. Deterministic: orchestrations import it.
import { clusterNameForJob } from "../builders/clusterName";
import type { Problem } from "../errors";
import { DEFAULT_PROVISIONING_MS, type TimingEstimate } from "../cost/clusterTimings";

/** Added to the observed provisioning p90: the create poll, the job's acquire and a little luck. */
export const DEFAULT_WARMUP_MARGIN_MS = 2 * 60_000;
/** A warm-up nobody claimed this long after its fire time is released, deleted and counted as waste. */
export const DEFAULT_WARMUP_GRACE_MS = 15 * 60_000;
/** Bounds of the per-schedule override `warmupLeadMinutes`. */
export const WARMUP_LEAD_MINUTES = { min: 1, max: 240 } as const;

/** The warm-up fields of a schedule body (POST /api/schedules), merged into the schedule body's schema. */
export const warmupFieldsSchema = {
  warmup: {
    type: "boolean",
    description:
      "Pre-provision the job's cluster so it is ready at each fire time. Default true for jobs with cluster.reuse 'warm'; a 'never' job cannot join a pre-provisioned cluster, so it never warms up.",
  },
  warmupLeadMinutes: {
    type: "integer",
    minimum: WARMUP_LEAD_MINUTES.min,
    maximum: WARMUP_LEAD_MINUTES.max,
    description:
      "Start the warm-up this many minutes before each fire time. Default: the profile's observed p90 provisioning time (20 minutes before any is observed) + 2 minutes.",
  },
} as const;

export interface WarmupSettings {
  /** The schedule's `warmup` field (undefined = default). */
  warmup?: boolean;
  warmupLeadMinutes?: number;
}

/** Whether a schedule warms up, and why not when it does not. */
export function warmupEnabled(settings: WarmupSettings, reuse: "warm" | "never" | undefined): { enabled: boolean; why: string } {
  if (settings.warmup === false) return { enabled: false, why: "warmup: false" };
  if (reuse === "never")
    return { enabled: false, why: "the job's cluster.reuse is 'never': it creates its own cluster and cannot join a pre-provisioned one" };
  return { enabled: true, why: "cluster.reuse 'warm'" };
}

/** Problems of the warm-up fields beyond the schema: asking for a warm-up a `reuse: never` job cannot use. */
export function warmupProblems(settings: WarmupSettings, reuse: "warm" | "never" | undefined): Problem[] {
  if (settings.warmup === true && reuse === "never") {
    return [
      {
        pointer: "/warmup",
        message: "a job with cluster.reuse 'never' cannot join a pre-provisioned cluster: set cluster.reuse to 'warm' or leave warmup out",
      },
    ];
  }
  if (settings.warmupLeadMinutes !== undefined && settings.warmup === false) {
    return [{ pointer: "/warmupLeadMinutes", message: "has no effect with warmup: false" }];
  }
  return [];
}

/** How long before the fire time the warm-up starts: the override, else observed p90 provisioning + margin. */
export function warmupLead(
  settings: WarmupSettings,
  provisioning: TimingEstimate | undefined,
  marginMs = DEFAULT_WARMUP_MARGIN_MS,
): { ms: number; basis: string } {
  if (settings.warmupLeadMinutes !== undefined)
    return { ms: settings.warmupLeadMinutes * 60_000, basis: `warmupLeadMinutes ${settings.warmupLeadMinutes}` };
  const observed = provisioning !== undefined && provisioning.p90Ms > 0 && provisioning.source === "observed";
  const p90 = observed ? provisioning.p90Ms : DEFAULT_PROVISIONING_MS;
  const what = observed
    ? `observed provisioning p90 ${minutes(p90)} min (${provisioning.samples} creates)`
    : `default provisioning ${minutes(p90)} min (none observed yet)`;
  return { ms: p90 + marginMs, basis: `${what} + ${minutes(marginMs)} min margin` };
}

const minutes = (ms: number): string => (Math.round(ms / 6_000) / 10).toString();

/** The cluster a warm-up creates when it finds nothing warm to join (one name per schedule and fire time). */
export function warmupClusterName(scheduleId: string, fireAt: string): string {
  return clusterNameForJob(`${scheduleId}@warmup@${fireAt}`);
}

/** A warm-up held by the schedule orchestration (carried across continueAsNew). */
export interface HeldWarmup {
  clusterName: string;
  fireAt: string;
  startedAt: string;
  /** True when this warm-up created the cluster (false: it joined a warm one); only a created one is deleted. */
  created: boolean;
  profileHash: string;
  readyAt?: string;
}

/**
 * What to do with a held warm-up when the schedule orchestration (re)starts an iteration: keep it when it is for
 * the schedule's next fire and still wanted; otherwise cancel it, saying why (paused, deleted, edited).
 */
export function heldWarmupDecision(
  held: HeldWarmup,
  schedule: { exists: boolean; paused: boolean; enabled: boolean; nextFireAt?: string; profileHash?: string },
): { keep: true } | { keep: false; reason: string } {
  if (!schedule.exists) return { keep: false, reason: "schedule deleted" };
  if (schedule.paused) return { keep: false, reason: "schedule paused" };
  if (!schedule.enabled) return { keep: false, reason: "warm-up turned off" };
  if (schedule.nextFireAt !== held.fireAt)
    return { keep: false, reason: `schedule changed: next fire ${schedule.nextFireAt ?? "none"}, not ${held.fireAt}` };
  if (schedule.profileHash !== undefined && schedule.profileHash !== held.profileHash)
    return { keep: false, reason: "schedule changed: its job now needs another cluster profile" };
  return { keep: true };
}

/** After the fire: has the warm-up been handed over, is it wasted, or is it still waiting for its job? */
export function handOverDecision(
  claim: { joined: boolean; jobEnded: boolean },
  nowMs: number,
  fireMs: number,
  graceMs = DEFAULT_WARMUP_GRACE_MS,
): "used" | "wait" | { wasted: string } {
  if (claim.joined) return "used";
  if (claim.jobEnded) return { wasted: "the occurrence's job ended without joining the warm-up's cluster" };
  if (nowMs >= fireMs + graceMs) return { wasted: `unclaimed ${Math.round(graceMs / 60_000)} minutes after the fire time` };
  return "wait";
}
