// One policy run of a trace on the real embedded stack (Azurite + HTTPS sandbox + local host, manual virtual clock):
// create the trace's schedules, submit its jobs at their minutes, drive virtual time to the end of the trace, stop
// the schedules, run until every job ended, every cluster is gone and its ledger closed; then read the figures
// through the API (GET /api/costs, job records, schedules) and the sandbox's request log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { VirtualClock } from "../../local/clock/virtualClock";
import { startStack, type Stack } from "../../local/stack";
import type { CostReport } from "../../shared/cost/report";
import type { JobRecord } from "../../shared/workflow/jobRecord";
import { applyPolicy, lastOccurrenceBeforeMs, schedulesCreatedAtMs, type PolicyName, type Trace } from "./trace";

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "completedWithFailures"]);
/** After the trace ends, how long (virtual) jobs and clusters may take to finish before the run counts as broken. */
const DRAIN_LIMIT_MS = 12 * 3_600_000;

export interface PolicyRun {
  policy: PolicyName;
  billedNodeMinutes: number;
  amount: number;
  currency: string;
  /** Start delays in minutes: scheduled time or submission → first step running. */
  delays: { scheduled: number[]; adhoc: number[] };
  clustersCreated: number;
  armWrites: number;
  jobsTotal: number;
  jobsEnded: number;
  clustersLeft: number;
  wallMs: number;
  /** Everything that makes the run's figures worthless (a job that did not end or failed, a cluster left…). */
  errors: string[];
}

