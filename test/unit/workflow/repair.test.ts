// Repair rules: which steps a repair re-runs (table), and the record a repair run starts from.
import { describe, expect, it } from "vitest";
import { attemptsInRun, repairPlan, repairRecord } from "../../../shared/workflow/repair";
import type { JobRecord, StepState } from "../../../shared/workflow/jobRecord";

// a → b → d, a → c → e; f alone
const steps = [
  { id: "a", dependsOn: [] },
  { id: "b", dependsOn: ["a"] },
  { id: "c", dependsOn: ["a"] },
  { id: "d", dependsOn: ["b"] },
  { id: "e", dependsOn: ["c"] },
  { id: "f", dependsOn: [] },
];
function rec(states: Record<string, StepState>, state: JobRecord["state"] = "completedWithFailures"): JobRecord {
  return {
    id: "j-1",
    name: "n",
    state,
    submittedAt: "2026-12-01T00:00:00.000Z",
    startedAt: "2026-12-01T00:00:01.000Z",
    endedAt: "2026-12-01T01:00:00.000Z",
    source: "jobflow",
    cluster: { name: "jf-1", profile: "default", reuse: "never", acquisition: "created", readyAt: "x", releasedAt: "y" },
    edges: [{ vm: "dss-edge-01", state: "detached" }],
    error: "boom",
    estimatedCost: {
      clusterName: "jf-1",
      currency: "USD",
      amount: 1,
      nodeMinutes: 60,
      nodeHours: 1,
      held: { amount: 1, nodeMinutes: 60 },
      overhead: { amount: 0, nodeMinutes: 0 },
      final: true,
      priceSource: "retail-prices-api",
      cluster: { billedMinutes: 60, nodeMinutes: 60, amount: 1, users: 1, poolIdleAmount: 0 },
      basis: "b",
    },
    steps: Object.entries(states).map(([id, s]) => ({
      id,
      name: id,
      state: s,
      attempts: [{ attempt: 1, logBlob: `j-1/${id}/attempt-1.log` }],
      startedAt: "s",
      endedAt: "e",
      ...(s === "succeeded" ? {} : { error: "x" }),
    })),
    tags: {},
    updatedAt: "u",
  };
}
const all = (s: StepState): Record<string, StepState> => Object.fromEntries(steps.map((x) => [x.id, s]));

describe("repairPlan", () => {
  const cases: [string, Record<string, StepState>, string[] | undefined, string[]][] = [
    ["failed branch and its skipped dependent", { ...all("succeeded"), c: "failed", e: "skipped" }, undefined, ["c", "e"]],
    ["timed-out and cancelled steps, dependents added", { ...all("succeeded"), b: "timedOut", f: "cancelled" }, undefined, ["b", "d", "f"]],
    [
      "a failed root re-runs everything below it",
      { a: "failed", b: "skipped", c: "skipped", d: "skipped", e: "skipped", f: "succeeded" },
      undefined,
      ["a", "b", "c", "d", "e"],
    ],
    ["named succeeded step + dependents", all("succeeded"), ["b"], ["b", "d"]],
    [
      "named step whose failed upstream is added (with all of its dependents)",
      { ...all("succeeded"), a: "failed", b: "skipped", d: "skipped" },
      ["d"],
      ["a", "b", "c", "d", "e"],
    ],
  ];
  for (const [name, states, requested, want] of cases) {
    it(name, () => expect(repairPlan(steps, rec(states), requested)).toEqual({ ok: true, steps: want }));
  }
  it("refuses a running job, a job with nothing to repair, and unknown steps", () => {
    expect(repairPlan(steps, rec(all("running"), "running"))).toMatchObject({
      ok: false,
      status: 409,
      problems: [{ message: expect.stringMatching(/the job is running/) }],
    });
    expect(repairPlan(steps, rec(all("succeeded"), "succeeded"))).toMatchObject({
      ok: false,
      status: 409,
      problems: [{ message: expect.stringMatching(/nothing to repair/) }],
    });
    expect(repairPlan(steps, rec(all("succeeded")), ["a", "x"])).toEqual({
      ok: false,
      status: 400,
      problems: [{ pointer: "/steps/1", message: "no step 'x' in this job (steps: a, b, c, d, e, f)" }],
    });
  });
});

describe("repairRecord", () => {
  it("moves the previous run into runs and resets only the re-run steps", () => {
    const previous = rec({ ...all("succeeded"), c: "failed", e: "skipped" });
    const r = repairRecord(previous, 2, ["c", "e"], "2026-12-02T00:00:00.000Z");
    expect(r).toMatchObject({
      run: 2,
      rerunSteps: ["c", "e"],
      state: "queued",
      submittedAt: "2026-12-02T00:00:00.000Z",
      cluster: { profile: "default", reuse: "never" },
    });
    expect(r.cluster.name).toBeUndefined();
    for (const key of ["startedAt", "endedAt", "error", "estimatedCost"]) expect(r).not.toHaveProperty(key);
    expect(r.edges).toEqual([{ vm: "dss-edge-01", state: "pending" }]);
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length, s.error ?? null, s.startedAt ?? null])).toEqual([
      ["a", "succeeded", 1, null, "s"],
      ["b", "succeeded", 1, null, "s"],
      ["c", "pending", 1, null, null],
      ["d", "succeeded", 1, null, "s"],
      ["e", "pending", 1, null, null],
      ["f", "succeeded", 1, null, "s"],
    ]);
    expect(r.runs).toEqual([
      expect.objectContaining({ run: 1, state: "completedWithFailures", error: "boom", cluster: previous.cluster, steps: previous.steps }),
    ]);
    expect(previous.steps[2].state).toBe("failed"); // the input is not changed
    const third = repairRecord({ ...r, state: "failed" }, 3, ["c"], "2026-12-03T00:00:00.000Z");
    expect(third.runs?.map((x) => [x.run, x.rerunSteps ?? null])).toEqual([
      [1, null],
      [2, ["c", "e"]],
    ]);
  });
  it("counts a step's attempts per run", () => {
    expect(attemptsInRun([{}, { run: 2 }, { run: 2 }, { run: 3 }], 1)).toBe(1);
    expect(attemptsInRun([{}, { run: 2 }, { run: 2 }, { run: 3 }], 2)).toBe(2);
  });
});
