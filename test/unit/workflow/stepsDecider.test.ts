// Table tests of the step-phase decider (shared/workflow/stepsDecider.ts), in milliseconds and without a stack:
// every ActionOnFailure × concurrency × retry × failure kind (Livy failure, timeout, submission failure) × cancel,
// then the single rules (cluster notices, probes, repair budget, poll economy, save-only-on-change).
import { describe, expect, it } from "vitest";
import type { ActionOnFailure } from "../../../shared/model/job";
import { decide, initialStepsState } from "../../../shared/workflow/stepsDecider";
import { simulate, stateOf, config, records, T0, type Attempt, type SimRun } from "./stepsSim";

type Kind = "fail" | "timeout" | "submitFail";
const AOFS: ActionOnFailure[] = ["TERMINATE_CLUSTER", "CANCEL_AND_WAIT", "CONTINUE"];
const KINDS: Kind[] = ["fail", "timeout", "submitFail"];
const cases = AOFS.flatMap((aof) =>
  [1, 2].flatMap((conc) =>
    [0, 1].flatMap((retries) => KINDS.flatMap((kind) => [false, true].map((cancel) => ({ aof, conc, retries, kind, cancel })))),
  ),
);
type Case = (typeof cases)[number];

/** a (fails as `kind`, with `aof` and `retries`), b (independent, succeeds on its 3rd probe), c (after a). */
function run(k: Case, probeFinishes = false, probeSubmits = false): SimRun {
  const first: Attempt = k.kind === "fail" ? "fail" : k.kind === "timeout" ? "hang" : "submitFail";
  return simulate({
    probeFinishes,
    probeSubmits,
    maxConcurrentSteps: k.conc,
    cancelAtMs: k.cancel ? 1 : undefined,
    steps: [
      {
        id: "a",
        actionOnFailure: k.aof,
        retries: k.retries,
        timeoutMinutes: k.kind === "timeout" ? 1 : undefined,
        attempts: [first, "ok"],
      },
      { id: "b", attempts: ["slow"] },
      { id: "c", dependsOn: ["a"] },
    ],
  });
}

/** What each case must end in: the rules of docs/job-spec.md (ActionOnFailure, retries, timeoutMinutes, cancel). */
function expected(k: Case): { outcome: string; terminate: boolean; a: string; b: string; c: string; aAttempts: number } {
  const aFailed = k.kind === "timeout" ? "timedOut" : "failed";
  const stopsJob = k.aof !== "CONTINUE";
  // A submission that fails for good with a job-stopping action ends the phase before its first wait: no cancel heard.
  const endsBeforeWait = k.kind === "submitFail" && k.retries === 0 && stopsJob;
  if (k.cancel && !endsBeforeWait) {
    const aFinal = k.kind === "submitFail" && k.retries === 0 ? "failed" : "cancelled";
    return { outcome: "cancelled", terminate: false, a: aFinal, b: "cancelled", c: "cancelled", aAttempts: 1 };
  }
  if (k.retries === 1) return { outcome: "succeeded", terminate: false, a: "succeeded", b: "succeeded", c: "succeeded", aAttempts: 2 };
  if (!stopsJob) return { outcome: "completedWithFailures", terminate: false, a: aFailed, b: "succeeded", c: "skipped", aAttempts: 1 };
  return { outcome: "failed", terminate: k.aof === "TERMINATE_CLUSTER", a: aFailed, b: "cancelled", c: "cancelled", aAttempts: 1 };
}

