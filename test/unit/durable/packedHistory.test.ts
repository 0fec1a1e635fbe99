// Finished instances keep their history packed: reading it gives the same events (a fresh array each time), the
// journal line of a packed record is the same record, and an engine's finished instances are packed (also after
// a restart) while their status, history and the store's compaction stay as before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { historyEvent } from "../../../local/host/durable/events";
import { decodeLines, encodeLine } from "../../../local/host/durable/fileJournal";
import { FileInstanceStore } from "../../../local/host/durable/fileStore";
import { isPacked, packHistory, recordJson } from "../../../local/host/durable/packedHistory";
import { EventType, type InstanceRecord } from "../../../local/host/durable/types";
import { makeEngine } from "./helpers";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function finished(id: string): InstanceRecord {
  return {
    instanceId: id,
    name: "Orch",
    executionId: "x1",
    input: '{"a":1}',
    output: '"done"',
    customStatus: null,
    runtimeStatus: "Completed",
    createdTimeMs: 1,
    lastUpdatedTimeMs: 2,
    parent: { instanceId: "p", executionId: "px", taskScheduledId: 3 },
    history: [
      historyEvent(EventType.OrchestratorStarted, 1),
      historyEvent(EventType.ExecutionStarted, 1, { Name: "Orch", Input: '{"a":1}' }),
      historyEvent(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"é \\u2028 \\"q\\""' }),
    ],
    inbox: [],
  };
}

describe("packHistory", () => {
  it("keeps every field, unpacks the same history on each read (a fresh array), and encodes like the record", () => {
    const plain = finished("a");
    const packed = packHistory(plain);
    expect(isPacked(packed)).toBe(true);
    expect(packed.history).toEqual(plain.history);
    expect(packed.history).not.toBe(packed.history);
    expect({ ...packed }).toEqual(plain);
    expect(JSON.parse(recordJson(packed))).toEqual(plain);
    expect(recordJson(plain)).toBe(JSON.stringify(plain));
    const { entries } = decodeLines(encodeLine({ k: "f", r: packed }), "test");
    expect(entries).toEqual([{ k: "f", r: plain }]);
    expect(packHistory(packed)).toBe(packed);
  });

  it("a file store compacts packed records it was handed back to the same records", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "packed-"));
    dirs.push(dir);
    const store = new FileInstanceStore(dir, { compactAfterBytes: 1_000 });
    await store.loadAll();
    const plain = ["a", "b", "c"].map(finished);
    for (const r of plain) {
      await store.put(r);
      store.replaceHeld(packHistory(r));
    }
    for (let i = 0; i < 5; i++) await store.put({ ...finished(`running-${i}`), runtimeStatus: "Running" }); // compactions
    await store.close();
    const loaded = new Map((await new FileInstanceStore(dir).loadAll()).map((r) => [r.instanceId, r]));
    for (const r of plain) expect(loaded.get(r.instanceId)).toEqual(r);
  });
});

describe("engine: finished instances", () => {
  it("are held packed, with their history, output and status unchanged", async () => {
    const t = await makeEngine(
      {
        Twice: function* (context) {
          const a = (yield context.df.callActivity("Echo", "x")) as string;
          return `${a}${(yield context.df.callActivity("Echo", "y")) as string}`;
        },
      },
      { Echo: (input) => input },
    );
    await t.engine.startNew("Twice", { instanceId: "i1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("i1") as InstanceRecord;
    expect(rec.runtimeStatus).toBe("Completed");
    expect(isPacked(rec)).toBe(true);
    expect(JSON.parse(rec.output as string)).toBe("xy");
    expect(rec.history.map((e) => e.EventType).at(-1)).toBe(EventType.ExecutionCompleted);
    expect(rec.history.filter((e) => e.EventType === EventType.TaskCompleted)).toHaveLength(2);
  });
});
