// Activities of the break-even keep-warm rule (shared/workflow/keepWarmRule.ts; docs/costs.md): what is known about
// a profile's next demand (and noting that it went idle), and the audit record of each keep-warm decision. The audit records sit beside the
// reaper's in the audit container, named newest first like them (`keep-warm/decisions/<inverted time>-<cluster>.json`).
import * as df from "durable-functions";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { ACTIVITY } from "../../shared/workflow/activities";
import type { KeepWarmAuditRecord, NextDemandAnswer } from "../../shared/workflow/clusterDeciderTypes";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";
import { scheduleStore } from "../policies/scheduleActivities";
import { DemandHistoryStore, nextScheduledDemand } from "../store/profileDemand";

const MAX_MS = 9_999_999_999_999;
export const keepWarmAuditBlob = (decidedAtMs: number, clusterName: string): string =>
  `keep-warm/decisions/${String(MAX_MS - decidedAtMs).padStart(13, "0")}-${clusterName}.json`;

export function demandHistory(): DemandHistoryStore {
  const s = services();
  return new DemandHistoryStore(s.cloud.blobs, s.config.containers.jobs);
}

df.app.activity(ACTIVITY.nextKnownDemand, {
  handler: async (input: { profileHash: string }): Promise<NextDemandAnswer> => {
    const s = services();
    const profiles = await s.profiles();
    const now = appClock().nowMs();
    // Asked when a cluster of the profile becomes idle: that opens the profile's idle gap (closed by the next arrival).
    const [records, history] = await Promise.all([scheduleStore().list(), demandHistory().recordIdle(input.profileHash, now)]);
    const next = nextScheduledDemand(records, input.profileHash, now, {
      profiles, placeholders: placeholderValuesFromConfig(s.config), knownEdges: s.config.edgeVms, security: jobSecurityOptions(s.config, profiles),
    });
    return { ...(next ? { next } : {}), idleGapsMs: history.idleGapsMs };
  },
});

df.app.activity(ACTIVITY.recordKeepWarmDecision, {
  handler: async (record: KeepWarmAuditRecord) => {
    const s = services();
    await s.cloud.blobs.putJson(s.config.containers.audit, keepWarmAuditBlob(Date.parse(record.decidedAt), record.clusterName), record);
    return { recorded: true };
  },
});
