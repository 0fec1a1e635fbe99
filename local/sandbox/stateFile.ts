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
 * One component's state file, saved asynchronously: atomic (temp file + rename, owner-only mode) and serialized,
 * so two overlapping saves cannot interleave and the last one wins.
 */
export class SerializedJsonFile<T> {
  private chain: Promise<void> = Promise.resolve();
  private readonly target: string;
  constructor(dataDir: string, fileName: string) {
    mkdirSync(dataDir, { recursive: true });
    this.target = join(dataDir, fileName);
  }

  save(state: T): Promise<void> {
    const text = JSON.stringify(state);
    const next = this.chain.then(async () => {
      const tmp = `${this.target}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.target);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
