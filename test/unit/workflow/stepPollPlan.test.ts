// The step poll plan (shared/workflow/stepPollPlan.ts) as a table, then the step-phase decider driven on a virtual
// clock by steps that run for a given time: with the learnt durations a recurring step costs fewer probes and its end
// is seen no later; one that fails fast is seen at most the sparse interval late; without them nothing changes.
import { describe, expect, it } from "vitest";
import { DENSE_ROUNDS, MAX_POLL_FACTOR, nextPollDelayMs } from "../../../shared/workflow/stepPolling";
import { planPollDelayMs, usualWindow, type RunningStepClock } from "../../../shared/workflow/stepPollPlan";
import type { StepDurationEstimate, StepDurationEstimates } from "../../../shared/workflow/stepDurations";
import { decide, initialStepsState } from "../../../shared/workflow/stepsDecider";
import type { StepsCommand, StepsEvent, StepsState } from "../../../shared/workflow/stepsTypes";
import { carryStepsState, restoreStepsState } from "../../../shared/workflow/stepsCarry";
import { config, records, T0 } from "./stepsSim";

const base = 30_000;
const MIN = 60_000;
const sparse = MAX_POLL_FACTOR * base;
const usual = (ms: number, spread = 0): StepDurationEstimate => ({ p10Ms: ms - spread, p50Ms: ms, p90Ms: ms + spread, samples: 5 });
/** The plan at `elapsedMs` after every listed step started at T0 (or at its own start). */
const plan = (running: RunningStepClock[], elapsedMs: number, quietRounds = DENSE_ROUNDS + 10, deadlinesMs: number[] = []): number =>
  planPollDelayMs({ baseMs: base, quietRounds, nowMs: T0 + elapsedMs, deadlinesMs, running });
const at = (estimate?: StepDurationEstimate, startedMs = T0): RunningStepClock => (estimate ? { startedMs, estimate } : { startedMs });

describe("step poll plan", () => {
  it.each([0, 1, DENSE_ROUNDS, DENSE_ROUNDS + 2, DENSE_ROUNDS + 20])("no estimate: exactly today's delay after %i quiet rounds", (q) => {
    const deadlinesMs = [T0 + 50_000];
    for (const deadlines of [[], deadlinesMs])
      expect(plan([at(), at()], 0, q, deadlines)).toBe(
        nextPollDelayMs({ baseMs: base, quietRounds: q, nowMs: T0, deadlinesMs: deadlines }),
      );
    expect(plan([], 0, q)).toBe(nextPollDelayMs({ baseMs: base, quietRounds: q, nowMs: T0, deadlinesMs: [] }));
  });

  it("the usual window is p10..p90 widened by the base interval or a tenth of the p50", () => {
    expect(usualWindow(usual(2 * MIN), base)).toEqual({ startMs: 90_000, endMs: 150_000 });
    expect(usualWindow(usual(30 * MIN, MIN), base)).toEqual({ startMs: 26 * MIN, endMs: 34 * MIN });
    expect(usualWindow(usual(20_000), base).startMs).toBe(-10_000);
    expect(usualWindow(usual(10 * MIN + 5_000), base)).toEqual({ startMs: 10 * MIN + 5_000 - 90_000, endMs: 10 * MIN + 95_000 }); // 61 s → 90 s
  });

  it.each([
    // [what, estimate, elapsed, quiet rounds, expected delay]
    ["short step, just submitted: straight to its window", usual(2 * MIN), 0, 0, 90_000],
    ["short step, in its window", usual(2 * MIN), 90_000, 0, base],
    ["short step, at its window's end", usual(2 * MIN), 150_000, 5, base],
    ["short step past its window, after a change: today's dense rule", usual(2 * MIN), 151_000, 0, base],
    ["short step past its window, quiet: today's sparse rule", usual(2 * MIN), 151_000, DENSE_ROUNDS + 10, sparse],
    ["long step, just submitted (a change): sparse, capped", usual(30 * MIN, MIN), 0, 0, sparse],
    ["long step, well before its window", usual(30 * MIN, MIN), 10 * MIN, 3, sparse],
    ["long step, 70 s before its window", usual(30 * MIN, MIN), 26 * MIN - 70_000, 3, 70_000],
    ["long step, 10 s before its window: lands on its start", usual(30 * MIN, MIN), 26 * MIN - 10_000, 3, 10_000],
    ["long step, 130 s before its window: sparse, then one base interval", usual(30 * MIN, MIN), 26 * MIN - 130_000, 3, 100_000],
    ["long step, in its window", usual(30 * MIN, MIN), 31 * MIN, DENSE_ROUNDS + 10, base],
    ["long step, in its window off its grid: back on it", usual(30 * MIN, MIN), 31 * MIN + 5_000, 0, 25_000],
    ["a very short step: its first probe at its usual end", usual(20_000), 0, 0, 20_000],
  ] as const)("%s", (_what, estimate, elapsed, quiet, expected) => {
    expect(plan([at(estimate)], elapsed, quiet)).toBe(expected);
  });

  it("several running steps: the soonest of their plans; one without an estimate follows today's rule", () => {
    expect(plan([at(usual(30 * MIN)), at(usual(2 * MIN))], 0)).toBe(90_000);
    expect(plan([at(usual(30 * MIN)), at(usual(2 * MIN), T0 + 60_000)], 60_000)).toBe(90_000);
    expect(plan([at(usual(30 * MIN)), at()], 0, 0)).toBe(base); // the unknown one just changed: dense
    expect(plan([at(usual(30 * MIN)), at()], 0, DENSE_ROUNDS + 10)).toBe(sparse);
    expect(plan([at(usual(30 * MIN)), at(usual(30 * MIN), T0 - 26 * MIN)], 0)).toBe(MIN); // the older one's window
  });

  it("a timeout before the window is never slept past", () => {
    expect(plan([at(usual(30 * MIN))], 4 * MIN, 3, [T0 + 5 * MIN])).toBe(MIN);
    expect(plan([at(usual(30 * MIN))], 0, 3, [T0 + 45_000, T0 + 10 * MIN])).toBe(45_000);
    expect(plan([at(usual(30 * MIN))], 0, 3, [T0 - 1])).toBe(sparse); // a passed deadline is ignored
  });
});

