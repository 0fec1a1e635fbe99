import { describe, expect, it } from "vitest";
import { memoryOutput, type Output } from "../../../cli/output";
import { ProgressView, ServerTimeEstimator, clusterStateOf, progressEvents, progressLines, summaryLines } from "../../../cli/progress";
import { VirtualClock } from "../../../local/clock/virtualClock";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { at, baseRecord, scriptedLife } from "./jobRecords";

const mins = (m: number): number => Date.parse(at(m));

describe("progressLines (the live frame)", () => {
  it("shows job state and elapsed, cluster state, and one aligned row per step with attempts and elapsed", () => {
    const [, , running] = scriptedLife("j-1", "succeeded");
    expect(progressLines(running, mins(26))).toEqual([
      "job      nightly-sales (j-1)  running  26m00s",
      "cluster  jf-j-1 (created, spark-small)  ready",
      "STEP    STATE    ATTEMPTS  ELAPSED  NOTE",
      "ingest  running         1    5m00s  livy batch 0",
      "report  pending         -        -",
    ]);
  });

  it("shows the probed HDInsight state while provisioning, and the final error of a failed step", () => {
    const life = scriptedLife("j-1", "failed");
    expect(progressLines(life[1], mins(5), "HdInsightConfiguration")[1]).toBe(
      "cluster  jf-j-1 (created, spark-small)  provisioning (HdInsightConfiguration)",
    );
    const last = progressLines(life[4], mins(99));
    expect(last[0]).toBe("job      nightly-sales (j-1)  failed  33m00s");
    expect(last[4]).toBe("report  failed            2    8m00s  Livy batch dead: java.lang.OutOfMemoryError");
  });

  it("lists edge VMs when the job has some", () => {
    const r = baseRecord("j-2", { edges: [{ vm: "dss-edge-01", state: "attached" }] });
    expect(progressLines(r, mins(1))).toContain("edges    dss-edge-01 attached");
  });

  it("copes with the bare {id, state} answer given before the first record is written", () => {
    const bare = { id: "j-3", state: "queued" } as unknown as JobRecord;
    expect(progressLines(bare, mins(0))[0]).toBe("job      j-3 (j-3)  queued  -");
    expect(clusterStateOf(bare)).toBe("waiting");
  });
});

describe("progressEvents (appended lines when not on a terminal)", () => {
  it("emits each transition once, in server-time order, with attempts, durations and errors", () => {
    const lines: string[] = [];
    let prev: JobRecord | undefined;
    for (const r of scriptedLife("j-1", "completedWithFailures")) {
      lines.push(...progressEvents(prev, r));
      prev = r;
    }
    lines.push(...progressEvents(prev, prev as JobRecord)); // an unchanged poll adds nothing
    expect(lines).toEqual([
      "2026-11-21 02:00:00Z  job j-1 queued",
      "2026-11-21 02:01:00Z  job j-1 acquiringCluster",
      "2026-11-21 02:01:00Z  cluster jf-j-1 provisioning",
      "2026-11-21 02:20:00Z  cluster jf-j-1 ready",
      "2026-11-21 02:21:00Z  job j-1 running",
      "2026-11-21 02:21:00Z  step ingest running (attempt 1)",
      "2026-11-21 02:24:00Z  step ingest succeeded (attempt 1) after 3m00s",
      "2026-11-21 02:24:00Z  step report running (attempt 1)",
      "2026-11-21 02:32:00Z  step report failed (attempt 2) after 8m00s: Livy batch dead: java.lang.OutOfMemoryError",
      "2026-11-21 02:33:00Z  job j-1 completedWithFailures",
      "2026-11-21 02:33:00Z  cluster jf-j-1 released",
    ]);
  });

  it("reports a new attempt of a retrying step and a change of the probed cluster state", () => {
    const life = scriptedLife("j-1", "succeeded");
    expect(progressEvents(life[1], life[1], "Accepted", undefined)).toEqual([
      "2026-11-21 02:01:00Z  cluster jf-j-1 provisioning (Accepted)",
    ]);
    const retrying = baseRecord("j-1", {
      ...life[3],
      steps: [life[3].steps[0], { ...life[3].steps[1], state: "retrying", attempts: [{ attempt: 1 }, { attempt: 2, startedAt: at(27) }] }],
    });
    expect(progressEvents(life[3], retrying)).toEqual(["2026-11-21 02:27:00Z  step report retrying (attempt 2)"]);
  });
});

