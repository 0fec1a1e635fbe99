// FileInstanceStore (journal + group commit + snapshots) on a temp folder: concurrent puts share one commit,
// a put writes only the new history events, compaction keeps exactly the live records, a torn tail is cut off,
// a corrupt line in the middle is refused, and format-1 files (one JSON per instance) are migrated.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { historyEvent } from "../../../local/host/durable/events";
import { FileInstanceStore } from "../../../local/host/durable/fileStore";
import { EventType, type InstanceRecord } from "../../../local/host/durable/types";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), "filestore-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function record(id: string, events: number, fields: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId: id,
    name: "Orch",
    executionId: "e1",
    input: JSON.stringify({ big: "x".repeat(2000) }),
    output: null,
    customStatus: null,
    runtimeStatus: "Running",
    createdTimeMs: 1,
    lastUpdatedTimeMs: 1,
    inbox: [],
    history: Array.from({ length: events }, (_, i) => historyEvent(EventType.TaskScheduled, 1000 + i, { EventId: i, Name: "Step" })),
    ...fields,
  };
}
/** The next version of `r`, as the engine makes it: same history prefix (same event objects) plus `more` events. */
function grow(r: InstanceRecord, more: number): InstanceRecord {
  const n = r.history.length;
  return {
    ...r,
    lastUpdatedTimeMs: r.lastUpdatedTimeMs + 1,
    history: [
      ...r.history,
      ...Array.from({ length: more }, (_, i) => historyEvent(EventType.TaskScheduled, 2000 + n + i, { EventId: n + i, Name: "Step" })),
    ],
  };
}
const journalOf = (dir: string): string => {
  const name = readdirSync(path.join(dir, "instances")).find((n) => n.startsWith("journal.")) as string;
  return path.join(dir, "instances", name);
};

