// Managed Run Command's outputBlobUri / errorBlobUri against real Blob storage (Azurite): the sandbox writes each
// stream in full as an append blob through the URI's own SAS, as the Linux run-command handler does in Azure, and
// a script given by source.scriptUri is downloaded from a SAS URL. Driven by the real @azure/arm-compute client.
import { describe, expect, it } from "vitest";
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters } from "@azure/storage-blob";
import { TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";
import { useAzurite } from "../../support/azurite";

const env = useTestSandbox();
const azurite = useAzurite();

/** A SAS URL for one blob (read/add/create/write, as Azure's docs ask for the output blobs). */
function sasUrl(container: string, blob: string): string {
  const a = azurite.current;
  const sas = generateBlobSASQueryParameters(
    {
      containerName: container,
      blobName: blob,
      permissions: BlobSASPermissions.parse("racw"),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    new StorageSharedKeyCredential(a.accountName, a.accountKey),
  ).toString();
  return `${a.blobUrl}/${container}/${blob}?${sas}`;
}

describe("sandbox: Run Command output blobs on Azurite", () => {
  it("writes the full stdout and stderr (beyond the 4 KiB instance-view tail) to the append blobs", async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.current.connectionString);
    const container = service.getContainerClient("runlogs");
    await container.createIfNotExists();
    await container.getBlockBlobClient("scripts/count.sh").upload('for i in $(seq 1 2000); do echo "line $i"; done; echo "done" >&2\n', 66);
    const done = await env.current.compute().virtualMachineRunCommands.createOrUpdate(
      RG,
      "dss-edge-01",
      "blobs-1",
      {
        location: "westeurope",
        source: { scriptUri: sasUrl("runlogs", "scripts/count.sh") },
        outputBlobUri: sasUrl("runlogs", "out/blobs-1.stdout"),
        errorBlobUri: sasUrl("runlogs", "out/blobs-1.stderr"),
      },
      { updateIntervalInMs: 10 },
    );
    expect(done.provisioningState).toBe("Succeeded");
    const view = await env.current
      .compute()
      .virtualMachineRunCommands.getByVirtualMachine(RG, "dss-edge-01", "blobs-1", { expand: "instanceView" });
    expect(view.instanceView?.executionState).toBe("Succeeded");
    expect(view.instanceView?.output?.length).toBeLessThanOrEqual(4096);
    const out = (await container.getBlobClient("out/blobs-1.stdout").downloadToBuffer()).toString("utf8");
    expect(out.split("\n").filter(Boolean)).toHaveLength(2000);
    expect(out.startsWith("line 1\nline 2\n")).toBe(true);
    expect((await container.getBlobClient("out/blobs-1.stdout").getProperties()).blobType).toBe("AppendBlob");
    expect((await container.getBlobClient("out/blobs-1.stderr").downloadToBuffer()).toString("utf8")).toBe("done\n");
  });

  it("reports a blob it could not write in executionMessage without failing the run", async () => {
    await env.current.compute().virtualMachineRunCommands.createOrUpdate(
      RG,
      "dss-edge-01",
      "blobs-2",
      {
        location: "westeurope",
        source: { script: "echo hi" },
        outputBlobUri: `${azurite.current.blobUrl}/no-such-container/out.txt`,
      },
      { updateIntervalInMs: 10 },
    );
    const view = await env.current
      .compute()
      .virtualMachineRunCommands.getByVirtualMachine(RG, "dss-edge-01", "blobs-2", { expand: "instanceView" });
    expect(view.instanceView?.executionState).toBe("Succeeded");
    expect(view.instanceView?.executionMessage).toMatch(/writing the output blobs failed: .*no-such-container\/out\.txt answered 40\d/);
  });
});
