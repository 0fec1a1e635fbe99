// Activities of the break-even keep-warm rule (shared/workflow/keepWarmRule.ts; docs/costs.md): what is known about
// a profile's next demand (and noting that it went idle), and the audit record of each keep-warm decision. The audit records sit beside the
// reaper's in the audit container, named newest first like them (`keep-warm/decisions/<inverted time>-<cluster>.json`).
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { ACTIVITY } from "../../shared/workflow/activities";
import { ScheduleStore } from "../policies/scheduleStore";
import { DemandHistoryStore, nextScheduledDemand } from "../store/profileDemand";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";

const MAX_MS = 9_999_999_999_999;
export const keepWarmAuditBlob = (decidedAtMs: number, clusterName: string): string =>
  `keep-warm/decisions/${String(MAX_MS - decidedAtMs).padStart(13, "0")}-${clusterName}.json`;

export function demandHistoryOf(deps: Pick<ActivityDeps, "blobs" | "config">): DemandHistoryStore {
  return new DemandHistoryStore(deps.blobs, deps.config.containers.jobs);
}

export function keepWarmActivities(
  deps: ActivityDeps,
): Pick<ActivityHandlers, typeof ACTIVITY.nextKnownDemand | typeof ACTIVITY.recordKeepWarmDecision> {
  const { config } = deps;
  const schedules = new ScheduleStore(deps.blobs, config.containers.jobs);
  const history = demandHistoryOf(deps);
  return {
    [ACTIVITY.nextKnownDemand]: async (input) => {
      const profiles = await deps.profiles();
      const now = deps.clock.nowMs();
      // Asked when a cluster of the profile becomes idle: that opens the profile's idle gap (closed by the next arrival).
      const [records, gaps] = await Promise.all([schedules.list(), history.recordIdle(input.profileHash, now)]);
      const next = nextScheduledDemand(records, input.profileHash, now, {
        profiles,
        placeholders: placeholderValuesFromConfig(config),
        knownEdges: config.edgeVms,
        security: jobSecurityOptions(config, profiles),
      });
      return { ...(next ? { next } : {}), idleGapsMs: gaps.idleGapsMs };
    },

    [ACTIVITY.recordKeepWarmDecision]: async (record) => {
      await deps.blobs.putJson(config.containers.audit, keepWarmAuditBlob(Date.parse(record.decidedAt), record.clusterName), record);
      return { recorded: true as const };
    },
  };
}
