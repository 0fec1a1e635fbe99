// What the step phase carries across continueAsNew (orchestrations/stepPhase.ts), kept small: the next execution's
// input is part of its history, which the SDK is handed and replays on every episode, so every byte of it is paid
// for on each of that execution's episodes. Left out, because the next execution rebuilds them exactly:
// * `config` — derived from the job input (stepsConfig), which travels anyway;
// * `savedSteps` — the phase continues only at a poll wake-up, and every round saves before it waits, so the steps
//   as last saved are the steps themselves;
// * the job record's `steps` — the same steps again (the record as last saved).
// Pure; an input carried by an older execution (full state, record with steps) is read as it is.
import type { JobRecord } from "./jobRecord";
import type { StepsConfig, StepsState } from "./stepsTypes";

/** The decider state as carried: what cannot be rebuilt. */
export type CarriedStepsState = Omit<StepsState, "config" | "savedSteps"> & Partial<Pick<StepsState, "config" | "savedSteps">>;

/** State and record trimmed for the next execution's input (only at a poll wake-up: steps = steps as last saved). */
export function carryStepsState(state: StepsState, record: JobRecord): { state: CarriedStepsState; record: JobRecord } {
  const { config: _config, savedSteps: _saved, ...rest } = state;
  return { state: rest, record: { ...record, steps: [] } };
}

/** The decider state and the job record rebuilt from a carried input (an older, untrimmed one is taken as is). */
export function restoreStepsState(
  carried: CarriedStepsState,
  record: JobRecord,
  config: StepsConfig,
): { state: StepsState; record: JobRecord } {
  const savedSteps = carried.savedSteps ?? JSON.stringify(carried.steps);
  const state: StepsState = { ...carried, config: carried.config ?? config, savedSteps };
  const steps = record.steps.length > 0 ? record.steps : (JSON.parse(savedSteps) as JobRecord["steps"]);
  return { state, record: { ...record, steps } };
}
