// Loaded into the Azurite child before Azurite itself (local/azurite.ts): gives Azurite's blob metadata lookups a
// hash index. Azurite keeps every blob's metadata in one LokiJS collection and finds a blob with
// findOne({accountName, containerName, name, snapshot}); LokiJS turns that into an $and whose first term (accountName,
// the same for every blob) selects the whole collection, then filters it term by term — every Put Blob, Get Blob,
// Get Properties, Append Block and Delete Blob scans all blobs (at 1,000 concurrent jobs most of Azurite's CPU).
// Delete Blob's findAndRemove then rebuilds all four binary indexes (sorting every blob four times).
//
// Here the blob collection gets a Map from (account, container, name) to its documents (the base blob and its
// snapshots), kept in step with every insert/update/remove, and:
// * findOne/count/findAndRemove whose query is exactly {accountName, containerName, name[, snapshot]} with string
//   values are answered from the Map. findOne is answered only when at most one document matches (then there is no
//   order to get wrong); otherwise, and for every other query, LokiJS answers as before.
// * findAndRemove removes the matching documents one by one instead of as a batch.
// * LokiJS's four binary indexes (still used by listings) are maintained lazily: a write flags them dirty instead
//   of repositioning each (adaptive maintenance scans all blobs: three of the four indexed fields have the same value
//   for nearly every blob), and chain() — where every LokiJS query starts — rebuilds the dirty ones first.
// So a blob write or lookup no longer costs time proportional to the number of blobs (bar an array splice).
// Visible difference: a listing that includes snapshots returns one blob's snapshots in LokiJS index order, which
// in plain Azurite too depends on the history of index maintenance (any update or delete can reorder them).
// Persistence is unchanged (same collections, same autosave; the blob collection is saved adaptive with up-to-date
// indexes, exactly as plain Azurite saves it), so a data folder written with the patch loads in a plain Azurite and
// the other way round.
//
// Guard: written against Azurite 3.35.0 / LokiJS 1.5.12, whose code it relies on. On any other version, or when the
// blob collection does not look as expected (cloned objects, unique or extra indexes, dynamic views), the patch
// STANDS DOWN: Azurite runs unpatched (correct, only slower) and a line starting with STAND_DOWN_MARK is printed on
// stderr; local/azurite.ts repeats it as a warning. test/unit/local/azuriteBlobIndex.test.ts fails on such a version
// bump, so whoever bumps Azurite re-reads this against the new code.
"use strict";
const path = require("node:path");

const TESTED = { azurite: "3.35.0", lokijs: "1.5.12" };
const STAND_DOWN_MARK = "[jobflow] Azurite blob index patch stands down:";
const KEY_FIELDS = ["accountName", "containerName", "name", "snapshot"];
const COLLECTION_METHODS = [
  "findOne",
  "count",
  "findAndRemove",
  "add",
  "remove",
  "update",
  "removeBatchByPositions",
  "clear",
  "get",
  "chain",
  "ensureAllIndexes",
];

const azuriteDir = path.dirname(require.resolve("azurite/package.json"));
const lokiDir = path.dirname(require.resolve("lokijs/package.json", { paths: [azuriteDir] }));

/** Why the installed versions cannot be patched, or undefined when they are the tested ones. */
function versionProblem(versions) {
  for (const [pkg, tested] of Object.entries(TESTED))
    if (versions[pkg] !== tested) return `${pkg} is ${versions[pkg]}, the patch was written against ${tested}`;
  return undefined;
}

/** Why a store class / LokiJS collection class cannot be patched, or undefined. */
function classProblem(Store, Collection) {
  if (typeof Store !== "function" || typeof Store.prototype.init !== "function") return "LokiBlobMetadataStore.prototype.init is missing";
  for (const m of COLLECTION_METHODS)
    if (typeof Collection.prototype[m] !== "function") return `LokiJS Collection.prototype.${m} is missing`;
  return undefined;
}

/** Why this blob collection cannot be indexed (its shape is not the one the patch was written for), or undefined. */
function collectionProblem(coll) {
  if (!coll) return "the blob collection does not exist after init()";
  if (coll.cloneObjects) return "the blob collection clones objects";
  if (coll.DynamicViews.length > 0) return "the blob collection has dynamic views";
  if (coll.uniqueNames.length > 0) return "the blob collection has unique indexes";
  const extra = Object.keys(coll.binaryIndices).filter((k) => !KEY_FIELDS.includes(k));
  if (extra.length > 0) return `the blob collection has binary indexes on ${extra.join(", ")}`;
  for (const m of [...COLLECTION_METHODS, "toJSON"])
    if (Object.prototype.hasOwnProperty.call(coll, m)) return `the blob collection's ${m} is already replaced`;
  return undefined;
}

