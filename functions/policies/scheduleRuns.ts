// Runs of a schedule outside its cron (issue 15): "run now" (POST /schedules/{id}/run) and the runs of a backfill
// (POST /schedules/{id}/backfill, the scheduleBackfill orchestration). Each goes through the POST /jobs path with
// the schedule's job, its parameter values (request values win) and the run's built-ins, and is recorded in the
// schedule's runs. A backfill run uses the scheduled run's idempotency key and joins warm clusters.
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { Problem } from "../../shared/errors";
import { occurrenceKey } from "../../shared/policies/scheduleRules";
import type { SubmitScheduleRunInput, SubmitScheduleRunResult } from "../../shared/policies/workflowTypes";
import { ACTIVITY } from "../../shared/workflow/activities";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";
import { submitJob } from "../submit";
import { scheduleStore } from "./scheduleActivities";

const clientInput = df.input.durableClient();

export type ScheduleRunResult = SubmitScheduleRunResult & { problems?: Problem[] };

export async function submitScheduleRun(client: DurableClient, input: SubmitScheduleRunInput): Promise<ScheduleRunResult> {
  const store = scheduleStore();
  const record = await store.get(input.scheduleId);
  if (!record || record.state === "deleted") return { outcome: "failed", reason: "schedule deleted" };
  if (typeof record.job !== "object" || record.job === null || Array.isArray(record.job)) return { outcome: "failed", reason: "the schedule's job is not a Jobflow job document" };
  const doc: Record<string, unknown> = { ...structuredClone(record.job), idempotencyKey: input.key ?? occurrenceKey(input.scheduleId, input.dataIntervalEnd) };
  if (input.shareWarm) {
    const cluster = (doc.cluster ?? {}) as { keepWarmMinutes?: number };
    doc.cluster = { ...cluster, reuse: "warm", keepWarmMinutes: Math.max(cluster.keepWarmMinutes ?? 15, input.shareWarm.minKeepWarmMinutes) };
  }
  const submitted = await submitJob(client, doc, {
    parameters: { ...record.parameters, ...input.parameters },
    run: { kind: input.kind, logicalDate: input.logicalDate, dataIntervalEnd: input.dataIntervalEnd },
  });
  const result: ScheduleRunResult = submitted.ok ? { outcome: "submitted", jobId: submitted.jobId, duplicate: submitted.duplicate }
    : { outcome: "failed", reason: submitted.problems.map((p) => `${p.pointer}: ${p.message}`).join("; ").slice(0, 1000), problems: submitted.problems };
  const now = appClock().now().toISOString();
  await store.update(input.scheduleId, (r) => {
    if (result.outcome === "submitted" && r.runs.some((x) => x.jobId === result.jobId)) return; // recorded already
    const run = { occurrence: input.kind === "backfill" ? input.dataIntervalEnd : input.logicalDate, kind: input.kind, outcome: result.outcome, at: now } as (typeof r.runs)[number];
    if (result.outcome === "submitted") run.jobId = result.jobId;
    else run.reason = result.reason;
    r.runs.unshift(run);
  }, now);
  return result;
}

df.app.activity(ACTIVITY.submitScheduleRun, {
  extraInputs: [clientInput],
  handler: async (input: SubmitScheduleRunInput, context: InvocationContext): Promise<SubmitScheduleRunResult> => {
    const { problems: _problems, ...result } = await submitScheduleRun(df.getClient(context), input);
    return result;
  },
});

df.app.activity(ACTIVITY.getJobStates, {
  handler: async (input: { jobIds: string[] }): Promise<Record<string, string>> => {
    const jobs = services().jobs;
    const records = await Promise.all(input.jobIds.map((id) => jobs.get(id)));
    return Object.fromEntries(input.jobIds.map((id, i) => [id, records[i]?.state ?? "queued"]));
  },
});
