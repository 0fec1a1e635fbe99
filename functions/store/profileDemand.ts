// What Jobflow knows about the demand for one cluster profile (by profile hash), for the break-even keep-warm rule
// (shared/workflow/keepWarmRule.ts): the recent arrivals of warm jobs (Blob `stats/arrivals/<profileHash>.json` in
// the jobs container, the last ARRIVALS_KEPT, recorded by the findWarmCluster activity) and the next fire of every
// active schedule whose job runs warm on this profile (schedule records, the schedules' own cron code).
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

export const ARRIVALS_KEPT = 20;
/** Arrivals closer than this to the previous one are one arrival (a burst of jobs is one demand). */
export const ARRIVAL_MERGE_MS = 60_000;
export const arrivalsBlob = (profileHash: string): string => `stats/arrivals/${profileHash}.json`;

interface Arrivals {
  profileHash: string;
  /** ISO times, oldest first. */
  arrivals: string[];
}

export class ArrivalStore {
  constructor(private readonly blobs: JobflowBlobStore, private readonly container: string) {}

  async arrivals(profileHash: string): Promise<string[]> {
    return (await this.blobs.getJson<Arrivals>(this.container, arrivalsBlob(profileHash)))?.value.arrivals ?? [];
  }

  /** Records one arrival (best effort under races: a lost update loses one sample, which the rule tolerates). */
  async record(profileHash: string, atMs: number): Promise<void> {
    const current = await this.arrivals(profileHash);
    const last = current.length ? Date.parse(current[current.length - 1] as string) : undefined;
    if (last !== undefined && atMs - last < ARRIVAL_MERGE_MS) return;
    const arrivals = [...current, new Date(atMs).toISOString()].slice(-ARRIVALS_KEPT);
    await this.blobs.putJson(this.container, arrivalsBlob(profileHash), { profileHash, arrivals } satisfies Arrivals);
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
  const result = validateJobDocument(record.job, { profiles: ctx.profiles, knownEdges: ctx.knownEdges, ...ctx.security, parameters: record.parameters, run });
  if (!result.ok || result.job.cluster.reuse !== "warm") return undefined;
  const eff = effectiveProfile({ cluster: result.job.cluster }, ctx.profiles, ctx.placeholders);
  return eff.ok ? eff.hash : undefined;
}

/** The earliest next fire, after `nowMs`, of an active schedule whose job runs warm on `profileHash`. */
export function nextScheduledDemand(records: ScheduleRecord[], profileHash: string, nowMs: number, ctx: ScheduleProfileContext): KnownDemand | undefined {
  let best: KnownDemand | undefined;
  for (const record of records) {
    if (record.state !== "active") continue;
    const next = nextOccurrence({ cron: record.cron, timezone: record.timezone }, new Date(nowMs).toISOString());
    if (!next || (best && Date.parse(next) >= Date.parse(best.at))) continue;
    if (warmProfileHashOf(record, next, ctx) === profileHash) best = { at: next, kind: "schedule", source: record.id };
  }
  return best;
}