async function api<T>(stack: Stack, path: string, init?: RequestInit): Promise<T> {
  const res = await stack.api(path, init);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init?.method ?? "GET"} /api${path} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function runPolicy(trace: Trace, policy: Exclude<PolicyName, "oracle">): Promise<PolicyRun> {
  const startMs = Date.parse(trace.start);
  const endMs = startMs + trace.durationHours * 3_600_000;
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-bench-cost-"));
  // The schedules exist before the trace, like schedules that were there all along: early enough for a warm-up
  // of their first occurrence (possibly at `start`), never so early that an occurrence before the trace fires.
  const clock = new VirtualClock({ mode: "manual", startMs: schedulesCreatedAtMs(trace) });
  const stack = await startStack({
    dataDir,
    clock,
    sandbox: { throttling: false, settings: trace.sandbox ?? {} },
    host: { logSink: () => undefined },
  });
  const t0 = performance.now();
  const errors: string[] = [];
  try {
    // Each schedule stops right after its last occurrence in the trace, as a schedule with an end date would: no
    // policy may prepare (warm up) for an occurrence beyond the trace, which the oracle knows does not come.
    const schedules: { id: string; stopAtMs: number; stopped: boolean }[] = [];
    for (const s of trace.schedules) {
      // Only jobflow knows its schedules' fire times: the baselines get no warm-ups.
      const body = {
        cron: s.cron,
        timezone: s.timeZone,
        job: applyPolicy(policy, s.job),
        ...(policy === "jobflow" ? {} : { warmup: false }),
      };
      const created = await api<{ id: string }>(stack, "/schedules", { method: "POST", body: JSON.stringify(body) });
      schedules.push({ id: created.id, stopAtMs: lastOccurrenceBeforeMs(s, startMs, endMs) + 1000, stopped: false });
    }
    const pending = trace.submissions
      .map((s) => ({ atMs: startMs + s.atMinute * 60_000, job: applyPolicy(policy, s.job) }))
      .sort((a, b) => a.atMs - b.atMs);
    const adhoc: { id: string; atMs: number }[] = [];
    const scheduleRuns: { id?: string; occurrence: string; outcome: string; reason?: string }[] = [];
    let lastCheck = -Infinity;
    let idleSpins = 0;
    const scheduledJobs = async (id: string): Promise<{ id?: string; occurrence: string; outcome: string; reason?: string }[]> => {
      const runs = (
        await api<{ runs: { occurrence: string; outcome: string; jobId?: string; reason?: string }[] }>(stack, `/schedules/${id}`)
      ).runs;
      return runs.map((r) => ({ id: r.jobId, occurrence: r.occurrence, outcome: r.outcome, reason: r.reason }));
    };
    const schedulesStopped = (): boolean => schedules.every((s) => s.stopped);
    const finished = async (): Promise<boolean> => {
      const ids = [...adhoc.map((a) => a.id), ...scheduleRuns.flatMap((r) => (r.id ? [r.id] : []))];
      const records = await Promise.all(ids.map((id) => api<JobRecord>(stack, `/jobs/${id}`)));
      if (!records.every((r) => TERMINAL.has(r.state) && (!r.cluster?.name || r.estimatedCost?.final))) return false;
      return (await api<{ clusters: unknown[] }>(stack, "/clusters")).clusters.length === 0;
    };
    for (;;) {
      await stack.host.waitForIdle();
      const now = clock.nowMs();
      if (pending.length && pending[0].atMs <= now) {
        while (pending.length && pending[0].atMs <= now) {
          const p = pending.shift() as (typeof pending)[number];
          const res = await api<{ id: string }>(stack, "/jobs", { method: "POST", body: JSON.stringify(p.job) });
          adhoc.push({ id: res.id, atMs: p.atMs });
        }
        continue; // let the new jobs' work run before time moves on
      }
      const due = schedules.filter((s) => !s.stopped && now >= s.stopAtMs);
      if (due.length) {
        for (const s of due) {
          scheduleRuns.push(...(await scheduledJobs(s.id))); // the record goes with the schedule
          await api(stack, `/schedules/${s.id}`, { method: "DELETE" });
          s.stopped = true;
        }
        continue;
      }
      if (schedulesStopped() && pending.length === 0 && now >= endMs && now - lastCheck >= 5 * 60_000) {
        lastCheck = now;
        if (await finished()) break;
      }
      if (now > endMs + DRAIN_LIMIT_MS)
        throw new Error(`policy ${policy}: jobs or clusters still running ${DRAIN_LIMIT_MS / 3_600_000} h after the trace ended`);
      const candidates = [
        clock.nextTimerAtMs(),
        pending[0]?.atMs,
        ...schedules.filter((s) => !s.stopped).map((s) => s.stopAtMs),
        now >= endMs ? lastCheck + 5 * 60_000 : undefined,
      ].filter((x): x is number => x !== undefined && x > now);
      if ((clock.nextTimerAtMs() ?? Infinity) <= now) {
        await clock.advanceTo(now); // fire what is due now, then drain again
        continue;
      }
      if (candidates.length === 0) {
        if (++idleSpins > 2000) throw new Error(`policy ${policy}: nothing left to run at ${clock.now().toISOString()}`);
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      idleSpins = 0;
      await clock.advanceTo(Math.min(...candidates));
    }
    const wallMs = performance.now() - t0;

    // Figures, read through the API like a user would.
    const runs = scheduleRuns;
    for (const r of runs)
      if (r.outcome !== "submitted") errors.push(`schedule occurrence ${r.occurrence} was ${r.outcome}: ${r.reason ?? ""}`);
    const jobs = [
      ...adhoc.map((a) => ({ id: a.id, dueMs: a.atMs, kind: "adhoc" as const })),
      ...runs.flatMap((r) => (r.id ? [{ id: r.id, dueMs: Date.parse(r.occurrence), kind: "scheduled" as const }] : [])),
    ];
    const delays = { scheduled: [] as number[], adhoc: [] as number[] };
    let ended = 0;
    for (const j of jobs) {
      const rec = await api<JobRecord>(stack, `/jobs/${j.id}`);
      if (TERMINAL.has(rec.state)) ended += 1;
      if (rec.state !== "succeeded") errors.push(`job ${rec.name} (${j.id}) ended ${rec.state}${rec.error ? `: ${rec.error}` : ""}`);
      const firstRun = Math.min(...rec.steps.flatMap((s) => s.attempts.map((a) => (a.startedAt ? Date.parse(a.startedAt) : Infinity))));
      if (Number.isFinite(firstRun)) delays[j.kind].push((firstRun - j.dueMs) / 60_000);
    }
    const report = await api<CostReport>(
      stack,
      `/costs?groupBy=profile&from=${new Date(startMs - 86_400_000).toISOString()}&to=${new Date(endMs + 2 * 86_400_000).toISOString()}`,
    );
    for (const p of report.prices)
      if (p.source !== "retail-prices-api") errors.push(`prices for ${p.region} came from the ${p.source} table: ${p.note ?? ""}`);
    const left = (await api<{ clusters: unknown[] }>(stack, "/clusters")).clusters.length;
    if (left > 0) errors.push(`${left} cluster(s) left behind`);
    const all = stack.sandbox.control.requests();
    if (all.length > 0 && all[0].seq !== 1) errors.push("the sandbox's request log overflowed: ARM write counts would be short");
    const writes = all.filter((r) => r.component === "arm" && ["PUT", "POST", "PATCH", "DELETE"].includes(r.method));
    const creates = writes.filter(
      (r) => r.method === "PUT" && /\/providers\/Microsoft\.HDInsight\/clusters\/[^/]+$/i.test(r.path) && r.status < 300,
    );
    if (creates.length !== report.totals.clusters)
      errors.push(`${creates.length} cluster create(s) accepted by ARM but ${report.totals.clusters} cluster ledger(s) billed`);
    return {
      policy,
      billedNodeMinutes: report.totals.nodeMinutes,
      amount: report.totals.amount,
      currency: report.currency,
      delays,
      clustersCreated: creates.length,
      armWrites: writes.length,
      jobsTotal: jobs.length,
      jobsEnded: ended,
      clustersLeft: left,
      wallMs,
      errors,
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
