// Table tests of the probes' follow-up plans (shared/workflow/stepsFollowUps.ts) and of how the step-phase decider
// adopts what a probe submitted: the plan is what the next round would start, plans never overlap, nothing is planned
// while the phase stops, a batch a probe submitted is always tracked (killed if the job stopped first), and a
// follow-up the probe could not submit goes through submitStep under the same attempt (same batch name).
import { describe, expect, it } from "vitest";
import type { StepRecord } from "../../../shared/workflow/jobRecord";
import { decide, initialStepsState } from "../../../shared/workflow/stepsDecider";
import { compactFollowUpStep, expandFollowUpStep, followUpPlans } from "../../../shared/workflow/stepsFollowUps";
import { buildLivyBatch } from "../../../shared/builders/livyBatch";
import { sparkStep } from "../builders/fixtures";
import type { ProbeCommand, StepsState } from "../../../shared/workflow/stepsTypes";
import { config, records, simulate, stateOf, T0, type SimOptions } from "./stepsSim";

type Steps = SimOptions["steps"];
const rec = (id: string, state: StepRecord["state"], attempts = 0): StepRecord => ({
  id,
  name: id,
  state,
  attempts: Array.from({ length: attempts }, (_, i) => ({ attempt: i + 1 })),
});

/** A decider state with `running` steps running (batch = index + 1) and the other records as given. */
function stateWith(steps: Steps, recs: StepRecord[], max = 1, extra: Partial<StepsState> = {}): StepsState {
  const s = initialStepsState(config({ steps, maxConcurrentSteps: max }), recs);
  const running = recs
    .filter((r) => r.state === "running")
    .map((r, i) => ({ stepId: r.id, attempt: r.attempts.length, batchId: i + 1, startedMs: T0 }));
  return { ...s, running, stage: "waiting", ...extra };
}

