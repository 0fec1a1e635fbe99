// Edge activities through the factory on the cloud fakes: the bundle SAS travels only as a protected parameter,
// run command output is cut of URL secrets before it reaches a record, finished run commands are deleted, and
// the VM's attachment moves only on success.
import { beforeEach, describe, expect, it } from "vitest";
import { FAKE_SAS_SIGNATURE } from "../../../shared/cloud/fake";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, type EdgeSyncResult } from "../../../shared/workflow/activities";
import { EDGE_VM, activityHarness } from "./harness";

const attach = {
  vm: EDGE_VM,
  mode: "attach" as const,
  clusterName: "jf-c1",
  profileName: "default",
  requestedBy: "job-1",
  opId: "op-1",
  bundleBlob: "jf-c1/client-configs.tar.gz",
  clusterVersion: "5.1.3000",
  headnodeIp: "10.0.0.4",
};

describe("edge activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("beginEdgeSync passes the bundle's read SAS only as a protected parameter", async () => {
    const result = await h.call(ACTIVITY.beginEdgeSync, attach);
    const name = (result as { runCommandName: string }).runCommandName;
    expect(name).toMatch(/^jobflow-attach-/);
    const request = h.cloud.runCommands.requestOf(EDGE_VM, name);
    expect(JSON.stringify(request?.protectedParameters)).toContain(FAKE_SAS_SIGNATURE);
    expect(request?.script).not.toContain(FAKE_SAS_SIGNATURE);
    expect(JSON.stringify(request?.parameters)).not.toContain(FAKE_SAS_SIGNATURE);
    expect(JSON.stringify(result)).not.toContain(FAKE_SAS_SIGNATURE);
    expect(h.cloud.blobs.callsTo("createReadSasUrl")).toEqual([[h.config.containers.bundles, attach.bundleBlob, { expiresInMinutes: 60 }]]);
  });

  it("an unregistered VM is not found at once (no SAS, no run command); a busy VM (409) is retried", async () => {
    expect(await h.call(ACTIVITY.beginEdgeSync, { ...attach, vm: "rogue-vm" })).toMatchObject({ activityFailure: { kind: "notFound" } });
    expect(h.cloud.blobs.callsTo("createReadSasUrl")).toEqual([]);
    h.cloud.runCommands.failNext(
      "beginRun",
      new JobflowError("ConflictError", "another operation is in progress (HTTP 409)", { statusCode: 409 }),
    );
    await expect(h.call(ACTIVITY.beginEdgeSync, attach)).rejects.toMatchObject({
      name: "ConflictError",
      message: expect.stringMatching(/^\[transient\] /),
    });
  });

  it("getEdgeSync reports a running script, then the final state with URL secrets cut, and deletes the run command", async () => {
    const { runCommandName } = (await h.call(ACTIVITY.beginEdgeSync, attach)) as { runCommandName: string };
    expect(await h.call(ACTIVITY.getEdgeSync, { vm: EDGE_VM, runCommandName })).toEqual({ executionState: "Running" });
    const leaked = `https://acct.blob.core.windows.net/bundles/x.tgz?sv=2024&sig=${FAKE_SAS_SIGNATURE}`;
    h.cloud.runCommands.finish(EDGE_VM, runCommandName, {
      executionState: "Failed",
      exitCode: 22,
      output: `downloading ${leaked}\ncurl failed`,
      error: `curl: (22) ${leaked}`,
    });
    const done = await h.call(ACTIVITY.getEdgeSync, { vm: EDGE_VM, runCommandName });
    expect(done).toMatchObject({ executionState: "Failed", exitCode: 22, outputTail: expect.stringContaining("curl failed") });
    expect(JSON.stringify(done)).not.toContain(FAKE_SAS_SIGNATURE);
    expect(h.cloud.runCommands.runNames(EDGE_VM)).toEqual([]);
  });

  it("a run command that disappeared is reported failed, not thrown", async () => {
    expect(await h.call(ACTIVITY.getEdgeSync, { vm: EDGE_VM, runCommandName: "jobflow-attach-gone" })).toEqual({
      executionState: "Failed",
      message: "run command jobflow-attach-gone disappeared",
    });
  });

  it("recordEdgeSync moves the attachment on success only, and always keeps the last sync", async () => {
    const ok: EdgeSyncResult = { vm: EDGE_VM, ok: true, mode: "attach", clusterName: "jf-c1", exitCode: 0 };
    await h.call(ACTIVITY.recordEdgeSync, { result: ok, requestedBy: "job-1" });
    expect(await h.call(ACTIVITY.listEdgesAttachedTo, { clusterName: "jf-c1" })).toEqual([EDGE_VM]);
    h.cloud.clock.advance(60_000);
    const failed: EdgeSyncResult = {
      vm: EDGE_VM,
      ok: false,
      mode: "switch",
      clusterName: "jf-c2",
      exitCode: 3,
      message: "bundle unreadable",
    };
    await h.call(ACTIVITY.recordEdgeSync, { result: failed, requestedBy: "job-2" });
    expect(await h.call(ACTIVITY.listEdgesAttachedTo, { clusterName: "jf-c1" })).toEqual([EDGE_VM]);
    expect(await h.call(ACTIVITY.listEdgesAttachedTo, { clusterName: "jf-c2" })).toEqual([]);
    const stored = (
      await h.cloud.blobs.getJson<{ lastSync: { ok: boolean; at: string; message: string } }>(
        h.config.containers.jobs,
        h.cloud.blobs.names(h.config.containers.jobs)[0] as string,
      )
    )?.value;
    expect(stored?.lastSync).toMatchObject({ ok: false, message: "bundle unreadable", at: "2026-01-01T00:01:00.000Z" });
  });

  it("prepareEdgeBundle of a cluster that does not exist is not found, without touching the gateway", async () => {
    expect(await h.call(ACTIVITY.prepareEdgeBundle, { clusterName: "nope", profileName: "default" })).toMatchObject({
      activityFailure: { kind: "notFound", message: "cluster nope does not exist" },
    });
    expect(h.cloud.gateway("nope").calls).toEqual([]);
  });
});
