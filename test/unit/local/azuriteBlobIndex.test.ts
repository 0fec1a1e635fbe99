// local/azuriteBlobIndex.cjs: Azurite's blob lookups (Put/Get Blob, Get Properties, Delete Blob) are answered from a
// hash index — no LokiJS scan of the blob collection and no index rebuild on delete — with the same results as the
// unpatched store for the same operations (snapshots, leases, conditional headers, listing order); the patch is active
// on the installed Azurite and stands down, changing nothing, when the versions or the collection are not as expected.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AZURITE_BLOB_INDEX_PATCH } from "../../../local/azurite";

const require = createRequire(__filename);
const patch = require(AZURITE_BLOB_INDEX_PATCH) as {
  standingDown: string | undefined;
  STAND_DOWN_MARK: string;
  indexOf(coll: unknown): { stats: { answered: number; passedOn: number } } | undefined;
  patchStore(Store: unknown, Collection: unknown, versions: Record<string, string>, report: (line: string) => void): string | undefined;
  versionProblem(versions: Record<string, string>): string | undefined;
  collectionProblem(coll: unknown): string | undefined;
};
const azuriteDir = path.dirname(require.resolve("azurite/package.json"));
const Loki = require(require.resolve("lokijs", { paths: [azuriteDir] })) as {
  Resultset: { prototype: { find(...a: unknown[]): unknown } };
  Collection: { prototype: { ensureIndex(...a: unknown[]): unknown } };
};

interface Doc {
  $loki?: number;
  name: string;
  snapshot: string;
  metadata?: Record<string, string>;
  properties: { etag: string; leaseState?: string };
}
interface Coll {
  data: Doc[];
  binaryIndices: Record<string, { values: number[] }>;
  count(q?: object): number;
  ensureAllIndexes(force?: boolean): void;
  [k: string]: unknown;
}
type Ctx = { contextId: string; startTime: Date };
interface Store {
  BLOBS_COLLECTION: string;
  db: { getCollection(name: string): Coll };
  init(): Promise<void>;
  close(): Promise<void>;
  createContainer(ctx: Ctx, c: object): Promise<unknown>;
  createBlob(ctx: Ctx, blob: object, lease?: object, cond?: object): Promise<unknown>;
  getBlob(ctx: Ctx, a: string, c: string, b: string, snapshot?: string): Promise<Doc | undefined>;
  getBlobProperties(
    ctx: Ctx,
    a: string,
    c: string,
    b: string,
    snapshot?: string,
    lease?: object,
    cond?: object,
  ): Promise<{ properties: Doc["properties"]; metadata?: object }>;
  deleteBlob(ctx: Ctx, a: string, c: string, b: string, options: object): Promise<void>;
  createSnapshot(ctx: Ctx, a: string, c: string, b: string): Promise<{ snapshot: string }>;
  acquireBlobLease(ctx: Ctx, a: string, c: string, b: string, duration: number, proposed?: string): Promise<{ leaseId?: string }>;
  setBlobMetadata(ctx: Ctx, a: string, c: string, b: string, lease: object | undefined, metadata: object): Promise<unknown>;
  listBlobs(
    ctx: Ctx,
    a: string,
    c: string,
    d?: string,
    b?: string,
    prefix?: string,
    max?: number,
    marker?: string,
    snapshots?: boolean,
  ): Promise<[Doc[], unknown, unknown]>;
}
const { default: LokiBlobMetadataStore } = require(
  path.join(azuriteDir, "dist", "src", "blob", "persistence", "LokiBlobMetadataStore.js"),
) as {
  default: new (file: string, inMemory: boolean) => Store;
};

const ACCOUNT = "devstoreaccount1";
const CONTAINER = "jobs";
const PATCHED_METHODS = [
  "findOne",
  "count",
  "findAndRemove",
  "add",
  "remove",
  "update",
  "removeBatchByPositions",
  "clear",
  "chain",
  "toJSON",
];
let clockMs = Date.parse("2026-11-21T08:00:00Z");
const ctx = (): Ctx => ({ contextId: "test", startTime: new Date((clockMs += 1_000)) });