// Twice: with a finishStep per ended batch, and with probes that finish the batches they find ended themselves
// (what the step phase asks for): every outcome, error and invariant is the same.
// And a third time with probes that also submit their follow-up plans (stepsFollowUps.ts).
describe.each([
  ["finishStep per ended batch", false, false],
  ["probes finish ended batches", true, false],
  ["probes finish ended batches and submit their follow-ups", true, true],
])("steps decider (%s): ActionOnFailure × concurrency × retries × failure kind × cancel", (_mode, probeFinishes, probeSubmits) => {
  it.each(cases)("$aof, maxConcurrentSteps $conc, retries $retries, $kind, cancel $cancel", (k) => {
    const r = run(k, probeFinishes, probeSubmits);
    const want = expected(k);
    expect({
      outcome: r.result.outcome,
      terminate: r.result.terminateCluster,
      a: stateOf(r, "a"),
      b: stateOf(r, "b"),
      c: stateOf(r, "c"),
    }).toEqual({
      outcome: want.outcome,
      terminate: want.terminate,
      a: want.a,
      b: want.b,
      c: want.c,
    });
    expect(r.state.steps.find((s) => s.id === "a")!.attempts).toHaveLength(want.aAttempts);
    expect(r.result.cancelled).toBe(want.outcome === "cancelled");
    expect(r.result.fatal).toBe(want.outcome === "failed");
    if (want.outcome === "failed") expect(r.result.error).toMatch(new RegExp(`^step 'a' (failed|timed out) \\(${k.aof}\\)`));
    // Invariants: the budget holds, every batch submitted is finished (log copied, batch deleted) exactly once,
    // nothing is left running, and no save repeats the previous one.
    expect(r.maxActive).toBeLessThanOrEqual(k.conc);
    const submitted = r.state.steps.flatMap((s) => s.attempts.map((a) => a.batchId).filter((b) => b !== undefined));
    expect([...r.finished].sort()).toEqual([...submitted].sort());
    expect([...r.finished].sort()).toEqual([...r.batches.values()].sort()); // no batch left untracked
    if (!probeSubmits) expect(r.submittedByProbes).toBe(0);
    expect(r.state.running).toEqual([]);
    for (let i = 1; i < r.saves.length; i++) expect(r.saves[i]).not.toEqual(r.saves[i - 1]);
    expect(r.saves.at(-1)).toEqual(r.state.steps);
  });

  it("never runs more than maxConcurrentSteps at once, and runs a dependent only after its upstream", () => {
    const r = simulate({
      maxConcurrentSteps: 2,
      steps: [
        { id: "a", attempts: ["slow"] },
        { id: "b", attempts: ["slow"] },
        { id: "x", attempts: ["slow"] },
        { id: "d", dependsOn: ["a", "b"] },
      ],
    });
    expect(r.maxActive).toBe(2);
    expect(r.result.outcome).toBe("succeeded");
    const started = (id: string): string => r.state.steps.find((s) => s.id === id)!.attempts[0].startedAt!;
    const ended = (id: string): string => r.state.steps.find((s) => s.id === id)!.endedAt!;
    expect(started("d") >= ended("a") && started("d") >= ended("b")).toBe(true);
    expect(started("x") > started("a")).toBe(true);
  });

  it("times out an attempt at its deadline exactly: no poll sleeps past it", () => {
    const r = simulate({ pollMs: 40_000, steps: [{ id: "a", timeoutMinutes: 1, attempts: ["hang"] }] });
    const wakes = r.commands.flatMap((c) => (c.type === "wakeAt" ? [c.atMs - T0] : []));
    expect(wakes).toEqual([40_000, 60_000]);
    const a = r.state.steps[0];
    expect(a.state).toBe("timedOut");
    expect(a.error).toBe("attempt 1 exceeded timeoutMinutes 1");
    expect(a.attempts[0]).toMatchObject({ livyState: "killed", error: "timed out after 1 minutes", logBlob: "logs/a/1" });
  });
});

