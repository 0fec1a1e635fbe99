// Line format of the FileInstanceStore's journal and snapshots: `<crc32 hex8> <json>\n` per entry, so a line torn
// by a kill mid-append is recognised (bad checksum or no newline) and dropped, and folding entries in order
// rebuilds every instance record. Entries: "f" a full record, "d" a delta (history events appended to the
// instance's stored history + its other fields except input), "x" a deletion.
import { crc32 } from "node:zlib";
import { recordJson } from "./packedHistory";
import type { HistoryEvent, InstanceRecord } from "./types";

export type DeltaFields = Omit<InstanceRecord, "instanceId" | "executionId" | "input" | "history">;

export type JournalEntry =
  { k: "f"; r: InstanceRecord } | { k: "d"; id: string; x: string; n: number; h: HistoryEvent[]; f: DeltaFields } | { k: "x"; id: string };

export function encodeLine(entry: JournalEntry): string {
  const json = entry.k === "f" ? `{"k":"f","r":${recordJson(entry.r)}}` : JSON.stringify(entry);
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/**
 * The entries of a journal's text and the byte length of its valid prefix. Only the last line may be invalid
 * (a torn append: it was never acknowledged); an invalid line before a valid one is corruption and throws.
 */
export function decodeLines(text: string, label: string): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let validBytes = 0;
  let start = 0;
  for (let lineNo = 1; start < text.length; lineNo++) {
    const end = text.indexOf("\n", start);
    const line = end < 0 ? undefined : text.slice(start, end);
    const json = line?.slice(9);
    const ok =
      line !== undefined && json !== undefined && line[8] === " " && crc32(json).toString(16).padStart(8, "0") === line.slice(0, 8);
    if (!ok) {
      if (end < 0 || text.indexOf("\n", end + 1) < 0) break; // the torn last line
      throw new Error(`${label}: line ${lineNo} is corrupt (checksum mismatch) and is not the last line`);
    }
    entries.push(JSON.parse(json) as JournalEntry);
    validBytes += Buffer.byteLength(line) + 1;
    start = end + 1;
  }
  return { entries, validBytes };
}

/** Applies one entry to `records` (id → record). A delta must continue the stored execution's history exactly. */
export function foldEntry(records: Map<string, InstanceRecord>, entry: JournalEntry): void {
  if (entry.k === "f") {
    records.set(entry.r.instanceId, entry.r);
    return;
  }
  if (entry.k === "x") {
    records.delete(entry.id);
    return;
  }
  const prev = records.get(entry.id);
  if (!prev || prev.executionId !== entry.x || prev.history.length !== entry.n) {
    throw new Error(
      `journal: the delta for '${entry.id}' does not continue its stored record (history ${prev?.history.length ?? "none"}, expected ${entry.n})`,
    );
  }
  const history = prev.history;
  for (const e of entry.h) history.push(e); // the fold owns these records: append in place, no copy per delta
  records.set(entry.id, { instanceId: entry.id, executionId: entry.x, input: prev.input, history, ...entry.f });
}