function blobModel(name: string, etag: string, metadata: Record<string, string> = {}): object {
  const now = new Date(clockMs);
  return {
    deleted: false,
    accountName: ACCOUNT,
    containerName: CONTAINER,
    name,
    snapshot: "",
    isCommitted: true,
    metadata,
    properties: { creationTime: now, lastModified: now, etag: `"${etag}"`, contentLength: 1, blobType: "BlockBlob", accessTier: "Hot" },
    persistency: { id: `extent-${name}`, offset: 0, count: 1 },
  };
}

const stores: Store[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.close();
});

/** A store with one container; `plain` removes the index (the collection's own methods), i.e. unpatched Azurite. */
async function newStore(plain = false): Promise<{ store: Store; coll: Coll }> {
  const store = new LokiBlobMetadataStore(path.join(__dirname, `unused-blobs-${stores.length}.db`), true);
  await store.init();
  stores.push(store);
  const coll = store.db.getCollection(store.BLOBS_COLLECTION);
  if (plain) {
    for (const m of PATCHED_METHODS) delete coll[m];
    coll.adaptiveBinaryIndices = true; // as plain Azurite has it
  }
  const c = ctx();
  await store.createContainer(c, { accountName: ACCOUNT, name: CONTAINER, properties: { etag: "0x1", lastModified: c.startTime } });
  return { store, coll };
}

/** Every stored document is what the index finds for its key, and per-name counts match a scan. */
function expectIndexAgreesWithData(coll: Coll): void {
  const key = (d: Doc & { accountName?: string; containerName?: string }) => ({
    accountName: d.accountName,
    containerName: d.containerName,
    name: d.name,
  });
  for (const d of coll.data) {
    expect((coll.findOne as (q: object) => unknown)({ ...key(d), snapshot: d.snapshot })).toBe(d);
    expect(coll.count(key(d))).toBe(coll.data.filter((o) => o.name === d.name).length);
  }
}

/** Runs `op`, returning its result or the error's storage code. */
async function outcome<T>(op: () => Promise<T>): Promise<T | string> {
  try {
    return await op();
  } catch (e) {
    return `error:${(e as { storageErrorCode?: string }).storageErrorCode ?? String(e)}`;
  }
}