describe("steps decider: single rules", () => {
  it("a cluster that expires fails what runs (log kept), cancels what waits and ends the phase failed", () => {
    const r = simulate({
      notice: { atMs: 1, type: "expiring", reason: "cluster c1 reached maxLifetimeMinutes" },
      steps: [{ id: "a", attempts: ["hang"] }, { id: "b" }],
    });
    expect(r.result).toEqual({
      outcome: "failed",
      cancelled: false,
      fatal: true,
      terminateCluster: false,
      error: "cluster c1 reached maxLifetimeMinutes",
    });
    expect([stateOf(r, "a"), stateOf(r, "b")]).toEqual(["failed", "cancelled"]);
    expect(r.state.steps[0]).toMatchObject({ error: "cluster c1 reached maxLifetimeMinutes" });
    expect(r.state.steps[0].attempts[0]).toMatchObject({ livyState: "killed", logBlob: "logs/a/1" });
  });

  it("a notice other than expiring/failed changes nothing", () => {
    const r = simulate({ notice: { atMs: 1, type: "ready" }, steps: [{ id: "a", attempts: ["slow"] }] });
    expect(r.result.outcome).toBe("succeeded");
  });

  it("a cluster deleted behind Jobflow's back fails the attempt without finishing it, and retries", () => {
    const r = simulate({ steps: [{ id: "a", retries: 1, attempts: ["missing", "ok"] }] });
    expect(r.result.outcome).toBe("succeeded");
    expect(r.finished).toEqual([2]);
    expect(r.state.steps[0].attempts[0].error).toMatch(/^cluster c1 no longer exists/);
  });

  it("a probe that fails permanently fails the attempt (no finish) and applies ActionOnFailure", () => {
    let s = initialStepsState(config({ steps: [{ id: "a", actionOnFailure: "TERMINATE_CLUSTER" }] }), records({ steps: [{ id: "a" }] }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 7 }, T0).state;
    s = decide(s, { type: "pollTimerFired" }, T0 + 30_000).state;
    const d = decide(s, { type: "probeFailed", stepId: "a", attempt: 1, error: "gateway rejected the login" }, T0 + 30_000);
    expect(d.commands.map((c) => c.type)).toEqual(["saveRecord", "endPhase"]);
    expect(d.state.result).toMatchObject({ outcome: "failed", terminateCluster: true });
    expect(d.state.steps[0].attempts[0].error).toBe("status check failed: gateway rejected the login");
  });

  it("batches a probe finished are not finished again; ActionOnFailure applies once the round's probes are in", () => {
    const steps = [{ id: "a", actionOnFailure: "CANCEL_AND_WAIT" as const }, { id: "b" }, { id: "c" }];
    let s = initialStepsState(config({ steps, maxConcurrentSteps: 3 }), records({ steps }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    for (const [id, batchId] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const)
      s = decide(s, { type: "submitted", stepId: id, attempt: 1, batchId }, T0).state;
    s = decide(s, { type: "pollTimerFired" }, T0 + 30_000).state;
    const commands: string[] = [];
    const probe = (stepId: string, state: string, finished: boolean): void => {
      const status = { state, ...(finished ? { finished: { logBlob: `logs/${stepId}` } } : {}) };
      const d = decide(s, { type: "probed", stepId, attempt: 1, status }, T0 + 30_000);
      s = d.state;
      commands.push(...d.commands.map((c) => (c.type === "finishStep" ? `finishStep ${c.stepId}` : c.type)));
    };
    probe("a", "dead", true); // a failed: its ActionOnFailure waits for the round
    probe("b", "success", true); // b ended on its own in the same round: finished by its probe, not killed
    probe("c", "running", false); // c still runs: killed by a's ActionOnFailure
    expect(commands).toEqual(["finishStep c"]);
    expect(s.steps.map((x) => [x.id, x.state, x.attempts[0].logBlob])).toEqual([
      ["a", "failed", "logs/a"],
      ["b", "succeeded", "logs/b"],
      ["c", "running", undefined],
    ]);
    const end = decide(s, { type: "finished", stepId: "c", attempt: 1, logBlob: "logs/c" }, T0 + 30_000);
    expect(end.state.steps.map((x) => x.state)).toEqual(["failed", "succeeded", "cancelled"]);
    expect(end.state.result).toMatchObject({ outcome: "failed" });
    expect(end.state).not.toHaveProperty("finishedByProbe");
    expect(end.state).not.toHaveProperty("probesAwaited");
  });

  it("a repair run gets the full retry budget: earlier runs' attempts do not count", () => {
    const earlier = [
      {
        id: "a",
        name: "a",
        state: "pending" as const,
        attempts: [
          { attempt: 1, error: "x" },
          { attempt: 2, error: "x" },
        ],
      },
    ];
    const r = simulate({ repairRun: 2, records: earlier, steps: [{ id: "a", retries: 1, attempts: ["ok", "ok", "fail", "ok"] }] });
    expect(r.result.outcome).toBe("succeeded");
    expect(r.state.steps[0].attempts.slice(2)).toMatchObject([
      { attempt: 3, run: 2, error: "Livy batch ended dead" },
      { attempt: 4, run: 2 },
    ]);
  });

  it("a cancel heard while submissions are outstanding is applied once they are answered", () => {
    let s = initialStepsState(config({ steps: [{ id: "a" }] }), records({ steps: [{ id: "a" }] }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "cancelRequested" }, T0).state;
    const d = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 3 }, T0);
    expect(d.commands.map((c) => c.type)).toEqual(["saveRecord", "finishStep"]);
    const end = decide(d.state, { type: "finished", stepId: "a", attempt: 1 }, T0);
    expect(end.state.result).toMatchObject({ outcome: "cancelled" });
    expect(end.state.steps[0]).toMatchObject({ state: "cancelled", error: "cancelled by request" });
  });

  it("polls thin out while nothing changes and a quiet round saves and publishes nothing", () => {
    const r = simulate({ steps: [{ id: "a", attempts: ["hang"], timeoutMinutes: 10 }] });
    const wakes = r.commands.flatMap((c) => (c.type === "wakeAt" ? [c.atMs] : []));
    const gaps = wakes.map((w, i) => w - (i === 0 ? T0 : wakes[i - 1]));
    expect(gaps.slice(0, 3)).toEqual([30_000, 30_000, 30_000]);
    expect(Math.max(...gaps)).toBe(120_000);
    // submitted, running (first probe), timedOut: three saves in a 10-minute attempt.
    expect(r.saves.map((s) => s[0].state)).toEqual(["submitted", "running", "timedOut"]);
    expect(r.published.map((p) => p.state)).toEqual(["submitted", "running", "timedOut"]);
  });

  it("a forbidden step transition throws instead of being recorded", () => {
    let s = initialStepsState(config({ steps: [{ id: "a" }] }), [{ id: "a", name: "a", state: "succeeded", attempts: [] }]);
    s = { ...s, stage: "submitting", outstanding: 1 };
    expect(() => decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1 }, T0)).toThrow(/step/);
  });
});
