// Reaper audit records in Blob (config.containers.audit): one JSON blob per audited decision, named so that Blob's
// name order is newest first (inverted timestamp), which makes `GET /reaper/decisions` a prefix listing; plus one
// small blob with each cluster's last audited decision key (a kept cluster is audited only when that changes).
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { ReaperDecision } from "../../shared/policies/reaperRules";

export type ReaperOutcome = "kept" | "reapRequested" | "deleteRequested" | "wouldDelete" | "failed";

export interface ReaperAuditRecord extends ReaperDecision {
  runId: string;
  decidedAt: string;
  /** What the reaper did: kept, asked the cluster orchestration to reap, deleted directly, dry run, or failed. */
  outcome: ReaperOutcome;
  error?: string;
}

const PREFIX = "reaper/decisions/";
/** Per cluster, the auditKey of its last audited decision (one blob, read and written once per run). */
const LAST_KEYS = "reaper/state/last-audited.json";
const MAX_MS = 9_999_999_999_999;

export function auditBlobName(decidedAtMs: number, runId: string, clusterName: string): string {
  return `${PREFIX}${String(MAX_MS - decidedAtMs).padStart(13, "0")}-${runId}-${clusterName}.json`;
}

export class ReaperAuditStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  /** Writes one record (overwrites the same run's record for the cluster: idempotent on retry). */
  async put(record: ReaperAuditRecord): Promise<void> {
    await this.blobs.putJson(this.container, auditBlobName(Date.parse(record.decidedAt), record.runId, record.clusterName), record);
  }

  /** Cluster name → auditKey of the last audited decision (empty before the first run). Read-only. */
  async lastKeys(): Promise<Record<string, string>> {
    return (await this.blobs.getJson<Record<string, string>>(this.container, LAST_KEYS))?.value ?? {};
  }

  /** Replaces the last-audited keys (clusters no longer listed are simply absent). */
  async saveLastKeys(keys: Record<string, string>): Promise<void> {
    await this.blobs.putJson(this.container, LAST_KEYS, keys);
  }

  /** Blob names of every record, newest first; `clusterName` keeps only that cluster's. Read-only. */
  async names(clusterName?: string): Promise<string[]> {
    const entries = await this.blobs.list(this.container, PREFIX);
    const names = entries.map((e) => e.name);
    return clusterName ? names.filter((n) => n.endsWith(`-${clusterName}.json`)) : names;
  }

  /** The records behind `names`, in the same order (a record deleted meanwhile is left out). Read-only. */
  async get(names: readonly string[]): Promise<ReaperAuditRecord[]> {
    const found = await Promise.all(names.map((n) => this.blobs.getJson<ReaperAuditRecord>(this.container, n)));
    return found.filter((f) => f !== undefined).map((f) => f.value);
  }
}
