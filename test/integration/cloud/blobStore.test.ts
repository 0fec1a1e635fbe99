// JobflowBlobStore against a real Azurite: ETag concurrency, create-once, append logs, list by prefix, SAS download.
import { describe, expect, it } from "vitest";
import { createBlobStore } from "../../../shared/cloud/azure/blobStore";
import type { JobflowBlobStore } from "../../../shared/cloud/blobStore";
import { useAzurite } from "../../support/azurite";

describe("JobflowBlobStore on Azurite", () => {
  const azurite = useAzurite();
  let counter = 0;
  const store = (): JobflowBlobStore => createBlobStore({ connectionString: azurite.current.connectionString });
  const container = (): string => `c${++counter}-${process.pid}`;

  it("round-trips JSON with ETags and rejects a stale ifMatch with ConflictError", async () => {
    const s = store();
    const c = container(); // does not exist yet: created on first write
    expect(await s.getJson(c, "jobs/j1.json")).toBeUndefined();
    const etag1 = await s.putJson(c, "jobs/j1.json", { state: "pending" });
    const read1 = await s.getJson<{ state: string }>(c, "jobs/j1.json");
    expect(read1).toEqual({ value: { state: "pending" }, etag: etag1 });

    const etag2 = await s.putJson(c, "jobs/j1.json", { state: "running" }, { ifMatch: etag1 });
    expect(etag2).not.toBe(etag1);
    await expect(s.putJson(c, "jobs/j1.json", { state: "lost-update" }, { ifMatch: etag1 })).rejects.toMatchObject({
      name: "ConflictError",
    });
    expect((await s.getJson(c, "jobs/j1.json"))?.value).toEqual({ state: "running" });
  });

  it("ifNoneMatch '*' creates once, then ConflictError", async () => {
    const s = store();
    const c = container();
    await s.putJson(c, "idempotency/key-1.json", { jobId: "a" }, { ifNoneMatch: "*" });
    await expect(s.putJson(c, "idempotency/key-1.json", { jobId: "b" }, { ifNoneMatch: "*" })).rejects.toMatchObject({
      name: "ConflictError",
    });
    expect((await s.getJson(c, "idempotency/key-1.json"))?.value).toEqual({ jobId: "a" });
  });

  it("appends log text, creating the append blob on first use", async () => {
    const s = store();
    const c = container();
    await s.appendText(c, "logs/j1/ingest.log", "line 1\n");
    await s.appendText(c, "logs/j1/ingest.log", "line 2 — ünïcode\n");
    expect(await s.getText(c, "logs/j1/ingest.log")).toBe("line 1\nline 2 — ünïcode\n");
    await s.putText(c, "logs/j1/plain.txt", "x");
    await expect(s.appendText(c, "logs/j1/plain.txt", "y")).rejects.toMatchObject({ name: "ConflictError" });
  });

  it("lists by prefix (all pages) and deletes; deleting a missing blob or container is fine", async () => {
    const s = store();
    const c = container();
    for (const name of ["jobs/a.json", "jobs/b.json", "logs/a.log"]) await s.putJson(c, name, { name });
    const listed = await s.list(c, "jobs/");
    expect(listed.map((e) => e.name)).toEqual(["jobs/a.json", "jobs/b.json"]);
    expect(listed[0].etag).toBeTruthy();
    expect(listed[0].contentLength).toBeGreaterThan(0);
    await s.delete(c, "jobs/a.json");
    await s.delete(c, "jobs/a.json");
    await s.delete("no-such-container", "x");
    expect((await s.list(c, "jobs/")).map((e) => e.name)).toEqual(["jobs/b.json"]);
    expect(await s.list("no-such-container", "")).toEqual([]);
  });

  it("creates a read-only SAS URL that downloads with plain fetch", async () => {
    const s = store();
    const c = container();
    const bundle = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x42]);
    await s.putBytes(c, "bundles/c1/client-config.tar.gz", bundle, { contentType: "application/gzip" });
    expect(Buffer.compare((await s.getBytes(c, "bundles/c1/client-config.tar.gz"))!, bundle)).toBe(0);

    const url = await s.createReadSasUrl(c, "bundles/c1/client-config.tar.gz", { expiresInMinutes: 30 });
    expect(url).toContain("sig=");
    expect(url).toContain("sp=r");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), bundle)).toBe(0);

    // Read-only: the same signature does not allow a write.
    const put = await fetch(url, { method: "PUT", body: "x", headers: { "x-ms-blob-type": "BlockBlob" } });
    expect(put.status).toBe(403);
    // And without the signature the blob is private.
    expect((await fetch(url.split("?")[0])).status).not.toBe(200);
  });
});
