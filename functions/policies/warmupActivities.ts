// Activities of schedule warm-ups (issue 13): render the schedule's job as its occurrence will be rendered and
// derive the cluster the warm-up takes (same validation, profiles and profile hash as the submit path, so the
// job that fires finds exactly this cluster); record a warm-up in the schedule record; and tell whether the
// occurrence's job has joined the warm-up's cluster (the cluster orchestration lists it among its holders).
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { dataIntervalOf, occurrenceKey } from "../../shared/policies/scheduleRules";
import type { PrepareWarmupResult, WarmupEntry } from "../../shared/policies/workflowTypes";
import { validateJobDocument } from "../../shared/spec";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { ACTIVITY, clusterInstanceId } from "../../shared/workflow/activities";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";
import { templateRun } from "../submit";
import { scheduleStore } from "./scheduleActivities";

const clientInput = df.input.durableClient();
/** Warm-ups kept in a schedule record, newest first. */
const MAX_WARMUPS = 50;

df.app.activity(ACTIVITY.prepareScheduleWarmup, {
  handler: async (input: { scheduleId: string; occurrence: string }): Promise<PrepareWarmupResult> => {
    const record = await scheduleStore().get(input.scheduleId);
    if (!record || record.state === "deleted") return { ok: false, reason: "schedule deleted" };
    const s = services();
    const profiles = await s.profiles();
    const interval = dataIntervalOf({ cron: record.cron, timezone: record.timezone }, input.occurrence);
    const key = occurrenceKey(record.id, input.occurrence);
    const run = templateRun({ kind: "scheduled", logicalDate: interval.start, dataIntervalEnd: interval.end }, appClock().now().toISOString(), key);
    // Exactly what runScheduleOccurrence submits (submitJob), so the profile hash is the job's.
    const doc = { ...record.job, idempotencyKey: key };
    const result = validateJobDocument(doc, { profiles, knownEdges: s.config.edgeVms, ...jobSecurityOptions(s.config, profiles), parameters: record.parameters, run });
    if (!result.ok) return { ok: false, reason: result.problems.map((p) => `${p.pointer}: ${p.message}`).join("; ").slice(0, 500) };
    const job = result.job;
    const eff = effectiveProfile(job, profiles, placeholderValuesFromConfig(s.config));
    if (!eff.ok) return { ok: false, reason: eff.problems.map((p) => p.message).join("; ").slice(0, 500) };
    return {
      ok: true, profileHash: eff.hash,
      cluster: {
        profileName: job.cluster.profile, overrides: job.cluster.overrides, profileHash: eff.hash, keepWarmMinutes: job.cluster.keepWarmMinutes,
        ...(job.cluster.keepWarmPolicy ? { keepWarmPolicy: job.cluster.keepWarmPolicy } : {}),
        maxLifetimeMinutes: job.cluster.maxLifetimeMinutes, reuse: job.cluster.reuse, jobTags: { ...job.tags, "jobflow-warmup-of": record.id },
        adlsAccounts: job.data.adls?.accounts ?? [],
      },
    };
  },
});

df.app.activity(ACTIVITY.recordScheduleWarmup, {
  handler: async (input: { scheduleId: string; entry: WarmupEntry }): Promise<{ recorded: boolean }> => {
    const now = appClock().now().toISOString();
    const updated = await scheduleStore().update(input.scheduleId, (r) => {
      const list = r.warmups ?? [];
      const i = list.findIndex((w) => w.fireAt === input.entry.fireAt && w.clusterName === input.entry.clusterName);
      if (i >= 0) list[i] = { ...list[i], ...input.entry };
      else list.unshift(input.entry);
      r.warmups = list.slice(0, MAX_WARMUPS);
    }, now);
    return { recorded: updated !== undefined };
  },
});

df.app.activity(ACTIVITY.getWarmupClaim, {
  extraInputs: [clientInput],
  handler: async (input: { clusterName: string; jobId: string }, context: InvocationContext): Promise<{ joined: boolean; jobEnded: boolean; clusterGone: boolean }> => {
    const client = df.getClient(context);
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
});
