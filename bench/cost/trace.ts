// Workload traces for `npm run bench:cost` (docs/costs.md, "Trace format"): loading and checking a trace, the
// policies (how each rewrites the job documents), and the trace's arrivals (schedule occurrences + submissions).
import { readFileSync } from "node:fs";
import { Cron } from "croner";

export interface Trace {
  name: string;
  /** ISO time the trace starts (virtual). */
  start: string;
  durationHours: number;
  schedules: { id: string; cron: string; timeZone: string; job: JobDoc }[];
  submissions: { atMinute: number; job: JobDoc }[];
  /** Sandbox scenario settings (e.g. provisioningDurationMs, deleteDurationMs); defaults: realistic HDInsight. */
  sandbox?: Record<string, number>;
}

export type JobDoc = Record<string, unknown> & { name: string; cluster?: Record<string, unknown>; steps: Record<string, unknown>[] };

export const POLICIES = ["jobflow", "emr", "adf-ttl-30", "oracle"] as const;
export type PolicyName = (typeof POLICIES)[number];

export const DEFAULT_PROVISIONING_MS = 20 * 60_000;
export const DEFAULT_DELETE_MS = 5 * 60_000;

/** Reads and checks a trace; throws one error naming every problem (JSON pointers). */
export function loadTrace(file: string): Trace {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`trace ${file}: ${(e as Error).message}`);
  }
  const problems: string[] = [];
  const t = raw as Partial<Trace>;
  if (typeof raw !== "object" || raw === null) throw new Error(`trace ${file}: must be a JSON object`);
  if (typeof t.name !== "string" || !t.name) problems.push("/name: required string");
  if (typeof t.start !== "string" || Number.isNaN(Date.parse(t.start))) problems.push("/start: required ISO 8601 time");
  if (typeof t.durationHours !== "number" || !(t.durationHours > 0) || t.durationHours > 24 * 7)
    problems.push("/durationHours: a number of hours in (0, 168]");
  if (!Array.isArray(t.schedules)) problems.push("/schedules: required array (may be empty)");
  if (!Array.isArray(t.submissions)) problems.push("/submissions: required array (may be empty)");
  (Array.isArray(t.schedules) ? t.schedules : []).forEach((s, i) => {
    if (typeof s?.id !== "string" || !s.id) problems.push(`/schedules/${i}/id: required string`);
    if (typeof s?.cron !== "string" || s.cron.trim().split(/\s+/).length !== 6)
      problems.push(`/schedules/${i}/cron: a 6-field NCRONTAB expression`);
    else {
      try {
        new Cron(s.cron, { timezone: s.timeZone, paused: true });
      } catch (e) {
        problems.push(`/schedules/${i}/cron: ${(e as Error).message}`);
      }
    }
    if (typeof s?.timeZone !== "string") problems.push(`/schedules/${i}/timeZone: required IANA time zone`);
    checkJob(s?.job, `/schedules/${i}/job`, problems);
  });
  (Array.isArray(t.submissions) ? t.submissions : []).forEach((s, i) => {
    if (typeof s?.atMinute !== "number" || s.atMinute < 0 || (typeof t.durationHours === "number" && s.atMinute >= t.durationHours * 60))
      problems.push(`/submissions/${i}/atMinute: a minute within the trace`);
    checkJob(s?.job, `/submissions/${i}/job`, problems);
  });
  if (t.sandbox !== undefined && (typeof t.sandbox !== "object" || Object.values(t.sandbox).some((v) => typeof v !== "number")))
    problems.push("/sandbox: an object of numeric scenario settings");
  if (problems.length) throw new Error(`trace ${file}: ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  return t as Trace;
}

function checkJob(job: unknown, pointer: string, problems: string[]): void {
  const j = job as Partial<JobDoc> | undefined;
  if (typeof j !== "object" || j === null) return void problems.push(`${pointer}: required job document`);
  if (!Array.isArray(j.steps) || j.steps.length === 0) return void problems.push(`${pointer}/steps: at least one step`);
  j.steps.forEach((s, k) => {
    const conf = (s as { conf?: Record<string, string> }).conf ?? {};
    if (!(Number(conf["spark.jobflow.sandbox.durationSeconds"]) > 0))
      problems.push(`${pointer}/steps/${k}/conf: spark.jobflow.sandbox.durationSeconds must set the step's run time`);
  });
}

