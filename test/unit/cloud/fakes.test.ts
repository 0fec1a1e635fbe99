// The in-memory cloud fakes (shared/cloud/fake) keep the contracts they stand in for: named errors, missing =
// undefined, conditional writes, and the recorder's one-shot error injection and reset.
import { describe, expect, it } from "vitest";
import { createFakeCloud, FakeBlobStore, FakeSecretStore } from "../../../shared/cloud/fake";
import { JobflowError } from "../../../shared/errors";

describe("CallRecorder (through the fakes)", () => {
  it("records every call in order, throws each queued error once in FIFO order, and reset forgets everything", async () => {
    const secrets = new FakeSecretStore({ a: "1" });
    secrets
      .failNext("getSecret", new JobflowError("ThrottledError", "first"))
      .failNext("getSecret", new JobflowError("TransientError", "second"));
    await expect(secrets.getSecret("a")).rejects.toMatchObject({ name: "ThrottledError" });
    await expect(secrets.getSecret("a")).rejects.toMatchObject({ name: "TransientError" });
    expect(await secrets.getSecret("a")).toBe("1");
    expect(secrets.callsTo("getSecret")).toEqual([["a"], ["a"], ["a"]]);
    secrets.failNext("getSecret", new Error("pending"));
    secrets.reset();
    expect(secrets.calls).toEqual([]);
    await expect(secrets.getSecret("a")).rejects.toMatchObject({ name: "NotFoundError" }); // state gone, queued error gone
  });
});

describe("fake contracts", () => {
  it("blob store: ETag conditions fail with ConflictError; missing blobs are undefined; delete of a missing blob succeeds", async () => {
    const blobs = new FakeBlobStore();
    const etag = await blobs.putJson("c", "x.json", { v: 1 }, { ifNoneMatch: "*" });
    await expect(blobs.putJson("c", "x.json", { v: 2 }, { ifNoneMatch: "*" })).rejects.toMatchObject({ name: "ConflictError" });
    await expect(blobs.putJson("c", "x.json", { v: 2 }, { ifMatch: '"stale"' })).rejects.toMatchObject({ name: "ConflictError" });
    await blobs.putJson("c", "x.json", { v: 3 }, { ifMatch: etag });
    expect((await blobs.getJson("c", "x.json"))?.value).toEqual({ v: 3 });
    expect(await blobs.getText("c", "nope")).toBeUndefined();
    await blobs.delete("c", "nope");
    await blobs.appendText("c", "log", "a");
    await blobs.appendText("c", "log", "b");
    expect(await blobs.getText("c", "log")).toBe("ab");
    await expect(blobs.appendText("c", "x.json", "no")).rejects.toMatchObject({ name: "ConflictError" });
    expect((await blobs.list("c", "")).map((e) => e.name)).toEqual(["log", "x.json"]);
  });

  it("clusters: create is idempotent, create over a deleting cluster conflicts, delete of a missing one succeeds", async () => {
    const { clusters } = createFakeCloud();
    await clusters.beginCreate("c1", { location: "westeurope", properties: {} } as never);
    await clusters.beginCreate("c1", { location: "westeurope", properties: {} } as never);
    expect(clusters.names()).toEqual(["c1"]);
    await clusters.beginDelete("c1");
    await expect(clusters.beginCreate("c1", { properties: {} } as never)).rejects.toMatchObject({ name: "ConflictError" });
    clusters.finishDelete("c1");
    expect(await clusters.get("c1")).toBeUndefined();
    await clusters.beginDelete("c1");
    await expect(clusters.updateTags("c1", {})).rejects.toMatchObject({ name: "NotFoundError" });
  });

  it("run commands: an unknown VM is NotFoundError; secrets: versions pin, unknown ones are NotFoundError", async () => {
    const cloud = createFakeCloud({ edgeVms: ["vm1"] });
    await expect(cloud.runCommands.beginRun("vm2", "r", { script: "true" })).rejects.toMatchObject({ name: "NotFoundError" });
    await cloud.runCommands.beginRun("vm1", "r", { script: "true" });
    expect(await cloud.runCommands.get("vm1", "r")).toMatchObject({ executionState: "Running" });
    cloud.secrets.set("s", "old");
    cloud.secrets.set("s", "new");
    expect(await cloud.secrets.getSecretVersion("s", { version: "v1" })).toEqual({ value: "old", version: "v1" });
    expect(await cloud.secrets.getSecretVersion("s")).toEqual({ value: "new", version: "v2" });
    await expect(cloud.secrets.getSecretVersion("s", { version: "v9" })).rejects.toMatchObject({ name: "NotFoundError" });
  });

  it("createFakeCloud hands out one Livy fake per cluster, and reset() clears them all", async () => {
    const cloud = createFakeCloud();
    const livy = cloud.livy("c1");
    expect(cloud.livy("c1")).toBe(livy);
    await livy.submitBatch({ file: "a.py" });
    await cloud.events.publish([{ specversion: "1.0", id: "1", source: "/t", type: "t" }]);
    cloud.reset();
    expect(cloud.livy("c1")).not.toBe(livy);
    expect(cloud.events.published).toEqual([]);
  });
});
