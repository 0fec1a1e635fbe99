// How long each step of a recurring job usually runs, learnt from that job name's last successful runs (pure; the
// step poll plan, stepPollPlan.ts, reads it). Most production jobs recur — a schedule submits the same job name with
// the same step ids every day — so their steps' durations are known, and the step phase can poll sparsely while a step
// is well before its usual end and densely around it. A sample is a successful attempt's run time as the phase saw
// it: from its submission to the probe that saw it succeed (the attempt's startedAt → endedAt in the job record).
// Kept per job name and step id (the last STEP_SAMPLES_KEPT), one blob per job name (functions/store/stepDurations.ts).
import { nearestRank } from "../percentile";
import type { JobRecord } from "./jobRecord";

/** Samples kept per step: recent enough to follow a job's growing input, enough for a p10 and a p90. */
export const STEP_SAMPLES_KEPT = 20;

export interface StepDurationSample {
  /** The job the sample comes from: a retried write (or a repair run's final save) must not count it twice. */
  jobId: string;
  ms: number;
}

/** What is kept per job name (Blob): each step's last samples, oldest first. */
export interface StepDurationSamples {
  jobName: string;
  steps: Record<string, StepDurationSample[]>;
}

/** A step's usual run time (nearest-rank percentiles of its samples). */
export interface StepDurationEstimate {
  p10Ms: number;
  p50Ms: number;
  p90Ms: number;
  /** How many observations the figures come from (≥ 1). */
  samples: number;
}

/** Estimates by step id; a step without samples is absent. `{}` = asked, nothing known. */
export type StepDurationEstimates = Record<string, StepDurationEstimate>;

/** One job's samples, as its final save carries them (SaveJobRecordInput.stepDurations). */
export interface StepDurationReport {
  jobName: string;
  jobId: string;
  samples: { stepId: string; ms: number }[];
}

/** A step's estimate (own keys only: a step may be called "constructor"). */
export function estimateOf(estimates: StepDurationEstimates | undefined, stepId: string): StepDurationEstimate | undefined {
  return estimates && Object.hasOwn(estimates, stepId) ? estimates[stepId] : undefined;
}

/** Only the estimates of `steps` (a name's blob may still hold steps its jobs no longer have). */
export function estimatesFor(estimates: StepDurationEstimates, steps: readonly { id: string }[]): StepDurationEstimates {
  const out: StepDurationEstimates = {};
  for (const { id } of steps) {
    const e = estimateOf(estimates, id);
    if (e) out[id] = e;
  }
  return out;
}

/** The estimates of the steps that have samples (only `stepIds` when given). */
export function estimateStepDurations(current: StepDurationSamples | undefined, stepIds?: readonly string[]): StepDurationEstimates {
  const out: StepDurationEstimates = {};
  for (const [stepId, samples] of Object.entries(current?.steps ?? {})) {
    if (samples.length === 0 || (stepIds && !stepIds.includes(stepId))) continue;
    const ms = samples.map((s) => s.ms);
    out[stepId] = { p10Ms: nearestRank(ms, 10), p50Ms: nearestRank(ms, 50), p90Ms: nearestRank(ms, 90), samples: ms.length };
  }
  return out;
}

/**
 * Adds a job's samples: one that is not a positive finite duration, or whose job already has a sample for that step
 * (an activity retried after a lost reply, a repair run's final save), is ignored; each step keeps its last
 * STEP_SAMPLES_KEPT. Returns `current` itself when nothing was added (the caller then skips the write).
 */
export function addStepDurationSamples(
  current: StepDurationSamples | undefined,
  report: StepDurationReport,
): StepDurationSamples | undefined {
  let next = current;
  for (const { stepId, ms } of report.samples) {
    if (!Number.isFinite(ms) || ms <= 0) continue;
    const base: StepDurationSamples = next ?? { jobName: report.jobName, steps: {} };
    const kept = Object.hasOwn(base.steps, stepId) ? base.steps[stepId]! : [];
    if (kept.some((s) => s.jobId === report.jobId)) continue;
    next = { ...base, steps: { ...base.steps, [stepId]: [...kept, { jobId: report.jobId, ms }].slice(-STEP_SAMPLES_KEPT) } };
  }
  return next;
}

/**
 * A finished job's samples: each succeeded step's successful attempt (its last), from its submission to the end the
 * phase saw. Steps that failed, were skipped or cancelled tell nothing about a usual run and give none.
 */
export function stepDurationSamples(record: Pick<JobRecord, "steps">): StepDurationReport["samples"] {
  const out: StepDurationReport["samples"] = [];
  for (const step of record.steps) {
    if (step.state !== "succeeded") continue;
    const last = step.attempts[step.attempts.length - 1];
    if (!last?.startedAt || !last.endedAt) continue;
    const ms = Date.parse(last.endedAt) - Date.parse(last.startedAt);
    if (Number.isFinite(ms) && ms > 0) out.push({ stepId: step.id, ms });
  }
  return out;
}
