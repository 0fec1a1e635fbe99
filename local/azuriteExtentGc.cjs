// Loaded into the Azurite child before Azurite itself (local/azurite.ts): makes its extent garbage collection
// linear. Azurite's mark-and-sweep (every 10 minutes, and once at start) deletes each unreferenced extent's
// metadata with its own LokiJS findAndRemove; every removal marks the collection's binary index dirty and the
// next lookup re-sorts all extents, so one sweep costs (garbage × extents × log extents). A workload that overwrites
// blobs often (job records) builds up tens of thousands of garbage extents, and the sweep then blocks Azurite's event
// loop for hours (seen at 1,000 concurrent jobs). Here the removals asked for while a sweep runs are gathered and
// made in one batch at the next turn of the event loop: one scan, one index rebuild. Safe because an extent id is
// never reused and a swept extent is referenced by no blob, so nothing looks it up in between.
"use strict";
const path = require("node:path");

const persistence = path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "common", "persistence");
const LokiExtentMetadataStore = require(path.join(persistence, "LokiExtentMetadataStore.js")).default;

const pending = new WeakMap();

/** Queues the removal of one extent's metadata; all removals queued in the same turn go in one batch. */
LokiExtentMetadataStore.prototype.deleteExtent = function deleteExtent(extentId) {
  let ids = pending.get(this);
  if (!ids) {
    ids = new Set();
    pending.set(this, ids);
    const batch = ids;
    setImmediate(() => {
      pending.delete(this);
      this.db.getCollection(this.EXTENTS_COLLECTION).removeWhere((doc) => batch.has(doc.id));
    });
  }
  ids.add(extentId);
  return Promise.resolve();
};

module.exports = { patched: "LokiExtentMetadataStore.prototype.deleteExtent" };
