// Follow-up plans of the step phase's status probes (pure; used by the decider, stepsDecider.ts). When a probe finds
// its batch ended in success, the round that follows would submit the steps that success made ready — one more
// activity and one more orchestrator episode per step boundary. Instead, each probe of a round carries the decider's
// answer to "what would you start next if this batch succeeded?", and the probe activity submits exactly that once it
// has finished the batch (functions/activities/stepActivities.ts). The decider then tracks those batches as if it
// had submitted them itself (adoptSubmitted in stepsDecider.ts).
//
// Why the plans are safe:
// * each plan assumes only its own batch ends; another batch ending too only frees capacity, so maxConcurrentSteps
//   is never exceeded (the next round starts whatever else became ready);
// * plans are disjoint: a step waiting only for capacity goes to the first probe whose success would start it, the
//   next such step to the next probe, so two probes ending together never submit the same attempt;
// * nothing is planned while the phase is stopping (fatal failure, cancel), and a plan fires only on a success the
//   probe finished itself; a batch submitted for a step that may no longer start when its answer is read (another
//   probe of the same round failed with a job-stopping ActionOnFailure) is tracked and killed, never left running.
import type { SparkStep } from "../model/job";
import { stepsToStart } from "./stepScheduler";
import type { StepsState } from "./stepsTypes";

export interface FollowUp {
  stepId: string;
  attempt: number;
}

/** For each running attempt of `s.running` (same order): what to submit if its batch succeeds. */
export function followUpPlans(s: Pick<StepsState, "config" | "steps" | "running" | "fatal" | "cancelled" | "cancelPending">): FollowUp[][] {
  if (s.fatal || s.cancelled || s.cancelPending) return s.running.map(() => []);
  const taken = new Set<string>();
  return s.running.map((r) => {
    if (r.finishing) return [];
    // This batch succeeded; steps already in an earlier probe's plan are out of reach (as if they could never run:
    // neither they nor what depends on them is planned here, and they take no capacity).
    const ifSucceeded = s.steps.map((x) =>
      x.id === r.stepId ? { ...x, state: "succeeded" as const } : taken.has(x.id) ? { ...x, state: "skipped" as const } : x,
    );
    return stepsToStart(s.config.steps, ifSucceeded, s.config.maxConcurrentSteps).map((id) => {
      taken.add(id);
      return { stepId: id, attempt: s.steps.find((x) => x.id === id)!.attempts.length + 1 };
    });
  });
}

/**
 * A step as a follow-up plan carries it: what a Livy submission reads (shared/builders/livyBatch.ts), without the
 * scheduling fields (dependsOn, actionOnFailure, retries, timeout), a name equal to the id, or empty lists and maps —
 * every probe of a running step carries its plan, and an activity's input is replayed with the history on every
 * episode. expandFollowUpStep() restores a SparkStep that builds the same Livy request.
 */
export type FollowUpStep = Partial<Omit<SparkStep, "dependsOn" | "actionOnFailure" | "retries" | "timeoutMinutes">> &
  Pick<SparkStep, "id" | "file">;

const SCHEDULING_FIELDS = new Set(["dependsOn", "actionOnFailure", "retries", "timeoutMinutes"]);

export function compactFollowUpStep(step: SparkStep): FollowUpStep {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) {
    if (SCHEDULING_FIELDS.has(key) || value === undefined || (key === "name" && value === step.id)) continue;
    if (Array.isArray(value) ? value.length === 0 : typeof value === "object" && value !== null && Object.keys(value).length === 0)
      continue;
    out[key] = value;
  }
  return out as FollowUpStep;
}

export function expandFollowUpStep(step: FollowUpStep): SparkStep {
  return {
    name: step.id,
    type: "spark",
    args: [],
    jars: [],
    pyFiles: [],
    files: [],
    archives: [],
    conf: {},
    dependsOn: [],
    actionOnFailure: "CONTINUE",
    retries: 0,
    ...step,
  };
}
