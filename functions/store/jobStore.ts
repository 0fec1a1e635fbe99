// Job records in Blob: `records/<jobId>.json` (the record, written by its orchestration at every transition) and a
// state index `index/<state>/<submittedAt>_<jobId>` (empty marker blobs; the time is the record's submittedAt as
// ISO 8601, so a prefix lists in submission order) — `GET /jobs?state=X` lists the `index/X/` prefix instead of
// reading every record, and reads only the records of the page it returns. The orchestration is the single writer,
// so a put is an overwrite; the marker of the previous state is removed after the new one is written (a crash in
// between leaves a stale marker, which readers discard by checking the record's state).
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { JobRecord, JobState } from "../../shared/workflow/jobRecord";

export const recordBlob = (jobId: string): string => `records/${jobId}.json`;
export const indexBlob = (state: string, submittedAt: string, jobId: string): string => `index/${state}/${submittedAt}_${jobId}`;
export const logBlob = (jobId: string, stepId: string, attempt: number): string => `${jobId}/${stepId}/attempt-${attempt}.log`;

/** One index marker: which job, under which state, submitted when. */
export interface JobIndexEntry {
  jobId: string;
  state: string;
  submittedAt: string;
}

export class JobStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  /** Writes the record, then moves its index marker from `previousState` to the record's state. */
  async save(record: JobRecord, previousState?: string): Promise<void> {
    await this.blobs.putJson(this.container, recordBlob(record.id), record);
    if (previousState !== record.state) {
      await this.blobs.putText(this.container, indexBlob(record.state, record.submittedAt, record.id), "");
      if (previousState) await this.blobs.delete(this.container, indexBlob(previousState, record.submittedAt, record.id));
    }
  }

  /** The record, or undefined when the job has written none (yet). */
  async get(jobId: string): Promise<JobRecord | undefined> {
    return (await this.blobs.getJson<JobRecord>(this.container, recordBlob(jobId)))?.value;
  }

  /**
   * Index entries of jobs in any of `states` (every state when empty), oldest submission first; one list call per
   * state (one for all). A job listed under two states (a transition in progress, or a stale marker) appears once,
   * under its newest marker's state; callers confirm the state from the record.
   */
  async list(states: readonly JobState[] = []): Promise<JobIndexEntry[]> {
    const prefixes = states.length === 0 ? ["index/"] : states.map((s) => `index/${s}/`);
    const byId = new Map<string, JobIndexEntry>();
    for (const prefix of prefixes) {
      for (const e of await this.blobs.list(this.container, prefix)) {
        const entry = parseIndexName(e.name);
        if (entry) byId.set(entry.jobId, entry);
      }
    }
    return [...byId.values()].sort((a, b) =>
      a.submittedAt === b.submittedAt ? a.jobId.localeCompare(b.jobId) : a.submittedAt < b.submittedAt ? -1 : 1,
    );
  }
}

function parseIndexName(name: string): JobIndexEntry | undefined {
  const m = /^index\/([^/]+)\/([^_/]+)_([^/]+)$/.exec(name);
  return m ? { state: m[1], submittedAt: m[2], jobId: m[3] } : undefined;
}