describe("FileInstanceStore", () => {
  it("commits concurrent puts of many instances together and reads them back", async () => {
    const dir = tempDir();
    const labels: string[] = [];
    const store = new FileInstanceStore(dir, { beforeWrite: (l) => labels.push(l) });
    await store.loadAll();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(record(`i${i}`, 3))));
    expect(labels.filter((l) => l.startsWith("put "))).toHaveLength(20);
    expect(labels.filter((l) => /^commit \d+$/.test(l))).toHaveLength(1); // one write + one fsync for all 20
    await store.close();
    const loaded = await new FileInstanceStore(dir).loadAll();
    expect(loaded.map((r) => r.instanceId).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `i${i}`).sort());
    expect(loaded.find((r) => r.instanceId === "i7")).toEqual(record("i7", 3));
  });

  it("appends only the new history events of a known execution; a new execution is written whole", async () => {
    const dir = tempDir();
    const store = new FileInstanceStore(dir);
    await store.loadAll();
    let r = record("a", 50);
    await store.put(r);
    const afterFull = statSync(journalOf(dir)).size;
    r = grow(r, 1);
    await store.put(r);
    const delta = statSync(journalOf(dir)).size - afterFull;
    expect(delta).toBeLessThan(afterFull / 5); // neither the 50 old events nor the input again
    const next: InstanceRecord = {
      ...r,
      executionId: "e2",
      history: [],
      output: null,
      inbox: [{ event: historyEvent(EventType.ExecutionStarted, 5) }],
    };
    await store.put(next);
    const final = grow({ ...next, customStatus: '"done"', runtimeStatus: "Completed" }, 2);
    await store.put(final);
    await store.delete("gone");
    await store.close();
    expect(await new FileInstanceStore(dir).loadAll()).toEqual([final]);
  });

  it("compacts the journal into a snapshot holding exactly the live records", async () => {
    const dir = tempDir();
    const store = new FileInstanceStore(dir, { compactAfterBytes: 20_000 });
    await store.loadAll();
    const live = new Map<string, InstanceRecord>();
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        ["a", "b", "c"].map((id) => {
          const next = live.has(id) ? grow(live.get(id) as InstanceRecord, 2) : record(id, 2);
          live.set(id, next);
          return store.put(next);
        }),
      );
      if (round === 10) {
        await store.delete("b");
        live.delete("b");
      }
    }
    await store.close();
    const files = readdirSync(path.join(dir, "instances"));
    expect(files.some((n) => /^snapshot\.\d+\.log$/.test(n))).toBe(true);
    expect(files.filter((n) => n.startsWith("journal."))).toHaveLength(1);
    expect(statSync(journalOf(dir)).size).toBeLessThan(60_000);
    const loaded = await new FileInstanceStore(dir).loadAll();
    expect(new Map(loaded.map((r) => [r.instanceId, r]))).toEqual(live);
  });

  it("compacts from the written records while puts keep arriving (no read-back), across reopenings", async () => {
    const dir = tempDir();
    const live = new Map<string, InstanceRecord>();
    const ids = Array.from({ length: 8 }, (_, i) => `i${i}`);
    for (let session = 0; session < 2; session++) {
      const store = new FileInstanceStore(dir, { compactAfterBytes: 8_000 });
      const reloaded = await store.loadAll();
      expect(new Map(reloaded.map((r) => [r.instanceId, r]))).toEqual(live);
      for (const r of reloaded) live.set(r.instanceId, r); // the store's own objects: puts write deltas again
      const inFlight: Promise<void>[] = [];
      for (let round = 0; round < 40; round++) {
        for (const id of ids) {
          const prev = live.get(id);
          const next = prev ? grow(prev, 1) : record(id, 1);
          live.set(id, next);
          inFlight.push(store.put(next)); // not awaited: puts queue up while batches and compactions run
        }
        if (round === 20 && session === 1) {
          inFlight.push(store.delete("i3"));
          live.delete("i3");
        }
        if (round % 7 === 0) await Promise.all(inFlight.splice(0));
      }
      await Promise.all(inFlight);
      await store.close();
      expect(readdirSync(path.join(dir, "instances")).filter((n) => n.startsWith("snapshot.")).length).toBe(1);
    }
    const loaded = await new FileInstanceStore(dir).loadAll();
    expect(new Map(loaded.map((r) => [r.instanceId, r]))).toEqual(live);
  });

  it("cuts off a torn last line (killed mid-append) and keeps appending after it", async () => {
    const dir = tempDir();
    const store = new FileInstanceStore(dir);
    await store.loadAll();
    await store.put(record("a", 2));
    await store.close();
    appendFileSync(journalOf(dir), '0badc0de {"k":"f","r":{"instanceId":"b"'); // no newline: torn
    const reopened = new FileInstanceStore(dir);
    expect((await reopened.loadAll()).map((r) => r.instanceId)).toEqual(["a"]);
    await reopened.put(record("c", 1));
    await reopened.close();
    expect((await new FileInstanceStore(dir).loadAll()).map((r) => r.instanceId).sort()).toEqual(["a", "c"]);
  });

  it("refuses a journal with a corrupt line before valid ones", async () => {
    const dir = tempDir();
    const store = new FileInstanceStore(dir);
    await store.loadAll();
    await store.put(record("a", 2));
    await store.put(record("b", 2));
    await store.close();
    const file = journalOf(dir);
    writeFileSync(file, readFileSync(file, "utf8").replace('"instanceId":"a"', '"instanceId":"z"'));
    await expect(new FileInstanceStore(dir).loadAll()).rejects.toThrow(/line 1 is corrupt/);
  });

  it("migrates format-1 instance files into a snapshot", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "instances"), { recursive: true });
    const old = record("legacy", 4);
    writeFileSync(path.join(dir, "instances", "legacy.0123456789abcdef.json"), JSON.stringify({ formatVersion: 1, record: old }));
    const store = new FileInstanceStore(dir);
    expect(await store.loadAll()).toEqual([old]);
    await store.put(grow(old, 1));
    await store.close();
    expect(readdirSync(path.join(dir, "instances")).some((n) => n.endsWith(".json"))).toBe(false);
    expect(await new FileInstanceStore(dir).loadAll()).toEqual([grow(old, 1)]);
  });
});
