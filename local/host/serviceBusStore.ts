// Durable state of the in-process Service Bus under `dataDir/servicebus/`: a snapshot (`state.json`, replaced
// atomically by write + rename) plus an append-only journal of the changes made since (`journal.<gen>.log`, one
// JSON line per change, written synchronously so a killed host loses nothing it acknowledged). A change costs one
// small append instead of rewriting every queue and topic log; when the journal has grown past its limit the
// emulator writes a fresh snapshot (settled messages are simply absent from it) and starts the next journal.
// Locked messages are stored with their incremented deliveryCount and come back as available (their lock died with
// the process), as Service Bus redelivers a message whose lock expired. A torn last line (killed mid-append) is
// ignored: the change it carried was never acknowledged.
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import * as path from "node:path";
import type { ServiceBusMessageRecord } from "./serviceBusMessages";

export const SERVICE_BUS_FORMAT_VERSION = 2;

export interface BusSnapshot {
  formatVersion: number;
  sequence: number;
  /** Generation of the journal that continues this snapshot (format 2). */
  journal?: number;
  /** Per entity (queue or `topic/Subscriptions/name`): messages in delivery order, dead letters. */
  entities: { name: string; messages: ServiceBusMessageRecord[]; deadLetters: ServiceBusMessageRecord[] }[];
  topics: { name: string; messages: ServiceBusMessageRecord[] }[];
}

/** One change, as journaled. Messages are identified by entity + sequenceNumber. */
export type BusChange =
  | { op: "add"; entity: string; message: ServiceBusMessageRecord }
  | { op: "publish"; topic: string; entities: string[]; message: ServiceBusMessageRecord }
  | { op: "delivery"; entity: string; seq: number; deliveryCount: number }
  | { op: "complete"; entity: string; seq: number }
  | { op: "deadLetter"; entity: string; seq: number; reason: string; description?: string };

// Buffers do not survive JSON: store them as {"$base64": "…"}.
const replacer = (_key: string, value: unknown): unknown => {
  if (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "Buffer" &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return { $base64: Buffer.from((value as { data: number[] }).data).toString("base64") };
  }
  return value;
};
const reviver = (_key: string, value: unknown): unknown => {
  if (typeof value === "object" && value !== null && typeof (value as { $base64?: unknown }).$base64 === "string") {
    return Buffer.from((value as { $base64: string }).$base64, "base64");
  }
  return value;
};

export function busStateFile(dataDir: string): string {
  return path.join(dataDir, "servicebus", "state.json");
}

const journalFile = (stateFile: string, gen: number): string => path.join(path.dirname(stateFile), `journal.${gen}.log`);

/** Reads the snapshot; undefined when there is none yet. Throws on a file of an unknown format version. */
export function loadBusSnapshot(file: string): BusSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const snapshot = JSON.parse(text, reviver) as BusSnapshot;
  if (snapshot.formatVersion !== SERVICE_BUS_FORMAT_VERSION && snapshot.formatVersion !== 1) {
    throw new Error(
      `${file}: Service Bus state format ${snapshot.formatVersion} is not supported (expected ${SERVICE_BUS_FORMAT_VERSION}).`,
    );
  }
  return snapshot;
}

/** The changes journaled after `snapshot`, in order; a torn final line is dropped. */
export function loadBusJournal(stateFile: string, snapshot: BusSnapshot | undefined): BusChange[] {
  const file = journalFile(stateFile, snapshot?.journal ?? 0);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  const changes: BusChange[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    try {
      changes.push(JSON.parse(lines[i] as string, reviver) as BusChange);
    } catch (err) {
      if (i >= lines.length - 2) break; // the append a kill interrupted: never acknowledged
      throw new Error(`${file}: line ${i + 1} is not valid JSON (${(err as Error).message})`);
    }
  }
  return changes;
}

/**
 * The writer: `append` journals one change (synchronously: when it returns, a process kill no longer loses it);
 * `snapshot` replaces the state file with a full snapshot and starts a new, empty journal.
 */
export class BusJournal {
  private fd: number | undefined;
  private gen: number;
  /** Bytes appended to the current journal. */
  bytes = 0;

  constructor(
    private readonly stateFile: string,
    snapshot: BusSnapshot | undefined,
  ) {
    mkdirSync(path.dirname(stateFile), { recursive: true });
    this.gen = snapshot?.formatVersion === SERVICE_BUS_FORMAT_VERSION ? (snapshot.journal ?? 0) : 0;
    // Journals of other generations are leftovers of an interrupted snapshot switch (already folded in, or stale).
    for (const name of readdirSync(path.dirname(stateFile))) {
      if (/^journal\.\d+\.log$/.test(name) && name !== `journal.${this.gen}.log`)
        rmSync(path.join(path.dirname(stateFile), name), { force: true });
    }
  }

  append(change: BusChange): void {
    const fd = this.fd ?? this.open();
    const line = JSON.stringify(change, replacer) + "\n";
    writeSync(fd, line);
    this.bytes += line.length;
  }

  /** Writes `snapshot` (it must hold every journaled change) and switches to the next journal generation. */
  snapshot(snapshot: Omit<BusSnapshot, "formatVersion" | "journal">): number {
    const next = this.gen + 1;
    const tmp = `${this.stateFile}.tmp`;
    const text = JSON.stringify({ formatVersion: SERVICE_BUS_FORMAT_VERSION, journal: next, ...snapshot }, replacer);
    writeFileSync(tmp, text);
    renameSync(tmp, this.stateFile); // from here on the old journal is folded in
    this.close();
    rmSync(journalFile(this.stateFile, this.gen), { force: true });
    this.gen = next;
    this.bytes = 0;
    return text.length;
  }

  /** Opens the journal for appending; a torn last line of a killed run is cut off first (it was never acknowledged). */
  private open(): number {
    const fd = openSync(journalFile(this.stateFile, this.gen), "a+");
    let size = fstatSync(fd).size;
    if (size > 0) {
      const text = Buffer.alloc(Math.min(size, 1 << 20));
      readSync(fd, text, 0, text.length, size - text.length);
      const lastNewline = text.lastIndexOf(0x0a);
      if (lastNewline !== text.length - 1) {
        size = lastNewline < 0 ? size - text.length : size - text.length + lastNewline + 1;
        ftruncateSync(fd, size);
      }
    }
    this.fd = fd;
    this.bytes = size;
    return fd;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
