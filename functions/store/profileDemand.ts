// What Jobflow knows about the demand for one cluster profile (by profile hash), for the break-even keep-warm rule
// (shared/workflow/keepWarmRule.ts): how long after the profile last went idle its next job arrived (the "idle
// gaps", Blob `stats/demand/<profileHash>.json` in the jobs container, the last GAPS_KEPT: the cluster orchestration
// notes the idle moment when it asks for the next demand, the findWarmCluster activity closes the gap at the next
// arrival), and the next fire of every active schedule whose job runs warm on this profile (schedule records, the
// schedules' own cron code).
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { ProfileCatalog } from "../../shared/profiles";
import { effectiveProfile } from "../../shared/profiles";
import type { PlaceholderValues } from "../../shared/profiles/placeholders";
import { nextOccurrence } from "../../shared/policies/scheduleRules";
import type { JobSecurityOptions } from "../../shared/security/jobPolicy";
import { validateJobDocument } from "../../shared/spec";
import type { KnownDemand } from "../../shared/workflow/keepWarmRule";
import { templateRun } from "../submit";
import type { ScheduleRecord } from "../policies/scheduleStore";

export const GAPS_KEPT = 20;
export const demandBlob = (profileHash: string): string => `stats/demand/${profileHash}.json`;

export interface DemandHistory {
  profileHash: string;
  /** Since when the profile has been idle (a cluster of it became idle and no job arrived since), if it is. */
  idleSince?: string;
  /** Idle → next arrival, in ms, oldest first. */
  idleGapsMs: number[];
}

/**
 * Read-modify-write without a condition: a lost update under a race loses one sample, which the rule tolerates
 * (bursts of arrivals only close a gap once: the first arrival clears `idleSince`).
 */
export class DemandHistoryStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async get(profileHash: string): Promise<DemandHistory> {
    return (await this.blobs.getJson<DemandHistory>(this.container, demandBlob(profileHash)))?.value ?? { profileHash, idleGapsMs: [] };
  }

  /** A job of the profile arrived: closes the open idle gap, if any. */
  async recordArrival(profileHash: string, atMs: number): Promise<void> {
    const h = await this.get(profileHash);
    if (h.idleSince === undefined) return;
    const gap = Math.max(0, atMs - Date.parse(h.idleSince));
    await this.put({ profileHash, idleGapsMs: [...h.idleGapsMs, gap].slice(-GAPS_KEPT) });
  }

  /** A cluster of the profile became idle: opens an idle gap (kept open if one is). Returns the history. */
  async recordIdle(profileHash: string, atMs: number): Promise<DemandHistory> {
    const h = await this.get(profileHash);
    if (h.idleSince !== undefined) return h;
    const next = { ...h, idleSince: new Date(atMs).toISOString() };
    await this.put(next);
    return next;
  }

  private async put(h: DemandHistory): Promise<void> {
    await this.blobs.putJson(this.container, demandBlob(h.profileHash), h);
  }
}

export interface ScheduleProfileContext {
  profiles: ProfileCatalog;
  placeholders: PlaceholderValues;
  knownEdges: string[];
  security: JobSecurityOptions;
}

/**
 * The profile hash a schedule's next run would use, when it runs warm (reuse: warm); undefined otherwise or when
 * its document does not validate (its run would fail at submit and create no cluster either).
 */
export function warmProfileHashOf(record: ScheduleRecord, occurrence: string, ctx: ScheduleProfileContext): string | undefined {
  const run = templateRun({ kind: "scheduled", logicalDate: occurrence }, occurrence, `${record.id}@${occurrence}`);
  const result = validateJobDocument(record.job, {
    profiles: ctx.profiles,
    knownEdges: ctx.knownEdges,
    ...ctx.security,
    parameters: record.parameters,
    run,
  });
  if (!result.ok || result.job.cluster.reuse !== "warm") return undefined;
  const eff = effectiveProfile({ cluster: result.job.cluster }, ctx.profiles, ctx.placeholders);
  return eff.ok ? eff.hash : undefined;
}

/** The earliest next fire, after `nowMs`, of an active schedule whose job runs warm on `profileHash`. */
export function nextScheduledDemand(
  records: ScheduleRecord[],
  profileHash: string,
  nowMs: number,
  ctx: ScheduleProfileContext,
): KnownDemand | undefined {
  let best: KnownDemand | undefined;
  for (const record of records) {
    if (record.state !== "active") continue;
    const next = nextOccurrence({ cron: record.cron, timezone: record.timezone }, new Date(nowMs).toISOString());
    if (!next || (best && Date.parse(next) >= Date.parse(best.at))) continue;
    if (warmProfileHashOf(record, next, ctx) === profileHash) best = { at: next, kind: "schedule", source: record.id };
  }
  return best;
}
