// local/azurite.ts: Azurite on ephemeral ports, answering when startAzurite resolves, gone after stop() and after
// its parent dies (even by SIGKILL).
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite } from "../../../local/azurite";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls (bounded) until the process is gone; returns whether it went. */
async function waitUntilGone(pid: number, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

describe("startAzurite", () => {
  it("serves blob, queue and table on 127.0.0.1 and stops", async () => {
    const azurite = await startAzurite({ withQueueAndTable: true });
    try {
      for (const url of [azurite.blobUrl, azurite.queueUrl, azurite.tableUrl])
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await service.getContainerClient("probe").create();
      const names: string[] = [];
      for await (const c of service.listContainers()) names.push(c.name);
      expect(names).toContain("probe");
      expect(azurite.connectionString).toContain(`QueueEndpoint=${azurite.queueUrl}`);
    } finally {
      await azurite.stop();
    }
    expect(await waitUntilGone(azurite.pid)).toBe(true);
  });

  it("shuts Azurite down when its parent process is killed", async () => {
    const script = path.join(__dirname, "fixtures", "startAzuriteAndWait.ts");
    const parent = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout! }).once("line", resolve);
      parent.once("exit", (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const { pid, blobUrl } = JSON.parse(firstLine) as { pid: number; blobUrl: string };
    expect(isAlive(pid)).toBe(true);
    expect((await fetch(`${blobUrl}?comp=list`)).status).toBeGreaterThan(0);

    parent.kill("SIGKILL");
    expect(await waitUntilGone(pid)).toBe(true);
  });
});
