// Runs of a schedule outside its cron (issue 15): "run now" (POST /schedules/{id}/run) and the runs of a backfill
// (POST /schedules/{id}/backfill, the scheduleBackfill orchestration). Each goes through the POST /jobs path with
// the schedule's job, its parameter values (request values win) and the run's built-ins, and is recorded in the
// schedule's runs. A backfill run uses the scheduled run's idempotency key and joins warm clusters.
import type { DurableClient } from "durable-functions";
import type { Clock } from "../../shared/clock";
import type { Problem } from "../../shared/errors";
import { occurrenceKey } from "../../shared/policies/scheduleRules";
import type { SubmitScheduleRunInput, SubmitScheduleRunResult } from "../../shared/policies/workflowTypes";
import { ACTIVITY } from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers } from "../activities/activityDeps";
import { JobStore } from "../store/jobStore";
import { ScheduleStore } from "./scheduleStore";

export type ScheduleRunResult = SubmitScheduleRunResult & { problems?: Problem[] };

/** What a schedule run needs: the schedule records, the clock and the POST /jobs path. */
export interface ScheduleRunDeps {
  schedules: ScheduleStore;
  clock: Clock;
  submitJob: ActivityDeps["submitJob"];
}

export async function submitScheduleRun(
  deps: ScheduleRunDeps,
  client: DurableClient,
  input: SubmitScheduleRunInput,
): Promise<ScheduleRunResult> {
  const store = deps.schedules;
  const record = await store.get(input.scheduleId);
  if (!record || record.state === "deleted") return { outcome: "failed", reason: "schedule deleted" };
  if (typeof record.job !== "object" || record.job === null || Array.isArray(record.job))
    return { outcome: "failed", reason: "the schedule's job is not a Jobflow job document" };
  const doc: Record<string, unknown> = {
    ...structuredClone(record.job),
    idempotencyKey: input.key ?? occurrenceKey(input.scheduleId, input.dataIntervalEnd),
  };
  if (input.shareWarm) {
    const cluster = (doc.cluster ?? {}) as { keepWarmMinutes?: number };
    doc.cluster = {
      ...cluster,
      reuse: "warm",
      keepWarmMinutes: Math.max(cluster.keepWarmMinutes ?? 15, input.shareWarm.minKeepWarmMinutes),
    };
  }
  const submitted = await deps.submitJob(client, doc, {
    parameters: { ...record.parameters, ...input.parameters },
    run: { kind: input.kind, logicalDate: input.logicalDate, dataIntervalEnd: input.dataIntervalEnd },
  });
  const result: ScheduleRunResult = submitted.ok
    ? { outcome: "submitted", jobId: submitted.jobId, duplicate: submitted.duplicate }
    : {
        outcome: "failed",
        reason: submitted.problems
          .map((p) => `${p.pointer}: ${p.message}`)
          .join("; ")
          .slice(0, 1000),
        problems: submitted.problems,
      };
  const now = deps.clock.now().toISOString();
  await store.update(
    input.scheduleId,
    (r) => {
      if (result.outcome === "submitted" && r.runs.some((x) => x.jobId === result.jobId)) return; // recorded already
      const run = {
        occurrence: input.kind === "backfill" ? input.dataIntervalEnd : input.logicalDate,
        kind: input.kind,
        outcome: result.outcome,
        at: now,
      } as (typeof r.runs)[number];
      if (result.outcome === "submitted") run.jobId = result.jobId;
      else run.reason = result.reason;
      r.runs.unshift(run);
    },
    now,
  );
  return result;
}

export function scheduleRunActivities(
  deps: ActivityDeps,
): Pick<ActivityHandlers, typeof ACTIVITY.submitScheduleRun | typeof ACTIVITY.getJobStates> {
  const runDeps: ScheduleRunDeps = {
    schedules: new ScheduleStore(deps.blobs, deps.config.containers.jobs),
    clock: deps.clock,
    submitJob: deps.submitJob,
  };
  const jobs = new JobStore(deps.blobs, deps.config.containers.jobs);
  return {
    [ACTIVITY.submitScheduleRun]: async (input, invocation) => {
      const { problems: _problems, ...result } = await submitScheduleRun(runDeps, invocation.durableClient(), input);
      return result;
    },

    [ACTIVITY.getJobStates]: async (input) => {
      const records = await Promise.all(input.jobIds.map((id) => jobs.get(id)));
      return Object.fromEntries(input.jobIds.map((id, i) => [id, records[i]?.state ?? "queued"]));
    },
  };
}
