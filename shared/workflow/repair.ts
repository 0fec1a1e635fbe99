// Repair of a finished job (Databricks' "repair run"): which steps a new run re-runs, and the record that run
// starts from. Default: every step that failed, timed out, was cancelled or skipped, and everything depending on
// them; `steps` names others instead (plus what depends on them, and any upstream step that did not succeed — it
// would otherwise block them). Succeeded steps keep their state and attempts (their outputs are in storage); every
// earlier run is kept in `runs` with its steps and attempts. Pure: the repair route and the orchestration use it.
import type { Problem } from "../errors";
import type { SparkStep } from "../model/job";
import { JOB_TERMINAL_STATES, type JobRecord, type RunSummary, type StepState } from "./jobRecord";

export const REPAIRABLE_STEP_STATES: readonly StepState[] = ["failed", "timedOut", "cancelled", "skipped"];

export type RepairPlan = { ok: true; steps: string[] } | { ok: false; status: 400 | 409; problems: Problem[] };

/** The steps a repair re-runs, in document order, or why there is nothing to repair. */
export function repairPlan(
  steps: readonly Pick<SparkStep, "id" | "dependsOn">[],
  record: Pick<JobRecord, "state" | "steps">,
  requested?: readonly string[],
): RepairPlan {
  if (!JOB_TERMINAL_STATES.includes(record.state)) {
    return {
      ok: false,
      status: 409,
      problems: [{ pointer: "", message: `the job is ${record.state}: only a finished job can be repaired (cancel it first)` }],
    };
  }
  const state = new Map(record.steps.map((s) => [s.id, s.state]));
  const known = new Set(steps.map((s) => s.id));
  const unknown = (requested ?? []).map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length) {
    return {
      ok: false,
      status: 400,
      problems: unknown.map(({ id, i }) => ({
        pointer: `/steps/${i}`,
        message: `no step '${id}' in this job (steps: ${[...known].join(", ")})`,
      })),
    };
  }
  const chosen = new Set(
    requested?.length ? requested : steps.filter((s) => REPAIRABLE_STEP_STATES.includes(state.get(s.id) as StepState)).map((s) => s.id),
  );
  if (chosen.size === 0)
    return {
      ok: false,
      status: 409,
      problems: [{ pointer: "", message: 'nothing to repair: every step succeeded (name steps to re-run with "steps")' }],
    };
  // Close over dependents (they consumed the old outputs) and over upstream steps that did not succeed.
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (let changed = true; changed;) {
    changed = false;
    for (const s of steps) {
      if (!chosen.has(s.id) && s.dependsOn.some((d) => chosen.has(d))) {
        chosen.add(s.id);
        changed = true;
      }
      if (chosen.has(s.id)) {
        for (const d of byId.get(s.id)?.dependsOn ?? []) {
          if (!chosen.has(d) && state.get(d) !== "succeeded") {
            chosen.add(d);
            changed = true;
          }
        }
      }
    }
  }
  return { ok: true, steps: steps.filter((s) => chosen.has(s.id)).map((s) => s.id) };
}

/** The run a record describes (1 for a job never repaired). */
export const runOf = (record: Pick<JobRecord, "run">): number => record.run ?? 1;

/** What an earlier run looked like, for the record's history. */
function summary(record: JobRecord): RunSummary {
  const s: RunSummary = { run: runOf(record), state: record.state, steps: structuredClone(record.steps), cluster: { ...record.cluster } };
  if (record.run !== undefined && record.rerunSteps) s.rerunSteps = [...record.rerunSteps];
  for (const key of ["submittedAt", "startedAt", "endedAt", "error"] as const) if (record[key] !== undefined) s[key] = record[key];
  if (record.estimatedCost) s.estimatedCost = { ...record.estimatedCost };
  return s;
}

/**
 * The record a repair run starts from: the previous one with that run moved into `runs`, the re-run steps back to
 * pending (their attempts kept, so attempt numbers, Livy batch names and log blobs stay unique), the rest as it was.
 */
export function repairRecord(previous: JobRecord, run: number, rerun: readonly string[], requestedAt: string): JobRecord {
  const record: JobRecord = structuredClone(previous);
  record.runs = [...(previous.runs ?? []), summary(previous)];
  record.run = run;
  record.rerunSteps = [...rerun];
  record.state = "queued";
  record.submittedAt = requestedAt;
  record.cluster = { profile: previous.cluster.profile, reuse: previous.cluster.reuse };
  record.edges = previous.edges.map((e) => ({ vm: e.vm, state: "pending" as const }));
  for (const key of ["startedAt", "endedAt", "error", "estimatedCost"] as const) delete record[key];
  for (const s of record.steps) {
    if (!rerun.includes(s.id)) continue;
    s.state = "pending";
    delete s.error;
    delete s.startedAt;
    delete s.endedAt;
  }
  return record;
}

/** Attempts of a step made in `run` (retries count only those: a repair gets the step's full retry budget). */
export function attemptsInRun(attempts: readonly { run?: number }[], run: number): number {
  return attempts.filter((a) => (a.run ?? 1) === run).length;
}
