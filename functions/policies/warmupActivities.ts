// Activities of schedule warm-ups (issue 13): render the schedule's job as its occurrence will be rendered and
// derive the cluster the warm-up takes (same validation, profiles and profile hash as the submit path, so the
// job that fires finds exactly this cluster); record a warm-up in the schedule record; and tell whether the
// occurrence's job has joined the warm-up's cluster (the cluster orchestration lists it among its holders).
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { dataIntervalOf, occurrenceKey } from "../../shared/policies/scheduleRules";
import { validateJobDocument } from "../../shared/spec";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { ACTIVITY, clusterInstanceId } from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers } from "../activities/activityDeps";
import { templateRun } from "../submit";
import { ScheduleStore } from "./scheduleStore";

/** Warm-ups kept in a schedule record, newest first. */
const MAX_WARMUPS = 50;

type WarmupActivityName = typeof ACTIVITY.prepareScheduleWarmup | typeof ACTIVITY.recordScheduleWarmup | typeof ACTIVITY.getWarmupClaim;

export function warmupActivities(deps: ActivityDeps): Pick<ActivityHandlers, WarmupActivityName> {
  const { config } = deps;
  const schedules = new ScheduleStore(deps.blobs, config.containers.jobs);
  return {
    [ACTIVITY.prepareScheduleWarmup]: async (input) => {
      const record = await schedules.get(input.scheduleId);
      if (!record || record.state === "deleted") return { ok: false, reason: "schedule deleted" };
      const profiles = await deps.profiles();
      const interval = dataIntervalOf({ cron: record.cron, timezone: record.timezone }, input.occurrence);
      const key = occurrenceKey(record.id, input.occurrence);
      const run = templateRun(
        { kind: "scheduled", logicalDate: interval.start, dataIntervalEnd: interval.end },
        deps.clock.now().toISOString(),
        key,
      );
      // Exactly what runScheduleOccurrence submits (submitJob), so the profile hash is the job's.
      const doc = { ...record.job, idempotencyKey: key };
      const result = validateJobDocument(doc, {
        profiles,
        knownEdges: config.edgeVms,
        ...jobSecurityOptions(config, profiles),
        parameters: record.parameters,
        run,
      });
      if (!result.ok)
        return {
          ok: false,
          reason: result.problems
            .map((p) => `${p.pointer}: ${p.message}`)
            .join("; ")
            .slice(0, 500),
        };
      const job = result.job;
      const eff = effectiveProfile(job, profiles, placeholderValuesFromConfig(config));
      if (!eff.ok)
        return {
          ok: false,
          reason: eff.problems
            .map((p) => p.message)
            .join("; ")
            .slice(0, 500),
        };
      return {
        ok: true,
        profileHash: eff.hash,
        cluster: {
          profileName: job.cluster.profile,
          overrides: job.cluster.overrides,
          profileHash: eff.hash,
          keepWarmMinutes: job.cluster.keepWarmMinutes,
          ...(job.cluster.keepWarmPolicy ? { keepWarmPolicy: job.cluster.keepWarmPolicy } : {}),
          maxLifetimeMinutes: job.cluster.maxLifetimeMinutes,
          reuse: job.cluster.reuse,
          jobTags: { ...job.tags, "jobflow-warmup-of": record.id },
          adlsAccounts: job.data.adls?.accounts ?? [],
        },
      };
    },

    [ACTIVITY.recordScheduleWarmup]: async (input) => {
      const now = deps.clock.now().toISOString();
      const updated = await schedules.update(
        input.scheduleId,
        (r) => {
          const list = r.warmups ?? [];
          const i = list.findIndex((w) => w.fireAt === input.entry.fireAt && w.clusterName === input.entry.clusterName);
          if (i >= 0) list[i] = { ...list[i], ...input.entry };
          else list.unshift(input.entry);
          r.warmups = list.slice(0, MAX_WARMUPS);
        },
        now,
      );
      return { recorded: updated !== undefined };
    },

    [ACTIVITY.getWarmupClaim]: async (input, invocation) => {
      const client = invocation.durableClient();
      const [cluster, job] = await Promise.all([
        client.getStatus(clusterInstanceId(input.clusterName)).catch(() => undefined),
        client.getStatus(input.jobId).catch(() => undefined),
      ]);
      const holders = ((cluster?.customStatus ?? {}) as { holders?: string[] }).holders ?? [];
      const clusterLive = !!cluster && isLiveRuntimeStatus(cluster.runtimeStatus);
      return {
        joined: clusterLive && holders.includes(input.jobId),
        jobEnded: !!job && !isLiveRuntimeStatus(job.runtimeStatus),
        clusterGone: !clusterLive,
      };
    },
  };
}