describe("Azurite blob index", () => {
  it("is active on the installed Azurite (a version bump fails here: re-read the patch against the new code)", () => {
    expect(patch.standingDown).toBeUndefined();
  });

  it("answers Put/Get/Properties/Delete without a LokiJS scan or index rebuild", async () => {
    const { store, coll } = await newStore();
    for (let i = 0; i < 2_000; i++) await store.createBlob(ctx(), blobModel(`job-${i}.json`, `e${i}`));
    const scans = vi.spyOn(Loki.Resultset.prototype, "find");
    const rebuilds = vi.spyOn(Loki.Collection.prototype, "ensureIndex");
    for (let i = 0; i < 200; i++) {
      const etag = (await store.getBlob(ctx(), ACCOUNT, CONTAINER, `job-${i}.json`))!.properties.etag;
      await store.createBlob(ctx(), blobModel(`job-${i}.json`, `f${i}`), undefined, { ifMatch: etag });
      await store.getBlobProperties(ctx(), ACCOUNT, CONTAINER, `job-${i}.json`);
      await store.deleteBlob(ctx(), ACCOUNT, CONTAINER, `job-${1_000 + i}.json`, { deleteSnapshots: "include" });
    }
    // Counted on the blob collection only (container lookups scan the small container collection, as before).
    expect(scans.mock.contexts.filter((rs) => (rs as { collection: unknown }).collection === coll)).toHaveLength(0);
    expect(rebuilds.mock.contexts.filter((c) => c === coll)).toHaveLength(0);
    expect(coll.count()).toBe(1_800);
    expectIndexAgreesWithData(coll);
    expect(patch.indexOf(coll)!.stats.passedOn).toBe(0);
    expect((await store.getBlob(ctx(), ACCOUNT, CONTAINER, "job-7.json"))!.properties.etag).toBe('"f7"');
    expect(await store.getBlob(ctx(), ACCOUNT, CONTAINER, "job-1007.json")).toBeUndefined();
    // LokiJS's own indexes are still right: a query that uses them finds the same documents.
    coll.ensureAllIndexes(true);
    expect(coll.count({ name: "job-7.json" })).toBe(1);
  });

  it("gives the same results as the unpatched store: snapshots, leases, conditions, listing order", async () => {
    const patched = await newStore();
    const plain = await newStore(true);
    expect(Object.hasOwn(plain.coll, "findOne")).toBe(false);
    const run = async ({ store }: { store: Store }): Promise<unknown[]> => {
      const out: unknown[] = [];
      const props = (b: string, snapshot = ""): Promise<unknown> =>
        outcome(async () => {
          const p = await store.getBlobProperties(ctx(), ACCOUNT, CONTAINER, b, snapshot);
          return { leaseState: p.properties.leaseState, metadata: p.metadata };
        });
      const put = (b: object, cond?: object): Promise<unknown> =>
        outcome(() => store.createBlob(ctx(), b, undefined, cond).then(() => "ok"));
      for (const b of ["c.json", "a.json", "b/x.json", "b/y.json"]) out.push(await put(blobModel(b, `1-${b.replace(/\W/g, "")}`)));
      out.push(await put(blobModel("a.json", "2"), { ifNoneMatch: "*" }));
      out.push(await put(blobModel("a.json", "2"), { ifMatch: '"wrong"' }));
      out.push(await put(blobModel("a.json", "2", { v: "2" }), { ifMatch: '"1-ajson"' }));
      const snap1 = await store.createSnapshot(ctx(), ACCOUNT, CONTAINER, "a.json");
      const snap2 = await store.createSnapshot(ctx(), ACCOUNT, CONTAINER, "a.json");
      out.push(snap1.snapshot, snap2.snapshot);
      out.push(await put(blobModel("a.json", "3", { v: "3" })));
      out.push(await props("a.json"), await props("a.json", snap1.snapshot), await props("a.json", "2001-01-01T00:00:00.0000000Z"));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "a.json", {})));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "a.json", { snapshot: snap1.snapshot })));
      out.push(await props("a.json", snap1.snapshot), await props("a.json", snap2.snapshot));
      const lease = await store.acquireBlobLease(ctx(), ACCOUNT, CONTAINER, "c.json", -1, "11111111-1111-1111-1111-111111111111");
      out.push(lease.leaseId, await props("c.json"));
      out.push(await put(blobModel("c.json", "4")));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "c.json", {})));
      out.push(await outcome(() => store.setBlobMetadata(ctx(), ACCOUNT, CONTAINER, "b/x.json", undefined, { k: "v" }).then(() => "ok")));
      out.push(await props("b/x.json"));
      const [listed] = await store.listBlobs(ctx(), ACCOUNT, CONTAINER, undefined, undefined, "", 100, "", true);
      // Listed in name order; among one blob's snapshots LokiJS's order depends on the history of its own index
      // maintenance (in plain Azurite an update or a delete of any blob can reorder them), so only the set is compared.
      out.push(
        listed.map((d) => d.name),
        listed.map((d) => JSON.stringify([d.name, d.snapshot, d.metadata])).sort(),
      );
      const [prefixed] = await store.listBlobs(ctx(), ACCOUNT, CONTAINER, undefined, undefined, "b/", 100, "", false);
      out.push(prefixed.map((d) => d.name));
      // The extent sweep's listing (LokiJS simplesort, which reads the name index without checking it is up to date).
      const [all] = await (
        store as unknown as { listAllBlobs(max: number, marker: string, snapshots: boolean, uncommitted: boolean): Promise<[Doc[]]> }
      ).listAllBlobs(100, "", true, true);
      out.push(
        all.map((d) => d.name),
        all.map((d) => JSON.stringify([d.name, d.snapshot])).sort(),
      );
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "a.json", { deleteSnapshots: "only" })));
      out.push(await props("a.json"), await props("a.json", snap2.snapshot));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "b/y.json", { deleteSnapshots: "include" })));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "nope.json", {})));
      out.push(await outcome(() => store.deleteBlob(ctx(), ACCOUNT, CONTAINER, "a.json", {})));
      out.push(await props("a.json"));
      return out;
    };
    const start = clockMs;
    const expected = await run(plain);
    clockMs = start; // same request times, so the same snapshot ids and lease expiries
    const actual = await run(patched);
    expect(actual).toEqual(expected);
    expect(expected).toContain("error:SnapshotsPresent");
    expect(expected).toContain("error:ConditionNotMet");
    expect(expected).toContain("error:BlobAlreadyExists");
    expect(expected).toContain("error:LeaseIdMissing");
    expect(patch.indexOf(patched.coll)!.stats.answered).toBeGreaterThan(20);
    expectIndexAgreesWithData(patched.coll);
    expect(patched.coll.data.map((d) => [d.name, d.snapshot])).toEqual(plain.coll.data.map((d) => [d.name, d.snapshot]));
  });

  it("persists exactly what plain Azurite persists, and indexes what it loads", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jobflow-blob-index-"));
    try {
      const file = path.join(dir, "__azurite_db_blob__.json");
      const first = new LokiBlobMetadataStore(file, false);
      await first.init();
      const c = ctx();
      await first.createContainer(c, { accountName: ACCOUNT, name: CONTAINER, properties: { etag: '"0x1"', lastModified: c.startTime } });
      for (let i = 0; i < 50; i++) await first.createBlob(ctx(), blobModel(`p-${i}.json`, `p${i}`));
      await first.deleteBlob(ctx(), ACCOUNT, CONTAINER, "p-0.json", {});
      await first.close(); // LokiJS saves on close
      const saved = (JSON.parse(readFileSync(file, "utf8")) as { collections: Record<string, unknown>[] }).collections.find(
        (col) => col.name === first.BLOBS_COLLECTION,
      )!;
      expect(Object.keys(saved).filter((k) => PATCHED_METHODS.includes(k))).toEqual([]);
      expect(saved.adaptiveBinaryIndices).toBe(true);
      const indexes = saved.binaryIndices as Record<string, { dirty: boolean; values: number[] }>;
      expect(Object.keys(indexes).sort()).toEqual(["accountName", "containerName", "name", "snapshot"]);
      // Saved up to date, as plain Azurite saves them (it trusts adaptive indexes without checking).
      const docs = saved.data as Doc[];
      expect(indexes.name.dirty).toBe(false);
      expect(indexes.name.values.map((i) => docs[i].name)).toEqual(docs.map((d) => d.name).sort());
      const second = new LokiBlobMetadataStore(file, false);
      await second.init();
      stores.push(second);
      const coll = second.db.getCollection(second.BLOBS_COLLECTION);
      expect((await second.getBlob(ctx(), ACCOUNT, CONTAINER, "p-49.json"))!.properties.etag).toBe('"p49"');
      expect(await second.getBlob(ctx(), ACCOUNT, CONTAINER, "p-0.json")).toBeUndefined();
      expect(patch.indexOf(coll)!.stats).toMatchObject({ answered: 2, passedOn: 0 });
    } finally {
      for (const s of stores.splice(0)) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stands down, changing nothing and saying so, on another version or an unexpected class", () => {
    class FakeStore {
      async init(): Promise<void> {}
    }
    const original = FakeStore.prototype.init;
    const lines: string[] = [];
    const versions = { azurite: "3.36.0", lokijs: "1.5.12" };
    expect(patch.patchStore(FakeStore, Loki.Collection, versions, (l) => lines.push(l))).toMatch(/azurite is 3.36.0/);
    expect(FakeStore.prototype.init).toBe(original);
    expect(
      patch.patchStore(
        function NotAStore() {},
        Loki.Collection,
        { azurite: "3.35.0", lokijs: "1.5.12" },
        (l) => lines.push(l),
      ),
    ).toMatch(/init is missing/);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith(patch.STAND_DOWN_MARK))).toBe(true);
    expect(patch.versionProblem({ azurite: "3.35.0", lokijs: "1.5.13" })).toMatch(/lokijs/);
  });

  it("leaves a blob collection of another shape unindexed", async () => {
    const { coll } = await newStore(true);
    expect(patch.collectionProblem(coll)).toBeUndefined();
    expect(patch.collectionProblem({ ...coll, cloneObjects: true })).toMatch(/clones objects/);
    expect(patch.collectionProblem({ ...coll, binaryIndices: { ...coll.binaryIndices, lastModified: { values: [] } } })).toMatch(
      /lastModified/,
    );
    expect(patch.collectionProblem({ ...coll, uniqueNames: ["name"] })).toMatch(/unique/);
    expect(patch.collectionProblem(null)).toMatch(/does not exist/);
  });
});
