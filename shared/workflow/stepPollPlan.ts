// The step poll plan (pure, deterministic: used by the step-phase decider, stepsDecider.ts): when the next status
// probe is due, given what is running and how long each of those steps usually runs (stepDurations.ts). A step with an
// estimate is polled sparsely — up to the quiet-round cap, MAX_POLL_FACTOR × the base interval — while it is well
// before its usual end, at the base interval within its usual window (p10 − margin … p90 + margin, the margin the base
// interval or a tenth of the p50, whichever is more, rounded up to whole base intervals so that a probe falls on the
// p10 itself) and, once past that window, by today's rule (stepPolling.ts:
// dense after a change, thinning while nothing changes). A step without an estimate follows today's rule throughout;
// several running steps take the soonest of their plans; no poll ever sleeps past a running step's timeout. With no
// estimate at all the delay is exactly today's (nextPollDelayMs). Before and within its window a step's plan replaces
// the dense-after-a-change rule: the changes that rule waits for (submitted → running, the end) are what the estimate
// already foresees; a change still makes the steps without a plan (and those past their window) dense again.
//
// The trade-off: a step that ends much earlier than usual (fails fast, or its input was small) is seen up to the
// sparse interval late — at most MAX_POLL_FACTOR × base, 2 minutes by default, the same bound the quiet-round rule
// already has once a step has run quietly for a while. In exchange a recurring step costs about
// (p10 / sparse interval) + (window / base) probes instead of one every 30 s to 2 min, and its end is seen within the
// base interval of its usual time rather than up to 2 minutes late.
import type { StepDurationEstimate } from "./stepDurations";
import { MAX_POLL_FACTOR, nextPollDelayMs, type PollDelayInput } from "./stepPolling";

/** How much the usual window [p10, p90] is widened on each side, as a share of the p50 (at least the base interval). */
export const WINDOW_STRETCH = 0.1;

export interface RunningStepClock {
  /** When the attempt was submitted (epoch ms, as the decider saw it). */
  startedMs: number;
  /** The step's usual run time; absent: unknown (today's rule). */
  estimate?: StepDurationEstimate;
}

export interface StepPollPlanInput extends PollDelayInput {
  /** Every running attempt. */
  running: readonly RunningStepClock[];
}

/**
 * The usual window of a step's end, widened: [startMs, endMs] in ms since its submission (startMs may be negative).
 * The margin is a whole number of base intervals, so the dense probes from the window's start land on the p10 itself:
 * a step that runs as long as last time is seen exactly when it was last time, never one interval later.
 */
export function usualWindow(estimate: StepDurationEstimate, baseMs: number): { startMs: number; endMs: number } {
  const margin = baseMs * Math.ceil(Math.max(baseMs, WINDOW_STRETCH * estimate.p50Ms) / baseMs);
  return { startMs: estimate.p10Ms - margin, endMs: estimate.p90Ms + margin };
}

/**
 * One running step's wish for the next probe, or undefined when it follows today's rule (no estimate, or past its
 * window). Before the window: sparse (at most MAX_POLL_FACTOR × base), the last sparse wait landing on the window's
 * start. Within it: the next point of its grid (the window's start plus whole base intervals), at most the base away.
 */
export function plannedDelayMs(step: RunningStepClock, baseMs: number, nowMs: number): number | undefined {
  if (!step.estimate) return undefined;
  const { startMs, endMs } = usualWindow(step.estimate, baseMs);
  const elapsed = nowMs - step.startedMs;
  if (elapsed > endMs) return undefined;
  const sparse = MAX_POLL_FACTOR * baseMs;
  const untilWindow = startMs - elapsed;
  if (untilWindow > 0) return untilWindow <= sparse ? untilWindow : Math.min(sparse, untilWindow - baseMs);
  return startMs + (Math.floor((elapsed - startMs) / baseMs) + 1) * baseMs - elapsed;
}

/** Delay until the next status probe of the running steps. */
export function planPollDelayMs(input: StepPollPlanInput): number {
  const { baseMs, nowMs, deadlinesMs, running } = input;
  const wishes = running.map((r) => plannedDelayMs(r, baseMs, nowMs));
  // Today's rule, deadlines included: for every step without a plan, and as the whole answer when none has one.
  const fallback = nextPollDelayMs(input);
  if (wishes.every((w) => w === undefined)) return fallback;
  let delay = Math.min(...wishes.map((w) => w ?? fallback));
  for (const deadline of deadlinesMs) if (deadline > nowMs) delay = Math.min(delay, deadline - nowMs);
  return delay;
}
