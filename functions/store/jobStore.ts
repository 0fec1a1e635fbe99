// Job records in Blob: `records/<jobId>.json` (the record, written by its orchestration at every transition) and a
// state index `index/<state>/<jobId>` (empty marker blobs) so `GET /jobs?state=X` lists one prefix instead of
// reading every record. The orchestration is the single writer, so a put is an overwrite; the marker of the
// previous state is removed after the new one is written (a crash in between leaves a stale marker that readers
// discard by checking the record's state).
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { JobRecord, JobState } from "../../shared/workflow/jobRecord";

export const recordBlob = (jobId: string): string => `records/${jobId}.json`;
export const indexBlob = (state: string, jobId: string): string => `index/${state}/${jobId}`;
export const logBlob = (jobId: string, stepId: string, attempt: number): string => `${jobId}/${stepId}/attempt-${attempt}.log`;

export class JobStore {
  constructor(private readonly blobs: JobflowBlobStore, private readonly container: string) {}

  async save(record: JobRecord, previousState?: string): Promise<void> {
    await this.blobs.putJson(this.container, recordBlob(record.id), record);
    if (previousState !== record.state) {
      await this.blobs.putText(this.container, indexBlob(record.state, record.id), "");
      if (previousState) await this.blobs.delete(this.container, indexBlob(previousState, record.id));
    }
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    return (await this.blobs.getJson<JobRecord>(this.container, recordBlob(jobId)))?.value;
  }

  /** Job ids currently indexed under `state` (one list call), oldest name first. */
  async idsInState(state: JobState): Promise<string[]> {
    const entries = await this.blobs.list(this.container, `index/${state}/`);
    return entries.map((e) => e.name.slice(`index/${state}/`.length)).sort();
  }

  /** Every job id (lists the records prefix; used when no state filter is given). */
  async allIds(): Promise<string[]> {
    const entries = await this.blobs.list(this.container, "records/");
    return entries.map((e) => e.name.slice("records/".length).replace(/\.json$/, "")).sort();
  }
}
