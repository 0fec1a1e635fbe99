// Finished instances in memory: their history packed (JSON, deflated) and unpacked only when read. Every finished
// instance stays queryable until purged — and nothing purges by default — so a long-running host would otherwise
// hold every job's full history as objects forever (and a restarted one loads them all). A packed record is an
// ordinary InstanceRecord whose `history` is a getter returning a fresh array each time (nothing mutates a
// finished instance's history), so every reader — status with history, getInstance, the store's compaction —
// works unchanged; the store writes a packed record's history from the packed text without rebuilding the objects.
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import type { HistoryEvent, InstanceRecord } from "./types";

const PACKED = Symbol("jobflow.packedHistory");

type Packed = InstanceRecord & { [PACKED]?: Buffer };

/** `record` with its history packed (returned as is when already packed or when the history is empty). */
export function packHistory(record: InstanceRecord): InstanceRecord {
  if ((record as Packed)[PACKED] || record.history.length === 0) return record;
  const bytes = deflateRawSync(JSON.stringify(record.history), { level: constants.Z_BEST_SPEED });
  const { history: _history, ...fields } = record;
  const packed = fields as Packed;
  Object.defineProperty(packed, PACKED, { value: bytes, enumerable: false });
  Object.defineProperty(packed, "history", {
    enumerable: true,
    get: (): HistoryEvent[] => JSON.parse(historyText(bytes)) as HistoryEvent[],
  });
  return packed;
}

export function isPacked(record: InstanceRecord): boolean {
  return (record as Packed)[PACKED] !== undefined;
}

function historyText(bytes: Buffer): string {
  return inflateRawSync(bytes).toString("utf8");
}

/** JSON of a record, as JSON.stringify gives it (a packed history is copied in as text, not rebuilt). */
export function recordJson(record: InstanceRecord): string {
  const bytes = (record as Packed)[PACKED];
  if (!bytes) return JSON.stringify(record);
  const fields: Record<string, unknown> = {}; // every field but the history (reading it would unpack it)
  for (const key of Object.keys(record)) if (key !== "history") fields[key] = record[key as keyof InstanceRecord];
  const head = JSON.stringify(fields).slice(0, -1);
  return `${head}${head === "{" ? "" : ","}"history":${historyText(bytes)}}`;
}