const isText = (v) => typeof v === "string";
/** Unambiguous (length-prefixed) key of account, container and blob name. */
const nameKey = (a, c, n) => `${a.length}:${a}/${c.length}:${c}/${n}`;
const indexable = (doc) => isText(doc.accountName) && isText(doc.containerName) && isText(doc.name) && isText(doc.snapshot);

/** (account, container, name) → documents, kept in step with the collection. */
class BlobKeyIndex {
  constructor(coll) {
    this.coll = coll;
    /** Lookups answered from the index / passed to LokiJS (for tests and diagnostics). */
    this.stats = { answered: 0, passedOn: 0, rebuilds: 0 };
    this.rebuild();
  }

  rebuild() {
    this.stats.rebuilds++;
    this.byName = new Map();
    this.keyById = new Map();
    /** Ids of documents whose key fields are not all strings: while there is one, every lookup goes to LokiJS. */
    this.odd = new Set();
    this.stale = false;
    for (const doc of this.coll.data) this.add(doc);
  }

  add(doc) {
    if (!indexable(doc)) {
      this.odd.add(doc.$loki);
      return;
    }
    const k = nameKey(doc.accountName, doc.containerName, doc.name);
    const bucket = this.byName.get(k);
    if (bucket) bucket.push(doc);
    else this.byName.set(k, [doc]);
    this.keyById.set(doc.$loki, k);
  }

  drop(id) {
    if (this.odd.delete(id)) return;
    const k = this.keyById.get(id);
    if (k === undefined) return;
    this.keyById.delete(id);
    const rest = this.byName.get(k).filter((d) => d.$loki !== id && d.$loki !== undefined);
    if (rest.length > 0) this.byName.set(k, rest);
    else this.byName.delete(k);
  }

  /** The documents matching an exact-key query, or undefined when the query is not one (LokiJS answers it). */
  lookup(query) {
    if (this.stale) this.rebuild();
    const matches = this.odd.size === 0 ? this.match(query) : undefined;
    if (matches === undefined) this.stats.passedOn++;
    else this.stats.answered++;
    return matches;
  }

  match(query) {
    if (query === null || typeof query !== "object" || Object.getPrototypeOf(query) !== Object.prototype) return undefined;
    const keys = Object.keys(query);
    if (keys.length < 3 || keys.length > 4 || !keys.every((k) => KEY_FIELDS.includes(k))) return undefined;
    const { accountName, containerName, name, snapshot } = query;
    if (!isText(accountName) || !isText(containerName) || !isText(name)) return undefined;
    const hasSnapshot = keys.length === 4;
    if (hasSnapshot && !isText(snapshot)) return undefined;
    const bucket = this.byName.get(nameKey(accountName, containerName, name)) ?? [];
    return hasSnapshot ? bucket.filter((d) => d.snapshot === snapshot) : bucket.slice();
  }
}

const indexes = new WeakMap();

