// JOBFLOW_REAPER_DRY_RUN=true: the timer's runs report what they would delete (audit + events) and delete
// nothing, and a manual run cannot ask for more than the setting allows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReaperAuditRecord } from "../../../functions/policies/auditStore";
import { startTestStack, type TestStack } from "../../support/stack";
import { clusterNames, createHandMadeCluster, policyStackOptions } from "./helpers";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(policyStackOptions({ JOBFLOW_REAPER_DRY_RUN: "true" }));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface RunResult {
  dryRun: boolean;
  decisions: ReaperAuditRecord[];
}

describe("the reaper with JOBFLOW_REAPER_DRY_RUN=true", () => {
  it("reports on its timer what it would delete and deletes nothing, even when a run asks for real", async () => {
    const dry = stack;
    {
      await createHandMadeCluster(dry, "orphan2", {
        "jobflow-managed": "true",
        "jobflow-created-at": new Date(dry.clock.nowMs()).toISOString(),
        "jobflow-expires-at": new Date(dry.clock.nowMs() + 3_600_000).toISOString(),
      });
      await dry.runUntil(async () => /running/i.test((await clusterNames(dry)).get("orphan2")?.clusterState ?? ""), {
        what: "orphan running",
      });
      const timerRun = () =>
        dry.events().filter((e) => e.type === "jobflow.reaper.decision" && (e.data as ReaperAuditRecord).rule === "orphaned");
      await dry.runUntil(() => timerRun().length > 0, { what: "a timer run saw the orphan" });
      expect(timerRun()[0].data).toMatchObject({ action: "delete", dryRun: true, outcome: "wouldDelete" });
      const asked = await dry.api("/reaper/run", { method: "POST", body: JSON.stringify({ dryRun: false }) });
      expect(((await asked.json()) as RunResult).decisions[0]).toMatchObject({ dryRun: true, outcome: "wouldDelete" });
      await dry.clock.advanceBy(30 * 60_000);
      await dry.host.engine?.waitForIdle();
      expect((await clusterNames(dry)).get("orphan2")?.clusterState).toMatch(/running/i);
    }
  }, 90_000);
});
