// Schedule activities: read the record, compute the next occurrence (croner, in the schedule's zone), and run one
// occurrence — skip it while the previous run still goes, otherwise submit through the POST /jobs path with the
// idempotency key `<schedule>@<occurrence>` (a retried activity never submits a second job).
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { dataIntervalOf, nextOccurrence, occurrenceKey } from "../../shared/policies/scheduleRules";
import { warmupEnabled } from "../../shared/policies/warmupRules";
import type { RunOccurrenceResult, ScheduleState } from "../../shared/policies/workflowTypes";
import { ACTIVITY } from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers } from "../activities/activityDeps";
import { toCloudEvents } from "../runtime/events";
import { ScheduleStore } from "./scheduleStore";

type ScheduleActivityName =
  typeof ACTIVITY.getScheduleState | typeof ACTIVITY.nextScheduleOccurrence | typeof ACTIVITY.runScheduleOccurrence;

export function scheduleActivities(deps: ActivityDeps): Pick<ActivityHandlers, ScheduleActivityName> {
  const store = new ScheduleStore(deps.blobs, deps.config.containers.jobs);
  return {
    [ACTIVITY.getScheduleState]: async (input) => {
      const r = await store.get(input.scheduleId);
      if (!r || r.state === "deleted") return { exists: false, paused: false };
      const reuse = (r.job.cluster as { reuse?: "warm" | "never" } | undefined)?.reuse ?? "warm";
      const warmup: NonNullable<ScheduleState["warmup"]> = warmupEnabled(r, reuse);
      if (r.warmupLeadMinutes !== undefined) warmup.leadMinutes = r.warmupLeadMinutes;
      return { exists: true, paused: r.state === "paused", cron: r.cron, timezone: r.timezone, warmup };
    },

    [ACTIVITY.nextScheduleOccurrence]: async (input) => {
      const next = nextOccurrence({ cron: input.cron, timezone: input.timezone }, input.after);
      return next ? { next } : {};
    },

    [ACTIVITY.runScheduleOccurrence]: async (input, invocation) => {
      const client = invocation.durableClient();
      const record = await store.get(input.scheduleId);
      let result: RunOccurrenceResult;
      if (!record || record.state === "deleted") return { outcome: "skipped", reason: "schedule deleted" };
      const previous = input.lastJobId ? await client.getStatus(input.lastJobId).catch(() => undefined) : undefined;
      if (record.state === "paused") result = { outcome: "skipped", reason: "schedule paused" };
      else if (input.lastJobId && previous && isLiveRuntimeStatus(previous.runtimeStatus)) {
        result = { outcome: "skipped", reason: `previous run ${input.lastJobId} is still going`, runningJobId: input.lastJobId };
      } else {
        const doc = { ...record.job, idempotencyKey: occurrenceKey(record.id, input.occurrence) };
        // Built-ins: Airflow's data interval, ending at this occurrence and starting (= logical date) at the previous one.
        const interval = dataIntervalOf({ cron: record.cron, timezone: record.timezone }, input.occurrence);
        const submitted = await deps.submitJob(client, doc, {
          parameters: record.parameters,
          run: { kind: "scheduled", logicalDate: interval.start, dataIntervalEnd: interval.end },
          ...(input.warmup ? { warmup: { scheduleId: record.id, fireAt: input.occurrence, clusterName: input.warmup.clusterName } } : {}),
        });
        result = submitted.ok
          ? { outcome: "submitted", jobId: submitted.jobId }
          : {
              outcome: "failed",
              reason: submitted.problems
                .map((p) => `${p.pointer}: ${p.message}`)
                .join("; ")
                .slice(0, 1000),
            };
      }
      const now = deps.clock.now().toISOString();
      await store.update(
        input.scheduleId,
        (r) => {
          if (r.runs.some((x) => x.occurrence === input.occurrence)) return; // retried activity: recorded already
          const run = { occurrence: input.occurrence, outcome: result.outcome, at: now } as (typeof r.runs)[number];
          if (result.outcome === "submitted") run.jobId = result.jobId;
          else run.reason = result.reason;
          r.runs.unshift(run);
        },
        now,
      );
      const type = result.outcome === "submitted" ? "jobflow.schedule.fired" : `jobflow.schedule.${result.outcome}`;
      await deps.events.publish(
        toCloudEvents(
          [
            {
              type,
              subject: `schedules/${input.scheduleId}`,
              data: { scheduleId: input.scheduleId, occurrence: input.occurrence, ...result, time: now },
            },
          ],
          deps.clock,
        ),
      );
      return result;
    },
  };
}