/** The job document a policy submits: jobflow = as written; emr = its own cluster, deleted at once; adf = a fixed TTL of 30. */
export function applyPolicy(policy: PolicyName, job: JobDoc): JobDoc {
  const cluster = { profile: "default", ...(job.cluster ?? {}) };
  if (policy === "emr") return { ...job, cluster: { ...cluster, reuse: "never", keepWarmMinutes: 0 } };
  if (policy === "adf-ttl-30") return { ...job, cluster: { ...cluster, reuse: "warm", keepWarmMinutes: 30, keepWarmPolicy: "fixed" } };
  return job;
}

export interface Arrival {
  atMs: number;
  kind: "scheduled" | "adhoc";
  job: JobDoc;
  /** Schedule id for scheduled arrivals. */
  schedule?: string;
}

/** Every job the trace starts: schedule occurrences in [start, end) and submissions, in time order. */
export function arrivals(trace: Trace): Arrival[] {
  const start = Date.parse(trace.start);
  const end = start + trace.durationHours * 3_600_000;
  const out: Arrival[] = trace.submissions.map((s) => ({ atMs: start + s.atMinute * 60_000, kind: "adhoc" as const, job: s.job }));
  for (const s of trace.schedules) {
    const cron = new Cron(s.cron, { timezone: s.timeZone, paused: true });
    for (let next = cron.nextRun(new Date(start - 1)); next && next.getTime() < end; next = cron.nextRun(next)) {
      out.push({ atMs: next.getTime(), kind: "scheduled", job: s.job, schedule: s.id });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** A job's run time on a ready cluster: its steps' sandbox durations, one at a time unless maxConcurrentSteps > 1. */
export function runTimeMs(job: JobDoc): number {
  const secs = job.steps.map((s) => Number(((s as { conf?: Record<string, string> }).conf ?? {})["spark.jobflow.sandbox.durationSeconds"]));
  const concurrent = Number(job.maxConcurrentSteps ?? 1) > 1;
  return (concurrent ? Math.max(...secs) : secs.reduce((a, b) => a + b, 0)) * 1000;
}

/** How long before the trace its schedules are created (room for a warm-up of an occurrence at `start`). */
export const SCHEDULES_LEAD_MS = 40 * 60_000;

/**
 * When runPolicy creates the trace's schedules: SCHEDULES_LEAD_MS before the start, but after every schedule's last
 * occurrence before the start (that one would fire as an extra job); at least one minute before the start.
 */
export function schedulesCreatedAtMs(trace: Trace): number {
  const start = Date.parse(trace.start);
  let at = start - SCHEDULES_LEAD_MS;
  for (const s of trace.schedules) {
    const cron = new Cron(s.cron, { timezone: s.timeZone, paused: true });
    for (let next = cron.nextRun(new Date(at)); next && next.getTime() < start; next = cron.nextRun(next)) at = next.getTime() + 1000;
  }
  return Math.min(at, start - 60_000);
}

/** A schedule's last occurrence in [startMs, endMs), or startMs when it has none there. */
export function lastOccurrenceBeforeMs(s: Trace["schedules"][number], startMs: number, endMs: number): number {
  const cron = new Cron(s.cron, { timezone: s.timeZone, paused: true });
  let last = startMs;
  for (let next = cron.nextRun(new Date(startMs - 1)); next && next.getTime() < endMs; next = cron.nextRun(next)) last = next.getTime();
  return last;
}