describe("follow-up plans", () => {
  const table: { name: string; steps: Steps; recs: StepRecord[]; max?: number; extra?: Partial<StepsState>; want: string[][] }[] = [
    {
      name: "a chain: the next step",
      steps: [{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["b"] }],
      recs: [rec("a", "running", 1), rec("b", "pending"), rec("c", "pending")],
      want: [["b/1"]],
    },
    {
      name: "a fan-out within maxConcurrentSteps",
      steps: [{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a"] }, { id: "d", dependsOn: ["a"] }],
      recs: [rec("a", "running", 1), rec("b", "pending"), rec("c", "pending"), rec("d", "pending")],
      max: 2,
      want: [["b/1", "c/1"]],
    },
    {
      name: "steps waiting for capacity: disjoint plans, one per probe",
      steps: [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }, { id: "e" }],
      recs: [rec("a", "running", 1), rec("b", "running", 1), rec("c", "pending"), rec("d", "pending"), rec("e", "pending")],
      max: 2,
      want: [["c/1"], ["d/1"]],
    },
    {
      name: "a join waits for both branches: nothing planned on either",
      steps: [{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a", "b"] }],
      recs: [rec("a", "running", 1), rec("b", "running", 1), rec("c", "pending")],
      max: 2,
      want: [[], []],
    },
    {
      name: "a join whose other branch already succeeded",
      steps: [{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a", "b"] }],
      recs: [rec("a", "running", 1), rec("b", "succeeded", 1), rec("c", "pending")],
      max: 2,
      want: [["c/1"]],
    },
    {
      name: "a retrying step waiting for capacity gets its next attempt",
      steps: [{ id: "a" }, { id: "r", retries: 2 }],
      recs: [rec("a", "running", 1), rec("r", "retrying", 2)],
      want: [["r/3"]],
    },
    {
      name: "the last step: nothing",
      steps: [{ id: "a" }],
      recs: [rec("a", "running", 1)],
      want: [[]],
    },
    {
      name: "the job is stopping (fatal failure): nothing",
      steps: [{ id: "a" }, { id: "b", dependsOn: ["a"] }],
      recs: [rec("a", "running", 1), rec("b", "pending")],
      extra: { fatal: true },
      want: [[]],
    },
    {
      name: "a cancel is pending: nothing",
      steps: [{ id: "a" }, { id: "b", dependsOn: ["a"] }],
      recs: [rec("a", "running", 1), rec("b", "pending")],
      extra: { cancelPending: true },
      want: [[]],
    },
  ];
  it.each(table)("$name", ({ steps, recs, max, extra, want }) => {
    const plans = followUpPlans(stateWith(steps, recs, max ?? 1, extra ?? {}));
    expect(plans.map((p) => p.map((f) => `${f.stepId}/${f.attempt}`))).toEqual(want);
  });

  it("an attempt already being stopped plans nothing", () => {
    const s = stateWith([{ id: "a" }, { id: "b", dependsOn: ["a"] }], [rec("a", "running", 1), rec("b", "pending")]);
    s.running[0].finishing = { livyState: "killed", then: { kind: "cancelled", reason: "x" } };
    expect(followUpPlans(s)).toEqual([[]]);
  });
});

describe("a follow-up step as a probe carries it", () => {
  const full = sparkStep({
    id: "report",
    name: "Nightly report",
    file: "abfss://code@jobflowlake.dfs.core.windows.net/report.py",
    args: ["--date", "2026-11-21"],
    className: "org.example.Report",
    jars: ["abfss://c@a.dfs.core.windows.net/x.jar"],
    conf: { "spark.executor.memory": "4g" },
    driverMemory: "2g",
    numExecutors: 3,
    queue: "etl",
    dependsOn: ["ingest"],
    actionOnFailure: "TERMINATE_CLUSTER",
    retries: 2,
    timeoutMinutes: 30,
  });
  const data = {
    s3a: { endpoint: "https://s3.example.net", region: "eu-west-1", pathStyleAccess: true, credentialsSecret: "s3", buckets: [] },
  };
  it.each([
    ["every field set", full],
    ["a bare step", sparkStep({ id: "bare", name: "bare", args: [] })],
  ])("%s: builds the same Livy request after compaction, without the scheduling fields", (_name, step) => {
    const compact = compactFollowUpStep(step);
    for (const key of ["dependsOn", "actionOnFailure", "retries", "timeoutMinutes"]) expect(compact).not.toHaveProperty(key);
    const options = { jobId: "job-1", attempt: 2, data, profile: { name: "default" } };
    expect(buildLivyBatch(expandFollowUpStep(compact), options)).toEqual(buildLivyBatch(step, options));
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(step).length);
  });
});

describe("steps decider: probes that submit their follow-ups", () => {
  const chain: Steps = [{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["b"] }];

  it("the probe round commands the plan, and adopts what the probe submitted instead of a submitStep", () => {
    let s = initialStepsState(config({ steps: chain }), records({ steps: chain }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1 }, T0).state;
    const round = decide(s, { type: "pollTimerFired" }, T0 + 30_000);
    const probe = round.commands.find((c) => c.type === "probeStatuses") as { probes: ProbeCommand[] };
    expect(probe.probes).toEqual([{ stepId: "a", attempt: 1, batchId: 1, thenSubmit: [{ stepId: "b", attempt: 1 }] }]);
    const status = { state: "success", finished: { logBlob: "logs/a/1" }, submitted: [{ stepId: "b", attempt: 1, batchId: 2 }] };
    const d = decide(round.state, { type: "probed", stepId: "a", attempt: 1, status }, T0 + 30_000);
    expect(d.commands.map((c) => c.type)).toEqual(["saveRecord", "wakeAt"]);
    expect(d.state.steps.map((x) => x.state)).toEqual(["succeeded", "submitted", "pending"]);
    expect(d.state.steps[1].attempts).toEqual([{ attempt: 1, startedAt: new Date(T0 + 30_000).toISOString(), batchId: 2 }]);
    expect(d.state.running).toEqual([{ stepId: "b", attempt: 1, batchId: 2, startedMs: T0 + 30_000 }]);
    const save = d.commands[0] as { events: { stepId: string; state: string }[] };
    expect(save.events.map((e) => `${e.stepId} ${e.state}`)).toEqual(["a succeeded", "b submitted"]);
  });

  it("a 10-step chain: one submitStep (the first step), every other step submitted by the probe that ended its upstream", () => {
    const steps: Steps = Array.from({ length: 10 }, (_, i) => ({
      id: `s${i}`,
      ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
      attempts: ["slow" as const],
    }));
    const plain = simulate({ steps, probeFinishes: true });
    const combined = simulate({ steps, probeFinishes: true, probeSubmits: true });
    expect([plain.submitSteps, plain.submittedByProbes]).toEqual([10, 0]);
    expect([combined.submitSteps, combined.submittedByProbes]).toEqual([1, 9]);
    expect(combined.result).toEqual(plain.result);
    expect(combined.state.steps.map((x) => x.state)).toEqual(plain.state.steps.map((x) => x.state));
    expect(combined.published.map((p) => `${p.stepId} ${p.state}`)).toEqual(plain.published.map((p) => `${p.stepId} ${p.state}`));
  });

  it("a cancel arriving while the probe submitted the next step: that batch is killed, never left running", () => {
    const r = simulate({ steps: chain, probeFinishes: true, probeSubmits: true, cancelAtMs: 31_000 });
    expect(r.result.outcome).toBe("cancelled");
    expect([stateOf(r, "a"), stateOf(r, "b"), stateOf(r, "c")]).toEqual(["succeeded", "cancelled", "cancelled"]);
    expect(r.submittedByProbes).toBe(1);
    const b = r.state.steps[1].attempts[0];
    expect(b).toMatchObject({ attempt: 1, livyState: "killed", batchId: r.batches.get("b/1") });
    expect([...r.finished].sort()).toEqual([...r.batches.values()].sort());
  });

  it("a follow-up whose answer was lost inside the probe is submitted by submitStep under the same attempt: one batch", () => {
    const r = simulate({ steps: chain, probeFinishes: true, probeSubmits: true, followUpLostAnswer: ["b/1"] });
    expect(r.result.outcome).toBe("succeeded");
    expect([r.submitSteps, r.submittedByProbes]).toEqual([2, 1]); // a and b by submitStep, c by b's probe
    expect([...r.batches.keys()]).toEqual(["a/1", "b/1", "c/1"]);
    expect(r.state.steps[1].attempts).toHaveLength(1);
  });

  it("a follow-up Livy refuses fails through submitStep with its ActionOnFailure, as before", () => {
    const steps: Steps = [{ id: "a" }, { id: "b", dependsOn: ["a"], actionOnFailure: "TERMINATE_CLUSTER", attempts: ["submitFail"] }];
    const r = simulate({ steps, probeFinishes: true, probeSubmits: true });
    expect(r.result).toMatchObject({ outcome: "failed", terminateCluster: true });
    expect(r.state.steps[1].attempts).toMatchObject([{ attempt: 1, error: "Livy refused the batch" }]);
    expect(r.submittedByProbes).toBe(0);
  });

  it("a failed step submits nothing; its retry goes through submitStep and its success then submits the next", () => {
    const steps: Steps = [
      { id: "a", retries: 1, attempts: ["fail", "ok"] },
      { id: "b", dependsOn: ["a"] },
    ];
    const r = simulate({ steps, probeFinishes: true, probeSubmits: true });
    expect(r.result.outcome).toBe("succeeded");
    expect([r.submitSteps, r.submittedByProbes]).toEqual([2, 1]);
    const probes = r.commands.flatMap((c) => (c.type === "probeStatuses" ? c.probes : []));
    expect(
      probes.map((p) => `${p.stepId}/${p.attempt} → ${(p.thenSubmit ?? []).map((f) => `${f.stepId}/${f.attempt}`).join(",")}`),
    ).toEqual(["a/1 → b/1", "a/2 → b/1", "b/1 → "]);
  });

  it("maxConcurrentSteps holds when several probes end together and each submits its follow-up", () => {
    const steps: Steps = ["a", "b", "c", "d", "e", "f"].map((id) => ({ id }));
    const r = simulate({ steps, maxConcurrentSteps: 2, probeFinishes: true, probeSubmits: true });
    expect(r.result.outcome).toBe("succeeded");
    expect(r.maxActive).toBe(2);
    expect([r.submitSteps, r.submittedByProbes]).toEqual([2, 4]);
  });

  it("a batch a probe submitted after another probe of the round stopped the job is tracked and killed", () => {
    const steps: Steps = [{ id: "a", actionOnFailure: "CANCEL_AND_WAIT" }, { id: "b" }, { id: "c", dependsOn: ["b"] }];
    let s = initialStepsState(config({ steps, maxConcurrentSteps: 2 }), records({ steps }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1 }, T0).state;
    s = decide(s, { type: "submitted", stepId: "b", attempt: 1, batchId: 2 }, T0).state;
    s = decide(s, { type: "pollTimerFired" }, T0 + 30_000).state;
    // a's probe fails for good first (job stops: b killed, c cancelled), then b's probe reports it submitted c.
    const failed = decide(s, { type: "probeFailed", stepId: "a", attempt: 1, error: "gateway rejected the login" }, T0 + 30_000);
    const status = { state: "success", finished: { logBlob: "logs/b/1" }, submitted: [{ stepId: "c", attempt: 1, batchId: 3 }] };
    const d = decide(failed.state, { type: "probed", stepId: "b", attempt: 1, status }, T0 + 30_000);
    const commands = [...failed.commands, ...d.commands];
    const finishes = commands.flatMap((c) => (c.type === "finishStep" ? [`${c.stepId} ${c.batchId}`] : []));
    expect(finishes).toEqual(["b 2", "c 3"]);
    let end = d.state;
    for (const f of commands.filter((c) => c.type === "finishStep"))
      end = decide(end, { type: "finished", stepId: f.stepId, attempt: f.attempt, logBlob: `logs/${f.stepId}` }, T0 + 30_000).state;
    expect(end.result).toMatchObject({ outcome: "failed" });
    expect(end.running).toEqual([]);
    expect(end.steps[2]).toMatchObject({ state: "cancelled" });
    expect(end.steps[2].attempts).toMatchObject([{ attempt: 1, batchId: 3, livyState: "killed", logBlob: "logs/c" }]);
  });

  it("follow-ups reported with an upstream not confirmed a success (batch gone) are tracked and killed; the step starts later", () => {
    const steps: Steps = [
      { id: "a", retries: 1 },
      { id: "b", dependsOn: ["a"] },
    ];
    let s = initialStepsState(config({ steps }), records({ steps }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1 }, T0).state;
    s = decide(s, { type: "pollTimerFired" }, T0 + 30_000).state;
    const d = decide(
      s,
      { type: "probed", stepId: "a", attempt: 1, status: { state: "missing", submitted: [{ stepId: "b", attempt: 1, batchId: 2 }] } },
      T0 + 30_000,
    );
    const finishes = d.commands.flatMap((c) => (c.type === "finishStep" ? [`${c.stepId}/${c.attempt} ${c.batchId}`] : []));
    expect(finishes).toEqual(["a/1 1", "b/1 2"]);
    expect(d.state.steps[1]).toMatchObject({ state: "pending" });
    let end = d.state;
    const next: string[] = [];
    for (const f of d.commands.filter((c) => c.type === "finishStep")) {
      const after = decide(end, { type: "finished", stepId: f.stepId, attempt: f.attempt, logBlob: `logs/${f.stepId}` }, T0 + 30_000);
      end = after.state;
      next.push(...after.commands.flatMap((c) => (c.type === "submitStep" ? [`${c.stepId}/${c.attempt}`] : [])));
    }
    expect(next).toEqual(["a/2"]); // a's retry; b waits for it
    expect(end.running).toEqual([]);
    expect(end.steps.map((x) => x.state)).toEqual(["retrying", "pending"]);
    expect(end.steps[1].attempts).toMatchObject([{ attempt: 1, batchId: 2, livyState: "killed" }]);
  });
});
