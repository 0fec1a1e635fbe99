// local/azuriteExtentGc.cjs: Azurite's extent sweep removes the metadata of many extents in ONE LokiJS batch (one
// scan, one index rebuild) instead of one removal per extent, each re-sorting every extent; the extents left are
// exactly the ones not swept, and lookups still work afterwards.
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { AZURITE_GC_PATCH } from "../../../local/azurite";

const require = createRequire(__filename);
require(AZURITE_GC_PATCH);
const persistence = path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "common", "persistence");

interface ExtentStore {
  EXTENTS_COLLECTION: string;
  db: { getCollection(name: string): { count(): number; find(): { id: string }[]; removeBatchByPositions(p: number[]): void } };
  init(): Promise<void>;
  close(): Promise<void>;
  updateExtent(e: { id: string; locationId: string; path: string; size: number; lastModifiedInMS: number }): Promise<void>;
  deleteExtent(id: string): Promise<void>;
  getExtentLocationId(id: string): Promise<string>;
}
const { default: LokiExtentMetadataStore } = require(path.join(persistence, "LokiExtentMetadataStore.js")) as {
  default: new (file: string, inMemory: boolean) => ExtentStore;
};

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("Azurite extent sweep (batched)", () => {
  it("removes every swept extent in one batch and keeps the others readable", async () => {
    const store = new LokiExtentMetadataStore(path.join(__dirname, "unused-extents.db"), true);
    await store.init();
    try {
      for (let i = 0; i < 2_000; i++)
        await store.updateExtent({ id: `e${i}`, locationId: "loc", path: `e${i}`, size: 10, lastModifiedInMS: i });
      const coll = store.db.getCollection(store.EXTENTS_COLLECTION);
      const batches = vi.spyOn(coll, "removeBatchByPositions");
      // As Azurite's sweep does: one awaited deleteExtent per unreferenced extent.
      for (let i = 0; i < 1_500; i++) await store.deleteExtent(`e${i}`);
      await nextTurn();
      expect(batches).toHaveBeenCalledTimes(1);
      expect(coll.count()).toBe(500);
      expect(new Set(coll.find().map((d) => d.id))).toEqual(new Set(Array.from({ length: 500 }, (_, i) => `e${1_500 + i}`)));
      expect(await store.getExtentLocationId("e1999")).toBe("loc");
      // A later sweep is a batch of its own.
      await store.deleteExtent("e1500");
      await store.deleteExtent("e1501");
      await nextTurn();
      expect(batches).toHaveBeenCalledTimes(2);
      expect(coll.count()).toBe(498);
    } finally {
      await store.close();
    }
  });
});
