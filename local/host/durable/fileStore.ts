// FileInstanceStore: one JSON file per instance under `<dataDir>/instances/`, written atomically
// (temp file + fsync + rename + directory fsync). Format documented in README.md.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { InstanceStore } from "./store";
import type { InstanceRecord } from "./types";

export const FILE_STORE_FORMAT_VERSION = 1;

interface StoredFile {
  formatVersion: number;
  record: InstanceRecord;
}

export interface FileInstanceStoreOptions {
  /** Skip fsync (benchmarks only: a crash may then lose the last writes). Default false. */
  unsafeNoFsync?: boolean;
  /** Called before every durable write with a short label (crash-trial instrumentation). */
  beforeWrite?: (label: string) => void;
}

/** Instance ids may hold any character; file names use a readable prefix plus a hash to stay unique and safe. */
export function fileNameForInstance(instanceId: string): string {
  const safe = instanceId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60);
  const hash = createHash("sha256").update(instanceId).digest("hex").slice(0, 16);
  return `${safe}.${hash}.json`;
}

export class FileInstanceStore implements InstanceStore {
  private readonly dir: string;
  private tempCounter = 0;
  private dirReady = false;

  constructor(
    dataDir: string,
    private readonly options: FileInstanceStoreOptions = {},
  ) {
    this.dir = path.join(dataDir, "instances");
  }

  async loadAll(): Promise<InstanceRecord[]> {
    await fs.mkdir(this.dir, { recursive: true });
    const records: InstanceRecord[] = [];
    for (const name of await fs.readdir(this.dir)) {
      const file = path.join(this.dir, name);
      if (name.endsWith(".tmp")) {
        await fs.rm(file, { force: true }); // a write that never reached its rename: the old version stands
        continue;
      }
      if (!name.endsWith(".json")) continue;
      const stored = JSON.parse(await fs.readFile(file, "utf8")) as StoredFile;
      if (stored.formatVersion !== FILE_STORE_FORMAT_VERSION) {
        throw new Error(`${file}: unsupported instance file format ${stored.formatVersion}`);
      }
      records.push(stored.record);
    }
    return records;
  }

  async put(record: InstanceRecord): Promise<void> {
    this.options.beforeWrite?.(`put ${record.instanceId}`);
    if (!this.dirReady) {
      await fs.mkdir(this.dir, { recursive: true });
      this.dirReady = true;
    }
    const target = path.join(this.dir, fileNameForInstance(record.instanceId));
    const temp = `${target}.${process.pid}.${this.tempCounter++}.tmp`;
    const body: StoredFile = { formatVersion: FILE_STORE_FORMAT_VERSION, record };
    const handle = await fs.open(temp, "w");
    try {
      await handle.writeFile(JSON.stringify(body));
      if (!this.options.unsafeNoFsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    if (!this.options.unsafeNoFsync) await this.syncDir();
  }

  async delete(instanceId: string): Promise<void> {
    this.options.beforeWrite?.(`delete ${instanceId}`);
    await fs.rm(path.join(this.dir, fileNameForInstance(instanceId)), { force: true });
    if (!this.options.unsafeNoFsync) await this.syncDir();
  }

  /** The rename itself must be durable before we act on the write (POSIX: fsync the directory). */
  private async syncDir(): Promise<void> {
    const handle = await fs.open(this.dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
