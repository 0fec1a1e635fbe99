// Persistence of sandbox state as small JSON files in the data folder, written atomically (temp file + rename)
// so a process killed mid-write never leaves a torn file behind.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export function readJsonFile<T>(path: string, fallback: T): T {
  if (!existsSync(path)) return fallback;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return fallback;
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1));
  renameSync(tmp, path);
}

/**
 * One component's state file, saved asynchronously: atomic (temp file + rename, owner-only mode) and coalesced —
 * one write at a time, and every save that arrives while a write is in flight is served by the single next write
 * (of the newest state, serialized when that write starts). Under load a component so writes its state as often
 * as the disk allows, not once per change (each write is the whole state: per-change writes were quadratic).
 * The promise of `save(state)` resolves when a write that began after the call is on disk, so awaiting it is a
 * durability barrier ("the change is saved before the reply"), shared by every save in the same batch.
 */
export class SerializedJsonFile<T> {
  private readonly target: string;
  private latest: T | undefined;
  /** Saves requested so far / covered by a finished write. */
  private requested = 0;
  private written = 0;
  private running = false;
  private waiters: { upTo: number; resolve: () => void; reject: (err: unknown) => void }[] = [];

  /**
   * `minIntervalMs`: real milliseconds between the end of one write and the start of the next (default 0). For
   * state saved in the background (nothing waits on it) a pause lets one write carry many more changes.
   */
  constructor(
    dataDir: string,
    fileName: string,
    private readonly minIntervalMs = 0,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.target = join(dataDir, fileName);
  }

  save(state: T): Promise<void> {
    this.latest = state;
    const upTo = ++this.requested;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
    if (!this.running) {
      this.running = true;
      void this.writeLoop();
    }
    return done;
  }

  private async writeLoop(): Promise<void> {
    try {
      let wrote = false;
      while (this.written < this.requested) {
        if (wrote && this.minIntervalMs > 0) await new Promise((resolve) => setTimeout(resolve, this.minIntervalMs));
        wrote = true;
        const upTo = this.requested;
        let failure: unknown;
        try {
          const text = JSON.stringify(this.latest);
          const tmp = `${this.target}.${process.pid}.tmp`;
          await writeFile(tmp, text, { mode: 0o600 });
          await rename(tmp, this.target);
        } catch (err) {
          failure = err ?? new Error("state file write failed"); // the next save() tries again
        }
        this.written = upTo;
        const settled = this.waiters.filter((w) => w.upTo <= upTo);
        this.waiters = this.waiters.filter((w) => w.upTo > upTo);
        for (const w of settled) {
          if (failure === undefined) w.resolve();
          else w.reject(failure);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
