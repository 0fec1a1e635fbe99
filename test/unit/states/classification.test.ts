import { describe, expect, it } from "vitest";
import {
  ACTION_ON_FAILURE,
  classifyHdinsightCluster,
  classifyLivyState,
  failureEffect,
  HDINSIGHT_CLUSTER_STATES,
  HDINSIGHT_PROVISIONING_STATES,
  jobOutcomeOf,
  LIVY_FAILED_STATES,
  LIVY_STATES,
  LIVY_TERMINAL_STATES,
  type ObservedClusterStatus,
} from "../../../shared/states";

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
    if (p === "Failed" || p === "Canceled" || ["Error", "TimedOut", "Aborted", "DeleteTimedout", "DeleteError"].includes(cs)) return "failed";
    if (p === "Deleting" || cs === "Deleting" || cs === "DeleteQueued") return "deleting";
    if (p === "Succeeded" && ["Running", "PatchQueued", "CertRolloverQueued", "ResizeQueued", "ClusterCustomization"].includes(cs)) return "ready";
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
  it("is a complete table matching DESIGN §5", () => {
    expect(Object.keys(ACTION_ON_FAILURE).sort()).toEqual(["CANCEL_AND_WAIT", "CONTINUE", "TERMINATE_CLUSTER"]);
    expect(failureEffect("TERMINATE_CLUSTER")).toEqual({
      stopJob: true, jobOutcome: "failed", pendingSteps: "cancel", runningSteps: "kill", cluster: "deleteUnlessHeldByOthers",
    });
    expect(failureEffect("CANCEL_AND_WAIT")).toEqual({
      stopJob: true, jobOutcome: "failed", pendingSteps: "cancel", runningSteps: "waitForCompletion", cluster: "releasePerKeepWarm",
    });
    expect(failureEffect("CONTINUE")).toEqual({
      stopJob: false, jobOutcome: "completedWithFailures", pendingSteps: "skipDependents", runningSteps: "continue", cluster: "releasePerKeepWarm",
    });
  });

  it.each([
    [{ cancelled: true, errored: true, failedSteps: [] }, "cancelled"],
    [{ cancelled: false, errored: true, failedSteps: [] }, "failed"],
    [{ cancelled: false, errored: false, failedSteps: [{ actionOnFailure: "TERMINATE_CLUSTER" }] }, "failed"],
    [{ cancelled: false, errored: false, failedSteps: [{ actionOnFailure: "CANCEL_AND_WAIT" }] }, "failed"],
    [{ cancelled: false, errored: false, failedSteps: [{ actionOnFailure: "CONTINUE" }, { actionOnFailure: "CONTINUE" }] }, "completedWithFailures"],
    [{ cancelled: false, errored: false, failedSteps: [{ actionOnFailure: "CONTINUE" }, { actionOnFailure: "TERMINATE_CLUSTER" }] }, "failed"],
    [{ cancelled: false, errored: false, failedSteps: [] }, "succeeded"],
  ] as const)("jobOutcomeOf(%j) = %s", (input, outcome) => {
    expect(jobOutcomeOf({ ...input, failedSteps: [...input.failedSteps] })).toBe(outcome);
  });
});
