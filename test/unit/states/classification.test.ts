import { describe, expect, it } from "vitest";
import {
  ACTION_ON_FAILURE,
  classifyHdinsightCluster,
  classifyLivyState,
  failureEffect,
  HDINSIGHT_CLUSTER_STATES,
  HDINSIGHT_PROVISIONING_STATES,
  LIVY_FAILED_STATES,
  LIVY_STATES,
  LIVY_TERMINAL_STATES,
  type ObservedClusterStatus,
} from "../../../shared/states";
import { jobOutcome } from "../../../shared/workflow/stepScheduler";
import type { StepRecord, StepState } from "../../../shared/workflow/jobRecord";

describe("Livy states", () => {
  const expected: Record<string, [string, boolean, boolean]> = {
    not_started: ["starting", false, false],
    starting: ["starting", false, false],
    recovering: ["starting", false, false],
    idle: ["running", false, false],
    running: ["running", false, false],
    busy: ["running", false, false],
    shutting_down: ["running", false, false],
    error: ["failed", true, true],
    dead: ["failed", true, true],
    killed: ["killed", true, true],
    success: ["succeeded", true, false],
  };

  it("lists every Livy 0.7 state", () => {
    expect([...LIVY_STATES].sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s → %j", (state, [phase, terminal, failed]) => {
    for (const variant of [state, state.toUpperCase(), ` ${state} `]) {
      expect(classifyLivyState(variant)).toEqual({ phase, terminal, failed });
    }
    expect(LIVY_TERMINAL_STATES.includes(state as never)).toBe(terminal);
    expect(LIVY_FAILED_STATES.includes(state as never)).toBe(failed);
  });

  it.each(["", "unknown", "SUCCEEDED", "__proto__", "constructor"])("unknown %j keeps polling", (state) => {
    expect(classifyLivyState(state)).toEqual({ phase: "unknown", terminal: false, failed: false });
  });
});

describe("HDInsight provisioningState × clusterState", () => {
  // The intended classification, written independently of the implementation.
  function expectedStatus(p: string | undefined, c: string | undefined): ObservedClusterStatus {
    const cs = c ?? "";
    if (cs === "Deleted") return "gone";
    if (p === "Failed" || p === "Canceled" || ["Error", "TimedOut", "Aborted", "DeleteTimedout", "DeleteError"].includes(cs))
      return "failed";
    if (p === "Deleting" || cs === "Deleting" || cs === "DeleteQueued") return "deleting";
    if (p === "Succeeded" && ["Running", "PatchQueued", "CertRolloverQueued", "ResizeQueued", "ClusterCustomization"].includes(cs))
      return "ready";
    return "creating";
  }
  const provisioning = [...HDINSIGHT_PROVISIONING_STATES, undefined];
  const clusterStates = [...HDINSIGHT_CLUSTER_STATES, "HdInsightConfiguration", "SomethingNew", undefined];
  const casings = [(s: string) => s, (s: string) => s.toLowerCase(), (s: string) => s.toUpperCase()];

  it(`classifies all ${provisioning.length * clusterStates.length} combinations in any casing`, () => {
    let count = 0;
    for (const p of provisioning) {
      for (const c of clusterStates) {
        const want = expectedStatus(p, c === "HdInsightConfiguration" ? "HDInsightConfiguration" : c);
        for (const casing of casings) {
          const got = classifyHdinsightCluster({
            provisioningState: p === undefined ? undefined : casing(p),
            clusterState: c === undefined ? undefined : casing(c),
          });
          expect(got, `${p} × ${c}`).toBe(want);
          count++;
        }
      }
    }
    expect(count).toBe(provisioning.length * clusterStates.length * casings.length);
  });

  it.each([
    [{ provisioningState: "Succeeded", clusterState: "Running" }, "ready"],
    [{ provisioningState: "InProgress", clusterState: "HdInsightConfiguration" }, "creating"],
    [{ provisioningState: "InProgress", clusterState: "Running" }, "creating"],
    [{ provisioningState: "Succeeded", clusterState: "Operational" }, "creating"],
    [{ provisioningState: "Failed", clusterState: "Running" }, "failed"],
    [{ provisioningState: "Succeeded", clusterState: "Error" }, "failed"],
    [{ provisioningState: "Deleting", clusterState: "Running" }, "deleting"],
    [{ provisioningState: "Succeeded", clusterState: "Deleted" }, "gone"],
    [{ provisioningState: null, clusterState: null }, "creating"],
    [null, "gone"],
  ] as const)("%j → %s", (observed, status) => {
    expect(classifyHdinsightCluster(observed)).toBe(status);
  });
});

describe("ActionOnFailure", () => {
  it("is one complete table: what a step that failed for good does (docs/job-spec.md)", () => {
    expect(Object.keys(ACTION_ON_FAILURE).sort()).toEqual(["CANCEL_AND_WAIT", "CONTINUE", "TERMINATE_CLUSTER"]);
    expect(failureEffect("TERMINATE_CLUSTER")).toEqual({ cancelPending: true, killRunning: true, jobFails: true, terminateCluster: true });
    expect(failureEffect("CANCEL_AND_WAIT")).toEqual({ cancelPending: true, killRunning: true, jobFails: true, terminateCluster: false });
    expect(failureEffect("CONTINUE")).toEqual({ cancelPending: false, killRunning: false, jobFails: false, terminateCluster: false });
  });

  const steps = (...states: StepState[]): StepRecord[] => states.map((state, i) => ({ id: `s${i}`, name: `s${i}`, state, attempts: [] }));
  it.each([
    [steps("succeeded"), true, true, "cancelled"],
    [steps("succeeded"), true, false, "failed"],
    [steps("succeeded", "failed"), false, false, "completedWithFailures"],
    [steps("succeeded", "failed", "skipped"), false, false, "completedWithFailures"],
    [steps("timedOut"), false, false, "completedWithFailures"],
    [steps("succeeded", "succeeded"), false, false, "succeeded"],
  ] as const)("jobOutcome(%j, fatal %s, cancelled %s) = %s", (records, fatal, cancelled, outcome) => {
    expect(jobOutcome(records, fatal, cancelled)).toBe(outcome);
  });
});
