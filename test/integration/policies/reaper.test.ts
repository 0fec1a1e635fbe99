// The reaper on the embedded stack. Seven clusters: three hand-made through ARM (an orphan and an expired one with
// Jobflow's tags but no orchestration, one with jobflow-keep=true), one untagged, two hand-made opted in with
// jobflow-reap=idle (one idle, one busy with a running YARN app) and one warm, idle Jobflow cluster whose idle tag
// an operator tightened.
// A dry run changes nothing; a run deletes the orphan and the expired one at once, stamps the opted-in one; the
// timer's run hours later reaps the idle managed cluster (through its orchestration) and the opted-in one, and
// leaves the busy, kept and untagged clusters alone. Every decision is audited and listed newest first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_RESOURCE_GROUP } from "../../../local/stack";
import { IDLE_SINCE_TAG } from "../../../shared/policies/reaperRules";
import type { ReaperAuditRecord } from "../../../functions/policies/auditStore";
import { startTestStack, type TestStack } from "../../support/stack";
import { armClient, cli, clusterNames, createHandMadeCluster, policyStackOptions, sandboxControl } from "./helpers";

let stack: TestStack;

beforeAll(async () => {
  // The timer every 2 hours (first at 10:00Z); the test's earlier runs go through POST /reaper/run.
  stack = await startTestStack(policyStackOptions({ JOBFLOW_REAPER_SCHEDULE: "0 0 */2 * * *" }));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const managed = (extra: Record<string, string>): Record<string, string> => ({
  "jobflow-managed": "true",
  "jobflow-job": "j-gone",
  "jobflow-created-at": new Date(stack.clock.nowMs()).toISOString(),
  "jobflow-idle-minutes": "15",
  "jobflow-expires-at": new Date(stack.clock.nowMs() + 24 * 3_600_000).toISOString(),
  ...extra,
});
const FILE = "abfss://code@jobflowlake.dfs.core.windows.net/x.py";

interface RunResult {
  dryRun: boolean;
  decisions: ReaperAuditRecord[];
}
const run = async (dryRun: boolean): Promise<RunResult> => {
  const res = await stack.api("/reaper/run", { method: "POST", body: JSON.stringify({ dryRun }) });
  expect(res.status).toBe(200);
  return (await res.json()) as RunResult;
};
const byName = (r: RunResult) => new Map(r.decisions.map((d) => [d.clusterName, d]));

describe("the reaper", () => {
  it("deletes orphaned, expired and idle clusters, reaps an opted-in one after its threshold, and leaves the rest", async () => {
    await createHandMadeCluster(stack, "orphan1", managed({}));
    await createHandMadeCluster(
      stack,
      "expired1",
      managed({ "jobflow-expires-at": new Date(stack.clock.nowMs() + 30 * 60_000).toISOString() }),
    );
    await createHandMadeCluster(
      stack,
      "kept1",
      managed({ "jobflow-keep": "true", "jobflow-expires-at": new Date(stack.clock.nowMs()).toISOString() }),
    );
    await createHandMadeCluster(stack, "untagged1", {});
    const optIn = {
      "jobflow-reap": "idle",
      "jobflow-idle-minutes": "30",
      "jobflow-gateway-secret": "cluster-gateway-password",
      "jobflow-gateway-user": "admin",
    };
    await createHandMadeCluster(stack, "teamspark", optIn);
    await createHandMadeCluster(stack, "teambusy", optIn);
    const idleJob = await stack.submit({
      name: "warm",
      cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 600, keepWarmPolicy: "fixed" },
      steps: [{ id: "short", file: FILE }],
    });
    await stack.runUntil(
      async () => {
        const names = await clusterNames(stack);
        const running = [...names.values()].filter((c) => /running/i.test(c.clusterState)).length;
        return running === 7 && (await stack.job(idleJob)).state === "succeeded";
      },
      { what: "seven running clusters and the warm job done" },
    );
    // Someone runs a Hive query on the busy team cluster for 8 hours.
    expect(
      (
        await sandboxControl(stack, "POST", "/gateway/yarn-apps", {
          cluster: "teambusy",
          name: "etl",
          applicationType: "TEZ",
          durationSeconds: 8 * 3600,
        })
      ).status,
    ).toBe(201);
    const idleCluster = (await stack.job(idleJob)).cluster as { name: string };
    // An operator tightens the warm cluster's idle policy by tag (the orchestration would keep it 600 minutes).
    const info = (await clusterNames(stack)).get(idleCluster.name);
    await armClient(stack).clusters.update(LOCAL_RESOURCE_GROUP, idleCluster.name, {
      tags: { ...info?.tags, "jobflow-idle-minutes": "5" },
    });
    await stack.clock.advanceBy(31 * 60_000); // expired1 is now past its expiry
    await stack.host.engine?.waitForIdle();

    const dry = await run(true);
    expect(dry.dryRun).toBe(true);
    const d = byName(dry);
    expect(d.get("orphan1")).toMatchObject({ action: "delete", rule: "orphaned", outcome: "wouldDelete" });
    expect(d.get("expired1")).toMatchObject({ action: "delete", rule: "expired", outcome: "wouldDelete" });
    expect((await clusterNames(stack)).size).toBe(7);
    expect((await clusterNames(stack)).get("teamspark")?.tags[IDLE_SINCE_TAG]).toBeUndefined();

    await stack.clock.advanceBy(60_000);
    const first = byName(await run(false));
    expect(first.get("orphan1")).toMatchObject({ rule: "orphaned", outcome: "deleteRequested" });
    expect(first.get("expired1")).toMatchObject({ rule: "expired", outcome: "deleteRequested" });
    expect(first.get("kept1")).toMatchObject({ rule: "keep-tag", outcome: "kept" });
    expect(first.get("untagged1")).toMatchObject({ rule: "unmanaged", outcome: "kept" });
    expect(first.get("teamspark")).toMatchObject({ rule: "idle-stamped", outcome: "kept" });
    expect(first.get("teambusy")).toMatchObject({ rule: "busy", outcome: "kept", evidence: { runningApps: 1 } });
    expect(first.get(idleCluster.name)?.evidence).toMatchObject({
      liveOrchestration: true,
      holders: [],
      activeBatches: 0,
      runningApps: 0,
      idleThresholdMinutes: 5,
    });
    expect((await clusterNames(stack)).get("teamspark")?.tags[IDLE_SINCE_TAG]).toBeDefined();

    // A run that finds kept clusters as they were audits (and publishes) only what changed, e.g. teamspark's stamp.
    const eventsBefore = stack.events().filter((e) => e.type === "jobflow.reaper.decision").length;
    await stack.clock.advanceBy(60_000);
    const again = byName(await run(false));
    expect(again.get("untagged1")).toMatchObject({ rule: "unmanaged", outcome: "kept" });
    const news = stack
      .events()
      .filter((e) => e.type === "jobflow.reaper.decision")
      .slice(eventsBefore)
      .map((e) => (e.data as ReaperAuditRecord).clusterName);
    expect(news).toContain("teamspark"); // idle-stamped → idle-below-threshold
    for (const unchanged of ["untagged1", "kept1", "teambusy"]) expect(news).not.toContain(unchanged);

    // The timer's run at 10:00Z.
    const timerAt = Date.parse("2026-11-21T10:00:00Z");
    await stack.runUntil(
      async () =>
        stack.clock.nowMs() >= timerAt &&
        !(await clusterNames(stack)).has(idleCluster.name) &&
        !(await clusterNames(stack)).has("teamspark"),
      { what: "timer reaped the idle clusters" },
    );
    const left = [...(await clusterNames(stack)).keys()].sort();
    expect(left).toEqual(["kept1", "teambusy", "untagged1"]);
    const reaped = stack.events().find((e) => e.type === "jobflow.cluster.deleted" && e.subject === `clusters/${idleCluster.name}`);
    expect((reaped?.data as { reason: string }).reason).toMatch(/^reaped: idle/);

    const listed = await stack.api("/reaper/decisions?limit=5");
    const page1 = (await listed.json()) as { decisions: ReaperAuditRecord[]; continuationToken?: string };
    expect(page1.decisions).toHaveLength(5);
    expect(page1.continuationToken).toBeDefined();
    const times = page1.decisions.map((x) => x.decidedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const team = (await (await stack.api("/reaper/decisions?cluster=teamspark")).json()) as { decisions: ReaperAuditRecord[] };
    expect(team.decisions[0]).toMatchObject({ rule: "idle", outcome: "deleteRequested" });
    expect(team.decisions.at(-1)).toMatchObject({ rule: "idle-stamped", dryRun: true, outcome: "kept" });
    // One event per audited decision, and every run saw every cluster that still existed.
    const all = (await (await stack.api("/reaper/decisions?limit=500")).json()) as { decisions: ReaperAuditRecord[] };
    expect(stack.events().filter((e) => e.type === "jobflow.reaper.decision").length).toBe(all.decisions.length);
    expect(new Set(all.decisions.map((x) => x.runId)).size).toBeGreaterThanOrEqual(3);
    expect(all.decisions.filter((x) => x.clusterName === "untagged1").every((x) => x.rule === "unmanaged" && x.outcome === "kept")).toBe(
      true,
    );

    // The CLI lists the same decisions, and runs a dry run that deletes nothing.
    const listedByCli = await cli(stack, ["reaper", "--cluster", "teamspark"]);
    expect(listedByCli.code).toBe(0);
    expect(listedByCli.lines[0]).toMatch(/^DECIDED\s+CLUSTER\s+OUTCOME\s+RULE/);
    expect(listedByCli.lines.slice(1).every((l) => l.includes("teamspark"))).toBe(true);
    const dryByCli = await cli(stack, ["reaper", "run", "--dry-run", "--json"]);
    expect(dryByCli.code).toBe(0);
    expect((dryByCli.json as { dryRun: boolean; decisions: { outcome: string }[] }).decisions.map((x) => x.outcome)).toEqual([
      "kept",
      "kept",
      "kept",
    ]);
  }, 90_000);
});
