// One reaper run (functions/policies/reaper.ts) on the cloud fakes and a fake Durable client: it deletes an orphaned
// Jobflow cluster directly, asks a live cluster orchestration to reap instead, leaves hand-made clusters alone,
// only reports in a dry run, audits and announces its decisions, and records a failed delete as such.
import { describe, expect, it } from "vitest";
import { runReaper } from "../../../functions/policies/reaper";
import { createFakeCloud } from "../../../shared/cloud/fake";
import { loadConfig } from "../../../shared/config";
import { JobflowError } from "../../../shared/errors";
import { ORCHESTRATION } from "../../../shared/workflow/activities";
import { FakeDurableClient } from "../../support/fakeDurableClient";
import { fakeReaperDeps, putOrphanCluster } from "./reaperFixtures";

function setup() {
  const cloud = createFakeCloud();
  const config = loadConfig({ JOBFLOW_TARGET: "local" });
  const durable = new FakeDurableClient();
  const at = (minutes: number): string => new Date(cloud.clock.nowMs() + minutes * 60_000).toISOString();
  const managed = (name: string): void => putOrphanCluster(cloud, name);
  const deps = fakeReaperDeps(cloud, config);
  return { cloud, config, durable, deps, at, managed, run: (dryRun = false) => runReaper(deps, durable.asClient(), { dryRun }) };
}

describe("a reaper run", () => {
  it("deletes an orphaned Jobflow cluster, keeps a hand-made one, audits and announces the decisions", async () => {
    const t = setup();
    t.managed("jf-orphan");
    t.cloud.clusters.put({ name: "handmade", tags: { team: "x" } });
    const result = await t.run();
    const byName = Object.fromEntries(result.decisions.map((d) => [d.clusterName, d]));
    expect(byName["jf-orphan"]).toMatchObject({ action: "delete", rule: "orphaned", outcome: "deleteRequested" });
    expect(byName.handmade).toMatchObject({ action: "keep", rule: "unmanaged", outcome: "kept" });
    expect(t.cloud.clusters.callsTo("beginDelete").map((args) => args[0])).toEqual(["jf-orphan"]);
    expect(t.cloud.blobs.names(t.config.containers.audit).filter((n) => n.startsWith("reaper/decisions/"))).toHaveLength(2);
    expect(t.cloud.events.types()).toEqual(["jobflow.reaper.decision", "jobflow.reaper.decision"]);
    // A second run with nothing new audits nothing again.
    t.cloud.events.reset();
    await t.run();
    expect(t.cloud.events.types()).toEqual(["jobflow.reaper.decision"]); // the orphan, now Deleting: a changed decision
  });

  it("asks a live cluster orchestration to reap rather than deleting behind its back", async () => {
    const t = setup();
    t.managed("jf-idle");
    t.durable.put({
      instanceId: "cluster-jf-idle",
      name: ORCHESTRATION.cluster,
      runtimeStatus: "Running",
      customStatus: { phase: "ready", holders: [], readyAt: t.at(-100), idleSince: t.at(-60) },
      input: { profileName: "default" },
    });
    const [decision] = (await t.run()).decisions;
    expect(decision).toMatchObject({ action: "delete", rule: "idle", outcome: "reapRequested" });
    expect(t.durable.raised).toEqual([
      { instanceId: "cluster-jf-idle", eventName: "clusterCommand", payload: { type: "reap", reason: expect.stringMatching(/^idle: /) } },
    ]);
    expect(t.cloud.clusters.callsTo("beginDelete")).toEqual([]);
    expect(t.cloud.livy("jf-idle").callsTo("listBatches")).toHaveLength(1); // evidence of idleness was gathered
  });

  it("in a dry run decides but does not act; a delete Azure refuses is recorded as failed", async () => {
    const t = setup();
    t.managed("jf-orphan");
    expect((await t.run(true)).decisions[0]).toMatchObject({ outcome: "wouldDelete" });
    expect(t.cloud.clusters.callsTo("beginDelete")).toEqual([]);
    t.cloud.clusters.failNext("beginDelete", new JobflowError("AuthError", "AuthorizationFailed (HTTP 403)", { statusCode: 403 }));
    expect((await t.run()).decisions[0]).toMatchObject({ outcome: "failed", error: "AuthError: AuthorizationFailed (HTTP 403)" });
  });
});