/** A step of the driven phase: how long its batch runs and how it ends. */
interface Scripted {
  id: string;
  ms: number;
  dependsOn?: string[];
  outcome?: "success" | "dead";
  timeoutMinutes?: number;
}

/**
 * Drives the decider as orchestrations/stepPhase.ts does, on a virtual clock: submissions answer at once (the first
 * carries `durations` when given, as the first submitStep does), timers fire at their time, a probe reports "running"
 * until the batch's time is up and then its end, finishing it itself (finishIfEnded).
 */
function drive(
  steps: Scripted[],
  durations?: StepDurationEstimates,
): { probes: Record<string, number>; seenMs: Record<string, number>; state: StepsState } {
  const rules = steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn, timeoutMinutes: s.timeoutMinutes }));
  let state = initialStepsState(config({ steps: rules, maxConcurrentSteps: 4 }), records({ steps: rules }));
  let now = T0;
  let batch = 0;
  const started = new Map<number, { id: string; at: number }>();
  const probes: Record<string, number> = {};
  const seenMs: Record<string, number> = {};
  const queue: StepsCommand[] = [];
  const feed = (e: StepsEvent): void => {
    const d = decide(state, e, now);
    state = d.state;
    queue.push(...d.commands);
  };
  feed({ type: "phaseStarted" });
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    const cmd = queue.shift()!;
    if (cmd.type === "submitStep") {
      started.set(++batch, { id: cmd.stepId, at: now });
      const known = durations && state.durations === undefined ? { durations } : {};
      feed({ type: "submitted", stepId: cmd.stepId, attempt: cmd.attempt, batchId: batch, ...known });
    } else if (cmd.type === "wakeAt") {
      now = cmd.atMs;
      feed({ type: "pollTimerFired" });
    } else if (cmd.type === "probeStatuses") {
      const events = cmd.probes.map((p): StepsEvent => {
        const b = started.get(p.batchId)!;
        const s = steps.find((x) => x.id === b.id)!;
        probes[s.id] = (probes[s.id] ?? 0) + 1;
        if (now - b.at < s.ms) return { type: "probed", stepId: p.stepId, attempt: p.attempt, status: { state: "running" } };
        seenMs[s.id] = now - b.at;
        const status = { state: s.outcome ?? "success", finished: { logBlob: `logs/${s.id}` } };
        return { type: "probed", stepId: p.stepId, attempt: p.attempt, status };
      });
      for (const e of events) feed(e);
    } else if (cmd.type === "finishStep") feed({ type: "finished", stepId: cmd.stepId, attempt: cmd.attempt });
  }
  return { probes, seenMs, state };
}

