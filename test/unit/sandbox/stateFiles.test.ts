// The sandbox's state files under load: saves are coalesced (one write in flight, the next one serves every save
// that arrived meanwhile, with the newest state), a save's promise is a durability barrier, a failed write
// rejects only the saves it served; the cluster store finds clusters by name and sweeps deleted ones without a
// scan per request, and what it saved is what a restarted sandbox reads.
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { ClusterStore, clusterKey, type ClusterRecord } from "../../../local/sandbox/hdinsight/clusterStore";
import { SerializedJsonFile } from "../../../local/sandbox/stateFile";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "jobflow-statefile-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("SerializedJsonFile", () => {
  it("coalesces saves made while a write is in flight into one write of the newest state", async () => {
    const dir = tempDir();
    const file = new SerializedJsonFile<{ n: number }>(dir, "s.json");
    let serialized = 0;
    const state = (n: number): { n: number; toJSON(): { n: number } } => ({
      n,
      toJSON() {
        serialized++;
        return { n };
      },
    });
    const saves = Array.from({ length: 50 }, (_, i) => file.save(state(i)));
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ n: 49 });
    expect(serialized).toBeLessThanOrEqual(2); // the first save's write, then one for the other 49
  });

  it("resolves a save only when a write begun after it is on disk", async () => {
    const dir = tempDir();
    const file = new SerializedJsonFile<{ v: string }>(dir, "s.json");
    const first = file.save({ v: "a" });
    const second = file.save({ v: "b" });
    await second;
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ v: "b" });
    await first;
  });

  it("with a pause between writes, saves made meanwhile are all served by the next write", async () => {
    const dir = tempDir();
    const file = new SerializedJsonFile<{ n: number }>(dir, "s.json", 50);
    await file.save({ n: 0 });
    const saves = [file.save({ n: 1 })];
    for (let n = 2; n <= 5; n++) {
      await new Promise((r) => setImmediate(r));
      saves.push(file.save({ n }));
    }
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ n: 5 });
  });

  it("rejects the saves a failed write served and writes again on the next save", async () => {
    const dir = tempDir();
    const file = new SerializedJsonFile<unknown>(dir, "s.json");
    const bad = {
      toJSON: () => {
        throw new Error("disk on fire");
      },
    };
    await expect(file.save(bad)).rejects.toThrow("disk on fire");
    await file.save({ ok: true });
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ ok: true });
  });
});

function cluster(name: string, nowMs: number): ClusterRecord {
  return {
    subscriptionId: "sub",
    resourceGroup: "rg",
    name,
    location: "westeurope",
    tags: {},
    properties: {},
    clusterVersion: "5.1",
    kind: "spark",
    gatewayUsername: "admin",
    gatewayPassword: "secret-password",
    nodeCount: 3,
    etag: "e",
    clusterId: name,
    createOperationId: `op-${name}`,
    timeline: { createdAtMs: nowMs, provisioningDurationMs: 60_000 },
  };
}

describe("ClusterStore", () => {
  it("finds clusters by name (any case), sweeps a deleted one when its delete completes, and persists", async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const clock = new VirtualClock({ mode: "manual", startMs: 1_000_000 });
    const goneNames: string[] = [];
    const store = new ClusterStore(clock, dir, (n) => goneNames.push(n));
    for (const name of ["Alpha", "beta", "gamma"]) {
      const c = cluster(name, clock.nowMs());
      store.add(c, { id: c.createOperationId, kind: "create", clusterKey: clusterKey("sub", "rg", name), startedAtMs: clock.nowMs() });
    }
    expect(store.findByName("ALPHA")?.name).toBe("Alpha");
    const beta = store.findByName("beta") as ClusterRecord;
    beta.deleteOperationId = "del-beta";
    beta.timeline.deleteRequestedAtMs = clock.nowMs();
    beta.timeline.deleteDurationMs = 30_000;
    store.changed(beta);
    await clock.advanceTo(clock.nowMs() + 29_999);
    expect(store.findByName("beta")).toBeDefined(); // still deleting
    await clock.advanceTo(clock.nowMs() + 1);
    expect(store.findByName("beta")).toBeUndefined();
    expect(store.get("sub", "rg", "beta")).toBeUndefined();
    expect(goneNames).toEqual(["beta"]);
    await store.flushed();
    store.stop();

    const reopened = new ClusterStore(clock, dir, () => undefined);
    expect(reopened.list({ subscriptionId: "sub" }).map((c) => c.name)).toEqual(["Alpha", "gamma"]);
    expect(reopened.findByName("GAMMA")?.name).toBe("gamma");
    expect(reopened.operation("op-Alpha")?.kind).toBe("create");
    reopened.stop();
    clock.dispose();
  });

  it("a restarted store sweeps clusters whose delete completed while it was down", async () => {
    const dir = tempDir();
    const clock = new VirtualClock({ mode: "manual", startMs: 5_000_000 });
    const store = new ClusterStore(clock, dir, () => undefined);
    const c = cluster("delta", clock.nowMs());
    store.add(c, { id: c.createOperationId, kind: "create", clusterKey: clusterKey("sub", "rg", "delta"), startedAtMs: clock.nowMs() });
    c.timeline.deleteRequestedAtMs = clock.nowMs();
    c.timeline.deleteDurationMs = 10_000;
    store.changed(c);
    await store.flushed();
    store.stop();
    const later = new VirtualClock({ mode: "manual", startMs: 5_000_000 + 20_000 });
    const gone: string[] = [];
    const reopened = new ClusterStore(later, dir, (n) => gone.push(n));
    expect(reopened.findByName("delta")).toBeUndefined();
    expect(gone).toEqual(["delta"]);
    await reopened.flushed();
    reopened.stop();
    clock.dispose();
    later.dispose();
  });
});