describe("summaryLines", () => {
  it("gives outcome, duration, step counts, cluster, cost estimate and errors", () => {
    const failed = scriptedLife("j-1", "failed")[4];
    expect(summaryLines(failed)).toEqual([
      "job j-1 (nightly-sales) failed in 33m00s",
      "  steps: 2 steps — 1 succeeded, 1 failed",
      "  cluster: jf-j-1 (created, spark-small, reuse never), ready 2026-11-21 02:20:00Z, released 2026-11-21 02:33:00Z",
      "  cost: 0.95 USD (78 node-minutes of jf-cluster; final; prices: retail-prices-api)",
      "  error: step report failed (TERMINATE_CLUSTER)",
      "  step report failed: Livy batch dead: java.lang.OutOfMemoryError",
    ]);
  });

  it("says when no cost could be estimated", () => {
    const cancelled = baseRecord("j-4", { state: "cancelled", endedAt: at(1), updatedAt: at(1) });
    expect(summaryLines(cancelled)).toContain("  cost: not available (no cluster billed for this job)");
  });
});

describe("ServerTimeEstimator", () => {
  it("advances sandbox time from the last record update at the clock's speed", async () => {
    const wall = new VirtualClock({ mode: "manual", startMs: 1_000_000 });
    const est = new ServerTimeEstimator(wall, 60, false);
    est.observe({ updatedAt: at(10) });
    await wall.advanceBy(2_000); // 2 s of wall time = 2 min of sandbox time at 60×
    expect(est.nowMs()).toBe(mins(12));
    est.observe({ updatedAt: at(10) }); // same record: the anchor stays
    expect(est.nowMs()).toBe(mins(12));
    est.observe({ updatedAt: at(15) });
    expect(est.nowMs()).toBe(mins(15));
  });

  it("uses the wall clock for a deployment", () => {
    const wall = new VirtualClock({ mode: "manual", startMs: 42 });
    const est = new ServerTimeEstimator(wall, 1, true);
    est.observe({ updatedAt: at(10) });
    expect(est.nowMs()).toBe(42);
  });
});

describe("ProgressView", () => {
  const life = scriptedLife("j-1", "succeeded");

  it("redraws the frame in place on a terminal (cursor up by the previous frame's height, clear) and clips to the width", () => {
    const out: Output & { stdout: string[] } = { ...memoryOutput(), tty: { columns: () => 41 } };
    const view = new ProgressView(out);
    view.update(life[0], mins(0));
    view.update(life[2], mins(22));
    expect(out.stdout).toHaveLength(2);
    expect(out.stdout[0].startsWith("\x1b")).toBe(false);
    expect(out.stdout[1].startsWith("\x1b[5A\x1b[J")).toBe(true);
    const frame = out.stdout[1].slice("\x1b[5A\x1b[J".length).split("\n");
    expect(frame[0]).toBe("job      nightly-sales (j-1)  running  …");
    expect(Math.max(...frame.map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it("appends only the changes otherwise", () => {
    const out = memoryOutput();
    const view = new ProgressView(out);
    view.update(life[0], mins(0));
    view.update(life[0], mins(1));
    view.update(life[1], mins(2));
    expect(out.stdout).toEqual([
      "2026-11-21 02:00:00Z  job j-1 queued",
      "2026-11-21 02:01:00Z  job j-1 acquiringCluster",
      "2026-11-21 02:01:00Z  cluster jf-j-1 provisioning",
    ]);
  });
});