describe("steps decider with learnt step durations", () => {
  const chain: Scripted[] = [
    { id: "short", ms: 100_000 },
    { id: "long", ms: 29 * MIN, dependsOn: ["short"] },
  ];
  const learnt: StepDurationEstimates = { short: usual(120_000), long: usual(30 * MIN, MIN) };

  it("without an estimate the polls are today's (a 2-minute step: 4 probes)", () => {
    const today = drive(chain);
    expect(today.probes.short).toBe(4);
    expect(today.seenMs.short).toBe(120_000);
    expect(today.state.durations).toBeUndefined();
  });

  it("a recurring job's steps cost fewer probes and their ends are seen no later", () => {
    const today = drive(chain);
    const learned = drive(chain, learnt);
    expect(learned.state.result?.outcome).toBe("succeeded");
    expect(learned.state.durations).toEqual(learnt);
    expect(learned.probes.short).toBe(2); // at 90 s (its window) and 120 s
    expect(learned.seenMs.short).toBeLessThanOrEqual(today.seenMs.short!);
    // A long step is polled at the cap either way (today after its dense rounds): fewer probes, and its end is seen
    // within the base interval instead of up to the cap late.
    expect(learned.probes.long!).toBeLessThan(today.probes.long!);
    expect(today.seenMs.long! - chain[1]!.ms).toBeGreaterThan(base);
    expect(learned.seenMs.long).toBeLessThanOrEqual(today.seenMs.long!);
    expect(learned.seenMs.long! - chain[1]!.ms).toBeLessThanOrEqual(base); // within the base interval of its end
  });

  it("a step that fails much earlier than usual is seen at most the sparse interval late", () => {
    const fast = drive([{ id: "long", ms: 10_000, outcome: "dead" }], { long: usual(30 * MIN, MIN) });
    expect(fast.state.steps[0]!.state).toBe("failed");
    expect(fast.seenMs.long).toBe(sparse);
  });

  it("a timeout before the usual window is still checked exactly at its deadline", () => {
    const r = drive([{ id: "long", ms: 29 * MIN, timeoutMinutes: 5 }], { long: usual(30 * MIN, MIN) });
    expect(r.state.steps[0]!.state).toBe("timedOut");
    expect(r.probes.long).toBe(3); // 2 min, 4 min, then the deadline at 5 min
  });

  it("the estimates are taken from the first submission that carries them, and only once", () => {
    let s = initialStepsState(
      config({ steps: [{ id: "a" }, { id: "b" }], maxConcurrentSteps: 2 }),
      records({ steps: [{ id: "a" }, { id: "b" }] }),
    );
    s = decide(s, { type: "phaseStarted" }, T0).state;
    const known = { a: usual(MIN), gone: usual(MIN), constructor: usual(MIN) }; // steps this job does not have are dropped
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1, durations: known }, T0).state;
    const d = decide(s, { type: "submitted", stepId: "b", attempt: 1, batchId: 2, durations: {} }, T0);
    expect(d.state.durations).toEqual({ a: usual(MIN) });
    // a's window starts at 30 s; b has no estimate and both just changed: dense.
    expect(d.commands.find((c) => c.type === "wakeAt")).toEqual({ type: "wakeAt", atMs: T0 + base });
  });

  it("the estimates travel across continueAsNew with the decider's state", () => {
    const cfg = config({ steps: [{ id: "a" }] });
    let s = initialStepsState(cfg, records({ steps: [{ id: "a" }] }));
    s = decide(s, { type: "phaseStarted" }, T0).state;
    s = decide(s, { type: "submitted", stepId: "a", attempt: 1, batchId: 1, durations: { a: usual(30 * MIN) } }, T0).state;
    const job = { steps: s.steps } as Parameters<typeof carryStepsState>[1];
    const carried = JSON.parse(JSON.stringify(carryStepsState(s, job))) as ReturnType<typeof carryStepsState>;
    const restored = restoreStepsState(carried.state, carried.record, cfg).state;
    expect(restored.durations).toEqual({ a: usual(30 * MIN) });
    const d = decide({ ...restored, stage: "waiting" }, { type: "pollTimerFired" }, T0 + sparse);
    const next = decide(d.state, { type: "probed", stepId: "a", attempt: 1, status: { state: "running" } }, T0 + sparse);
    expect(next.commands.find((c) => c.type === "wakeAt")).toEqual({ type: "wakeAt", atMs: T0 + 2 * sparse });
  });
});