/** Replaces the collection's lookup and mutation methods by indexed ones (own properties: never persisted). */
function indexCollection(coll) {
  const index = new BlobKeyIndex(coll);
  indexes.set(coll, index);
  const proto = Object.getPrototypeOf(coll);
  const guarded = (fn) =>
    function guardedMutation(...args) {
      try {
        return fn.apply(this, args);
      } catch (err) {
        index.stale = true; // half-applied: rebuilt from the data at the next lookup
        throw err;
      }
    };
  const define = (name, fn) => Object.defineProperty(coll, name, { value: fn, writable: true, configurable: true, enumerable: false });

  define("findOne", function findOne(query) {
    const matches = index.lookup(query);
    if (matches === undefined || matches.length > 1) return proto.findOne.call(this, query);
    return matches.length === 1 ? matches[0] : null;
  });
  define("count", function count(query) {
    if (query === undefined) return proto.count.call(this);
    const matches = index.lookup(query);
    return matches === undefined ? proto.count.call(this, query) : matches.length;
  });
  define("findAndRemove", function findAndRemove(query) {
    const matches = index.lookup(query);
    if (matches === undefined) return proto.findAndRemove.call(this, query);
    for (const doc of matches) this.remove(doc);
  });
  define(
    "add",
    guarded(function add(obj) {
      const added = proto.add.call(this, obj);
      index.add(obj);
      return added;
    }),
  );
  define(
    "remove",
    guarded(function remove(doc) {
      const target = typeof doc === "number" ? this.get(doc) : doc;
      if (target === null || typeof target !== "object" || Array.isArray(target) || target.$loki === undefined)
        return proto.remove.call(this, doc); // arrays go through removeBatchByPositions; errors stay LokiJS's
      const id = target.$loki;
      const removed = proto.remove.call(this, doc);
      if (this.get(id) === null) index.drop(id);
      return removed;
    }),
  );
  define(
    "removeBatchByPositions",
    guarded(function removeBatchByPositions(positions) {
      const ids = positions.map((p) => this.data[p]?.$loki);
      const result = proto.removeBatchByPositions.call(this, positions);
      for (const id of ids) if (id !== undefined && this.get(id) === null) index.drop(id);
      return result;
    }),
  );
  define(
    "update",
    guarded(function update(doc) {
      if (Array.isArray(doc) || doc === null || typeof doc !== "object") return proto.update.call(this, doc);
      const id = doc.$loki;
      const updated = proto.update.call(this, doc);
      index.drop(id);
      const current = this.get(id);
      if (current) index.add(current);
      return updated;
    }),
  );
  define(
    "clear",
    guarded(function clear(options) {
      const result = proto.clear.call(this, options);
      index.rebuild();
      return result;
    }),
  );
  // LokiJS's binary indexes become lazy: a write only flags them dirty, and they are rebuilt when a query needs them.
  // Adaptive maintenance costs a linear scan per index and write (three of the four indexed fields have one value for
  // nearly every blob, so the binary search ends in a scan of all blobs). A query always starts with chain(), which
  // first brings every dirty index up to date (LokiJS's simplesort reads an index without checking it is dirty).
  coll.adaptiveBinaryIndices = false;
  define("chain", function chain(...args) {
    this.ensureAllIndexes();
    return proto.chain.apply(this, args);
  });
  // Persisted as plain Azurite persists it — adaptive, indexes up to date — so a data folder written here loads in an
  // unpatched Azurite (which trusts adaptive indexes without checking) and the other way round.
  define("toJSON", function toJSON() {
    this.ensureAllIndexes();
    return { ...this, adaptiveBinaryIndices: true };
  });
  return index;
}

/**
 * Makes every store of class `Store` index its blob collection after init(). Returns why it stood down instead
 * (nothing changed), or undefined when patched. `report` receives the stand-down line.
 */
function patchStore(Store, Collection, versions, report = (line) => process.stderr.write(`${line}\n`)) {
  const problem = versionProblem(versions) ?? classProblem(Store, Collection);
  if (problem) {
    report(`${STAND_DOWN_MARK} ${problem} (Azurite runs unpatched: correct, but every blob lookup scans all blobs)`);
    return problem;
  }
  const init = Store.prototype.init;
  Store.prototype.init = async function initWithBlobIndex(...args) {
    const result = await init.apply(this, args);
    const coll = this.db.getCollection(this.BLOBS_COLLECTION);
    const shape = collectionProblem(coll);
    if (shape) report(`${STAND_DOWN_MARK} ${shape} (Azurite runs unpatched: correct, but every blob lookup scans all blobs)`);
    else indexCollection(coll);
    return result;
  };
  return undefined;
}

const versions = {
  azurite: require(path.join(azuriteDir, "package.json")).version,
  lokijs: require(path.join(lokiDir, "package.json")).version,
};
const LokiBlobMetadataStore = require(path.join(azuriteDir, "dist", "src", "blob", "persistence", "LokiBlobMetadataStore.js")).default;
const Loki = require(lokiDir);
const standingDown = patchStore(LokiBlobMetadataStore, Loki.Collection, versions);

module.exports = {
  /** Undefined when the installed Azurite is patched; else why the patch stood down. */
  standingDown,
  STAND_DOWN_MARK,
  /** The index of a patched blob collection (undefined when not indexed). */
  indexOf: (coll) => indexes.get(coll),
  patchStore,
  versionProblem,
  collectionProblem,
};
