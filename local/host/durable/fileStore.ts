// FileInstanceStore: every instance in one append-only journal under `<dataDir>/instances/` with group commit —
// the puts of many instances that arrive while a write is in flight go out together in the next write and share
// one fsync. A put appends only what changed: the history events added since the instance's last write plus its
// small mutable fields (status, inbox, output…); a full record only for a new instance or execution. When the
// journal outgrows the last snapshot, it is compacted into a new snapshot (one full record per live instance),
// written from the records the journal holds (the store references the last written record of each instance, the
// objects the engine holds anyway) — never by reading the files back. Format and crash reasoning in README.md.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { decodeLines, encodeLine, foldEntry, type JournalEntry } from "./fileJournal";
import type { InstanceStore } from "./store";
import type { HistoryEvent, InstanceRecord } from "./types";

export const FILE_STORE_FORMAT_VERSION = 2;

export interface FileInstanceStoreOptions {
  /** Skip fsync (benchmarks only: a crash may then lose the last writes). Default false. */
  unsafeNoFsync?: boolean;
  /** Called before every durable write with a short label (crash-trial instrumentation). */
  beforeWrite?: (label: string) => void;
  /** Journal size that triggers compaction, on top of twice the last snapshot's size (default 16 MiB). */
  compactAfterBytes?: number;
}

/** What the store remembers per instance to write deltas: execution, history length, last event (identity). */
interface Tracked {
  executionId: string;
  historyLength: number;
  last: HistoryEvent | undefined;
}

interface Pending {
  line: string;
  /** What the line stores: an instance's record, or the id of a deleted instance. */
  record?: InstanceRecord;
  deletedId?: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const snapshotName = (gen: number): string => `snapshot.${gen}.log`;
const journalName = (gen: number): string => `journal.${gen}.log`;

export class FileInstanceStore implements InstanceStore {
  private readonly dir: string;
  private readonly tracked = new Map<string, Tracked>();
  /**
   * The record each instance has in the files (snapshot + journal) — updated when its line is written, so a
   * compaction right after a write folds exactly what is durable. References, not copies: records are immutable.
   */
  private readonly written = new Map<string, InstanceRecord>();
  private gen = 0;
  private journal: fs.FileHandle | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private opened: Promise<InstanceRecord[]> | undefined;
  private pending: Pending[] = [];
  private flushing = false;
  private broken: unknown;
  private commits = 0;

  constructor(
    dataDir: string,
    private readonly options: FileInstanceStoreOptions = {},
  ) {
    this.dir = path.join(dataDir, "instances");
  }

  loadAll(): Promise<InstanceRecord[]> {
    this.opened ??= this.open();
    return this.opened;
  }

  async put(record: InstanceRecord): Promise<void> {
    this.options.beforeWrite?.(`put ${record.instanceId}`);
    await this.loadAll();
    const known = this.tracked.get(record.instanceId);
    const n = known?.historyLength ?? 0;
    const extends_ =
      known !== undefined &&
      known.executionId === record.executionId &&
      record.history.length >= n &&
      (n === 0 || record.history[n - 1] === known.last);
    let entry: JournalEntry;
    if (extends_) {
      const { instanceId, executionId, input: _input, history, ...fields } = record;
      entry = { k: "d", id: instanceId, x: executionId, n, h: history.slice(n), f: fields };
    } else {
      entry = { k: "f", r: record };
    }
    this.track(record);
    return this.enqueue({ line: encodeLine(entry), record });
  }

  async delete(instanceId: string): Promise<void> {
    this.options.beforeWrite?.(`delete ${instanceId}`);
    await this.loadAll();
    this.tracked.delete(instanceId);
    return this.enqueue({ line: encodeLine({ k: "x", id: instanceId }), deletedId: instanceId });
  }

  replaceHeld(record: InstanceRecord): void {
    if (this.written.has(record.instanceId) && !this.pending.some((p) => p.record?.instanceId === record.instanceId)) {
      this.written.set(record.instanceId, record);
    }
  }

  private track(record: InstanceRecord): void {
    this.tracked.set(record.instanceId, {
      executionId: record.executionId,
      historyLength: record.history.length,
      last: record.history[record.history.length - 1],
    });
  }

