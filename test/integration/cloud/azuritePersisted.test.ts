// local/azurite.ts with a data folder (npm start) and the blob index patch (local/azuriteBlobIndex.cjs): through the
// real SDK, blobs written, overwritten under an ETag condition, snapshotted and deleted are all there as they should be
// after Azurite restarts on the same folder; listings are in name order before and after; the patch did not stand down.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { startAzurite } from "../../../local/azurite";

async function names(container: ContainerClient): Promise<string[]> {
  const out: string[] = [];
  for await (const b of container.listBlobsFlat()) out.push(b.name);
  return out;
}

describe("Azurite on a data folder, with the blob index", () => {
  it("keeps writes, conditional overwrites, snapshots and deletes across a restart", async () => {
    const warn = vi.spyOn(console, "warn");
    const dataDir = mkdtempSync(path.join(tmpdir(), "jobflow-azurite-persisted-"));
    try {
      const first = await startAzurite({ dataDir });
      const expected: string[] = [];
      try {
        const container = BlobServiceClient.fromConnectionString(first.connectionString).getContainerClient("jobs");
        await container.create();
        for (let i = 0; i < 40; i++) {
          const name = `job-${String(i).padStart(2, "0")}.json`;
          const body = `{"v":${i}}`;
          await container.getBlockBlobClient(name).upload(body, body.length);
          expected.push(name);
        }
        const blob = container.getBlockBlobClient("job-07.json");
        const { etag } = await blob.getProperties();
        await blob.upload('{"v":"seven"}', 13, { conditions: { ifMatch: etag } });
        await expect(blob.upload("{}", 2, { conditions: { ifMatch: etag } })).rejects.toMatchObject({ statusCode: 412 });
        await expect(blob.upload("{}", 2, { conditions: { ifNoneMatch: "*" } })).rejects.toMatchObject({ statusCode: 409 });
        await container.getBlockBlobClient("job-09.json").createSnapshot();
        await expect(container.getBlockBlobClient("job-09.json").delete()).rejects.toMatchObject({ statusCode: 409 });
        await container.getBlockBlobClient("job-09.json").delete({ deleteSnapshots: "include" });
        await container.getBlockBlobClient("job-10.json").delete();
        expected.splice(expected.indexOf("job-09.json"), 1);
        expected.splice(expected.indexOf("job-10.json"), 1);
        expect(await names(container)).toEqual(expected);
      } finally {
        await first.stop();
      }
      const second = await startAzurite({ dataDir });
      try {
        const container = BlobServiceClient.fromConnectionString(second.connectionString).getContainerClient("jobs");
        expect(await names(container)).toEqual(expected);
        expect((await container.getBlockBlobClient("job-07.json").downloadToBuffer()).toString()).toBe('{"v":"seven"}');
        expect((await container.getBlockBlobClient("job-39.json").downloadToBuffer()).toString()).toBe('{"v":39}');
        expect(await container.getBlockBlobClient("job-10.json").exists()).toBe(false);
        await container.getBlockBlobClient("job-40.json").upload("{}", 2);
        expect((await names(container)).at(-1)).toBe("job-40.json");
      } finally {
        await second.stop();
      }
      // The patch was active (startAzurite repeats its stand-down line as a warning).
      expect(warn.mock.calls.flat().join("\n")).not.toContain("Azurite blob index patch stands down");
    } finally {
      warn.mockRestore();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
