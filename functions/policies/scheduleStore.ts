// Schedule records in Blob (`schedules/<id>.json` in the jobs container): the source of truth for a schedule's
// definition, paused/deleted state and its recent runs. Written by the routes (pause/resume/delete) and by the
// schedule's occurrence activity, so every update is an ETag-conditional read-modify-write.
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import { isErrorNamed } from "../../shared/errors";
import type { WarmupEntry } from "../../shared/policies/workflowTypes";

export type ScheduleRunOutcome = "submitted" | "skipped" | "failed";

export interface ScheduleRun {
  /** When the run fired (a backfilled run: its data interval's end, the occurrence it stands for). */
  occurrence: string;
  /** How it was started when not by the cron: "backfill" or "manual" (run now). */
  kind?: "backfill" | "manual";
  outcome: ScheduleRunOutcome;
  jobId?: string;
  reason?: string;
  at: string;
}

export interface ScheduleRecord {
  id: string;
  cron: string;
  timezone: string;
  /** The job document submitted at each occurrence (idempotencyKey replaced by `<id>@<occurrence>`). */
  job: Record<string, unknown>;
  /** Parameter values passed to every run (the job's templates; docs/job-spec.md). Default none. */
  parameters?: Record<string, string | number | boolean>;
  /** Pre-provision the cluster before each fire (default: true when the job's cluster.reuse is "warm"). */
  warmup?: boolean;
  /** Start each warm-up this many minutes before the fire (default: observed p90 provisioning + 2 min). */
  warmupLeadMinutes?: number;
  /** Recent warm-ups, newest first (at most 50). */
  warmups?: WarmupEntry[];
  state: "active" | "paused" | "deleted";
  createdAt: string;
  updatedAt: string;
  nextRunAt?: string;
  /** Most recent first, at most MAX_RUNS. */
  runs: ScheduleRun[];
}

const MAX_RUNS = 100;
const MAX_ATTEMPTS = 8;
export const scheduleBlob = (id: string): string => `schedules/${id}.json`;

export class ScheduleStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async get(id: string): Promise<ScheduleRecord | undefined> {
    return (await this.blobs.getJson<ScheduleRecord>(this.container, scheduleBlob(id)))?.value;
  }

  /** Creates the record; ConflictError when the id exists. */
  async create(record: ScheduleRecord): Promise<void> {
    await this.blobs.putJson(this.container, scheduleBlob(record.id), record, { ifNoneMatch: "*" });
  }

  /** Applies `change` to the current record and writes it if unchanged meanwhile (retries on conflict). undefined = missing. */
  async update(id: string, change: (r: ScheduleRecord) => void, nowIso: string): Promise<ScheduleRecord | undefined> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.blobs.getJson<ScheduleRecord>(this.container, scheduleBlob(id));
      if (!current) return undefined;
      const next = structuredClone(current.value);
      change(next);
      next.runs = next.runs.slice(0, MAX_RUNS);
      next.updatedAt = nowIso;
      try {
        await this.blobs.putJson(this.container, scheduleBlob(id), next, { ifMatch: current.etag });
        return next;
      } catch (err) {
        if (!isErrorNamed(err, "ConflictError") || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Every record (deleted ones included), in id order. */
  async list(): Promise<ScheduleRecord[]> {
    const entries = await this.blobs.list(this.container, "schedules/");
    const found = await Promise.all(entries.map((e) => this.blobs.getJson<ScheduleRecord>(this.container, e.name)));
    return found.filter((f) => f !== undefined).map((f) => f.value);
  }
}