  /** Finds the newest complete snapshot, folds it and its journal, removes leftovers, migrates format 1 files. */
  private async open(): Promise<InstanceRecord[]> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir);
    const gens = names
      .map((n) => /^snapshot\.(\d+)\.log$/.exec(n))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    this.gen = gens.length > 0 ? Math.max(...gens) : 0;
    const records = new Map<string, InstanceRecord>();
    const legacy = names.filter((n) => n.endsWith(".json"));
    for (const name of legacy) {
      const stored = JSON.parse(await fs.readFile(path.join(this.dir, name), "utf8")) as { formatVersion: number; record: InstanceRecord };
      if (stored.formatVersion !== 1)
        throw new Error(`${path.join(this.dir, name)}: unsupported instance file format ${stored.formatVersion}`);
      records.set(stored.record.instanceId, stored.record);
    }
    if (gens.length > 0) {
      const text = await fs.readFile(path.join(this.dir, snapshotName(this.gen)), "utf8");
      this.snapshotBytes = text.length;
      const { entries, validBytes } = decodeLines(text, `${snapshotName(this.gen)}`);
      if (validBytes !== Buffer.byteLength(text)) throw new Error(`${path.join(this.dir, snapshotName(this.gen))}: truncated snapshot`);
      for (const e of entries) foldEntry(records, e);
    }
    const journalPath = path.join(this.dir, journalName(this.gen));
    const journalText = await fs.readFile(journalPath, "utf8").catch(() => "");
    const { entries, validBytes } = decodeLines(journalText, journalName(this.gen));
    for (const e of entries) foldEntry(records, e);
    for (const name of names) {
      const stale =
        name.endsWith(".tmp") ||
        (/^(snapshot|journal)\.\d+\.log$/.test(name) && name !== snapshotName(this.gen) && name !== journalName(this.gen));
      if (stale) await fs.rm(path.join(this.dir, name), { force: true });
    }
    for (const r of records.values()) {
      this.track(r);
      this.written.set(r.instanceId, r);
    }
    this.journal = await fs.open(journalPath, "a+");
    if (validBytes !== (await this.journal.stat()).size) await this.journal.truncate(validBytes); // a torn, never-acknowledged tail
    this.journalBytes = validBytes;
    await this.syncDir();
    if (legacy.length > 0) {
      await this.compact(records.values());
      for (const name of legacy) await fs.rm(path.join(this.dir, name), { force: true });
    }
    return [...records.values()];
  }

  private enqueue(what: { line: string; record?: InstanceRecord; deletedId?: string }): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ ...what, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        queueMicrotask(() => void this.flushLoop());
      }
    });
  }

  /** Group commit: one write + one fsync for every put that queued up meanwhile. */
  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          await this.writeBatch(batch.map((p) => p.line).join(""));
        } catch (err) {
          this.broken = err; // the journal's tail is unknown now: refuse further writes rather than corrupt it
          for (const p of [...batch, ...this.pending.splice(0)]) p.reject(err);
          return;
        }
        for (const p of batch) {
          if (p.record) this.written.set(p.record.instanceId, p.record);
          else if (p.deletedId !== undefined) this.written.delete(p.deletedId);
        }
        for (const p of batch) p.resolve();
        if (this.journalBytes > (this.options.compactAfterBytes ?? 16 * 2 ** 20) + 2 * this.snapshotBytes) {
          await this.compact(this.written.values()); // what the files hold now; later puts wait in `pending`
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeBatch(text: string): Promise<void> {
    const journal = this.journal as fs.FileHandle;
    const buffer = Buffer.from(text);
    const commit = ++this.commits;
    this.options.beforeWrite?.(`commit ${commit}`);
    // Written in two halves around a crash point, so the trials also kill mid-append (a torn tail).
    const half = this.options.beforeWrite ? Math.floor(buffer.length / 2) : buffer.length;
    await journal.write(buffer, 0, half);
    if (half < buffer.length) {
      this.options.beforeWrite?.(`commit ${commit} (half written)`);
      await journal.write(buffer, half, buffer.length - half);
    }
    if (!this.options.unsafeNoFsync) await journal.datasync();
    this.journalBytes += buffer.length;
  }

  /** Writes snapshot gen+1 (temp, fsync, rename, dir fsync), then starts journal gen+1 and drops gen's files. */
  private async compact(records: Iterable<InstanceRecord>): Promise<void> {
    const next = this.gen + 1;
    const target = path.join(this.dir, snapshotName(next));
    const tmp = `${target}.tmp`;
    const handle = await fs.open(tmp, "w");
    let bytes = 0;
    try {
      let chunk: string[] = [];
      let chunkBytes = 0;
      for (const r of records) {
        const line = encodeLine({ k: "f", r });
        chunk.push(line);
        chunkBytes += line.length;
        if (chunkBytes >= 2 ** 20) {
          const text = chunk.join("");
          bytes += text.length;
          await handle.write(text);
          chunk = [];
          chunkBytes = 0;
        }
      }
      const text = chunk.join("");
      bytes += text.length;
      await handle.write(text);
      if (!this.options.unsafeNoFsync) await handle.sync();
    } finally {
      await handle.close();
    }
    this.options.beforeWrite?.(`snapshot ${next}`);
    await fs.rename(tmp, target); // from here on, gen's snapshot and journal are folded into this one
    const newJournal = await fs.open(path.join(this.dir, journalName(next)), "a+");
    await this.syncDir();
    const old = this.gen;
    await this.journal?.close();
    this.journal = newJournal;
    this.gen = next;
    this.journalBytes = 0;
    this.snapshotBytes = bytes;
    await fs.rm(path.join(this.dir, journalName(old)), { force: true });
    await fs.rm(path.join(this.dir, snapshotName(old)), { force: true });
  }

  /** Closes the journal (the engine calls nothing after its last put; tests and tools may). */
  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setImmediate(r));
    await this.journal?.close();
    this.journal = undefined;
  }

  /** A new file or rename must be durable before we act on it (POSIX: fsync the directory). */
  private async syncDir(): Promise<void> {
    if (this.options.unsafeNoFsync) return;
    const handle = await fs.open(this.dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
