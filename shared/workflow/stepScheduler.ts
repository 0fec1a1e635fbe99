// Pure step scheduling for the job orchestration: which steps may start now (DAG by dependsOn, declaration order,
// at most maxConcurrentSteps at once), which pending steps can never run (an upstream step did not succeed), and
// the outcome of the steps phase; what a failure means for the rest of the job is the ActionOnFailure table in
// shared/states/actionOnFailure.ts. Deterministic: the step-phase decider (stepsDecider.ts) calls it.
import type { SparkStep } from "../model/job";
import type { JobOutcome } from "../states/job";
import { STEP_TERMINAL_STATES } from "../states/step";
import type { StepRecord, StepState } from "./jobRecord";

const isTerminal = (s: StepState): boolean => STEP_TERMINAL_STATES.includes(s);
const isActive = (s: StepState): boolean => s === "submitted" || s === "running";

/** The part of a step the scheduling rules read. */
export interface StepDeps {
  id: SparkStep["id"];
  dependsOn: readonly string[];
}

/** Ids of pending (or retrying) steps that may start now, in declaration order, within the concurrency budget. */
export function stepsToStart(steps: readonly StepDeps[], records: readonly StepRecord[], maxConcurrentSteps: number): string[] {
  const state = new Map(records.map((r) => [r.id, r.state]));
  let budget = maxConcurrentSteps - records.filter((r) => isActive(r.state)).length;
  const start: string[] = [];
  for (const step of steps) {
    if (budget <= 0) break;
    const s = state.get(step.id);
    if (s !== "pending" && s !== "retrying") continue;
    if (step.dependsOn.every((d) => state.get(d) === "succeeded")) {
      start.push(step.id);
      budget -= 1;
    }
  }
  return start;
}

/** Ids of pending steps that can never run because a step they depend on (transitively) ended without success. */
export function stepsToSkip(steps: readonly StepDeps[], records: readonly StepRecord[]): string[] {
  const state = new Map(records.map((r) => [r.id, r.state]));
  const skipped: string[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of steps) {
      if (state.get(step.id) !== "pending") continue;
      const blocked = step.dependsOn.some((d) => {
        const ds = state.get(d) as StepState;
        return isTerminal(ds) && ds !== "succeeded";
      });
      if (blocked) {
        state.set(step.id, "skipped");
        skipped.push(step.id);
        changed = true;
      }
    }
  }
  return skipped;
}

/** True when nothing is running and nothing can start: the step phase is over. */
export function stepPhaseDone(steps: readonly StepDeps[], records: readonly StepRecord[], maxConcurrentSteps: number): boolean {
  if (records.some((r) => isActive(r.state))) return false;
  return stepsToStart(steps, records, maxConcurrentSteps).length === 0;
}

/**
 * The job's outcome from its step records and how the steps phase stopped: cancel wins, then a fatal failure (an
 * error, or a step whose ActionOnFailure fails the job), then anything short of all steps succeeding
 * (completedWithFailures: CONTINUE steps failed, or their dependents were skipped), else succeeded.
 */
export function jobOutcome(records: readonly StepRecord[], fatalFailure: boolean, cancelled: boolean): JobOutcome {
  if (cancelled) return "cancelled";
  if (fatalFailure) return "failed";
  if (records.every((r) => r.state === "succeeded")) return "succeeded";
  return "completedWithFailures";
}
