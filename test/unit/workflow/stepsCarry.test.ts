// What the step phase carries across continueAsNew (shared/workflow/stepsCarry.ts): trimmed of what the next
// execution rebuilds (config, the saved-steps string, the record's steps), and rebuilt to exactly the state that was
// carried, so the decider goes on as if the history had never been cut.
import { describe, expect, it } from "vitest";
import { carryStepsState, restoreStepsState } from "../../../shared/workflow/stepsCarry";
import { decide, initialStepsState } from "../../../shared/workflow/stepsDecider";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import type { StepsState } from "../../../shared/workflow/stepsTypes";
import { T0, config, records } from "./stepsSim";

const opts = { steps: [{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a"] }], maxConcurrentSteps: 2 };

/** A phase at a poll wake-up (where it continues): a ran, b and c submitted and running; the record as last saved. */
function waitingPhase(): { state: StepsState; record: JobRecord } {
  let s = initialStepsState(config(opts), records(opts));
  let saved = records(opts);
  const step = (e: Parameters<typeof decide>[1], at: number): void => {
    const d = decide(s, e, at);
    s = d.state;
    for (const c of d.commands) if (c.type === "saveRecord") saved = c.steps;
  };
  step({ type: "phaseStarted" }, T0);
  step({ type: "submitted", stepId: "a", attempt: 1, batchId: 1 }, T0);
  step({ type: "pollTimerFired" }, T0 + 30_000);
  step({ type: "probed", stepId: "a", attempt: 1, status: { state: "success", appId: "app_1" } }, T0 + 30_000);
  step({ type: "finished", stepId: "a", attempt: 1, logBlob: "logs/a/1" }, T0 + 30_000);
  step({ type: "submitted", stepId: "b", attempt: 1, batchId: 2 }, T0 + 30_000);
  step({ type: "submitted", stepId: "c", attempt: 1, batchId: 3 }, T0 + 30_000);
  expect(s.stage).toBe("waiting");
  const record = { id: "j1", name: "j", state: "running", submittedAt: "x", source: "jobflow", cluster: {}, edges: [], steps: saved };
  return { state: s, record: record as unknown as JobRecord };
}

describe("step phase carry across continueAsNew", () => {
  it("carries neither the config, the saved-steps string nor the record's steps, and rebuilds them exactly", () => {
    const { state, record } = waitingPhase();
    const carried = carryStepsState(state, record);
    expect(carried.state).not.toHaveProperty("config");
    expect(carried.state).not.toHaveProperty("savedSteps");
    expect(carried.record.steps).toEqual([]);
    // Through JSON, as the next execution's input travels.
    const travelled = JSON.parse(JSON.stringify(carried)) as typeof carried;
    const restored = restoreStepsState(travelled.state, travelled.record, config(opts));
    expect(restored.state).toEqual(state);
    expect(restored.record).toEqual(record);
    expect(JSON.stringify(carried).length).toBeLessThan(JSON.stringify({ state, record }).length / 2);
    // The rebuilt state decides the next poll exactly as the original does.
    const event = { type: "pollTimerFired" } as const;
    expect(decide(restored.state, event, T0 + 60_000)).toEqual(decide(state, event, T0 + 60_000));
  });

  it("reads an input carried by an older execution (full state, record with its steps) as it is", () => {
    const { state, record } = waitingPhase();
    const older = JSON.parse(JSON.stringify({ state, record })) as { state: StepsState; record: JobRecord };
    const restored = restoreStepsState(older.state, older.record, { ...config(opts), pollMs: 1 });
    expect(restored.state).toEqual(state); // its own config wins
    expect(restored.record).toEqual(record);
  });
});
