// Schedule rules: cron (5 fields "min hour dom month dow", or 6 with seconds first) in an IANA time zone, next
// occurrence computed by croner in that zone — so "09:00 Europe/Paris" stays 09:00 local across daylight-saving
// changes; a time inside the spring-forward gap runs an hour later (02:30 → 03:30) and a time in the repeated
// fall-back hour runs once.
import { Cron } from "croner";
import type { Problem } from "../errors";

export interface ScheduleDefinition {
  cron: string;
  timezone: string;
}

export function isValidTimeZone(timezone: string): boolean {
  if (!timezone || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(def: ScheduleDefinition): Cron {
  return new Cron(def.cron.trim(), { paused: true, timezone: def.timezone });
}

/** Every problem with the cron expression and time zone (pointers /cron and /timezone). */
export function scheduleProblems(def: { cron?: unknown; timezone?: unknown }): Problem[] {
  const problems: Problem[] = [];
  const tzOk = typeof def.timezone === "string" && isValidTimeZone(def.timezone);
  if (!tzOk) problems.push({ pointer: "/timezone", message: "must be an IANA time zone name, e.g. Europe/Paris or UTC" });
  if (typeof def.cron !== "string") {
    problems.push({
      pointer: "/cron",
      message: "required: a 5-field (min hour day month weekday) or 6-field (with seconds first) cron expression",
    });
    return problems;
  }
  const fields = def.cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    problems.push({ pointer: "/cron", message: `must have 5 or 6 fields (has ${fields.length})` });
    return problems;
  }
  try {
    const c = cronOf({ cron: def.cron, timezone: tzOk ? (def.timezone as string) : "UTC" });
    if (!c.nextRun(new Date(0))) problems.push({ pointer: "/cron", message: "never fires" });
  } catch (err) {
    problems.push({ pointer: "/cron", message: (err as Error).message });
  }
  return problems;
}

/** The first occurrence strictly after `afterIso`, as ISO 8601 UTC, or undefined when the schedule never fires again. */
export function nextOccurrence(def: ScheduleDefinition, afterIso: string): string | undefined {
  const next = cronOf(def).nextRun(new Date(afterIso));
  return next ? next.toISOString() : undefined;
}

/** The idempotency key of one occurrence: the same occurrence never submits a second job. */
export function occurrenceKey(scheduleId: string, occurrenceIso: string): string {
  return `${scheduleId}@${occurrenceIso}`;
}

/**
 * The last occurrence strictly before `beforeIso` (the start of the data interval that ends there), searching back
 * up to about 4 years; undefined when there is none. croner only computes forward, so this widens a look-back
 * window until it holds an occurrence, then walks forward to the last one before the bound.
 */
export function previousOccurrence(def: ScheduleDefinition, beforeIso: string): string | undefined {
  const cron = cronOf(def);
  const before = Date.parse(beforeIso);
  for (const windowMs of [3_600_000, 86_400_000, 8 * 86_400_000, 32 * 86_400_000, 367 * 86_400_000, 1462 * 86_400_000]) {
    let candidate = cron.nextRun(new Date(before - windowMs));
    if (!candidate || candidate.getTime() >= before) continue;
    for (let i = 0; i < 100_000; i++) {
      const next = cron.nextRun(candidate);
      if (!next || next.getTime() >= before) return candidate.toISOString();
      candidate = next;
    }
    return undefined;
  }
  return undefined;
}

/**
 * Airflow's data interval of the run that fires at `occurrenceIso`: it ends at the occurrence and starts at the
 * previous one (= the run's logical date, so a daily 00:00 run processes yesterday as `ds`). When the cron has no
 * earlier occurrence the interval is empty (starts at the occurrence).
 */
export function dataIntervalOf(def: ScheduleDefinition, occurrenceIso: string): { start: string; end: string } {
  const end = new Date(occurrenceIso).toISOString();
  return { start: previousOccurrence(def, end) ?? end, end };
}

/** Most runs one backfill may submit. */
export const MAX_BACKFILL_RUNS = 500;

export interface BackfillRun {
  /** The run's logical date (= data interval start, an occurrence of the cron). */
  logicalDate: string;
  /** The data interval's end: the next occurrence, when the scheduled run for this interval fires. */
  dataIntervalEnd: string;
}

/**
 * One run per logical date L of the schedule with from ≤ L ≤ to (ISO times), oldest first: the intervals a
 * schedule would have run (Airflow's backfill). Its idempotency key is the scheduled run's (`<id>@<interval end>`),
 * so a backfill never repeats a scheduled run nor itself. At most MAX_BACKFILL_RUNS (`truncated` says so).
 */
export function backfillRuns(def: ScheduleDefinition, fromIso: string, toIso: string): { runs: BackfillRun[]; truncated: boolean } {
  const cron = cronOf(def);
  const to = Date.parse(toIso);
  const runs: BackfillRun[] = [];
  let logical = cron.nextRun(new Date(Date.parse(fromIso) - 1));
  while (logical && logical.getTime() <= to) {
    const end = cron.nextRun(logical);
    if (!end) break;
    if (runs.length === MAX_BACKFILL_RUNS) return { runs, truncated: true };
    runs.push({ logicalDate: logical.toISOString(), dataIntervalEnd: end.toISOString() });
    logical = end;
  }
  return { runs, truncated: false };
}

/** Problems of a backfill request {from, to, maxConcurrent?} (pointers /from, /to, /maxConcurrent). */
export function backfillProblems(body: { from?: unknown; to?: unknown; maxConcurrent?: unknown }): Problem[] {
  const problems: Problem[] = [];
  const time = (v: unknown): boolean => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
  if (!time(body.from)) problems.push({ pointer: "/from", message: "required: an ISO 8601 date or time, e.g. 2026-12-01" });
  if (!time(body.to)) problems.push({ pointer: "/to", message: "required: an ISO 8601 date or time, e.g. 2026-12-05" });
  if (!problems.length && Date.parse(body.to as string) < Date.parse(body.from as string))
    problems.push({ pointer: "/to", message: "must not be before from" });
  const m = body.maxConcurrent;
  if (m !== undefined && (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > 16))
    problems.push({ pointer: "/maxConcurrent", message: "must be a whole number 1-16" });
  return problems;
}
