// Poll economy of the step phase (pure, deterministic: used by the step-phase decider, stepsDecider.ts). Livy state changes
// cluster right after something happened — a batch just submitted starts running, short steps end soon after they
// started — so polls stay dense (the base interval) for a few rounds after any change and thin out while nothing
// changes (×1.5 per quiet round, capped at 4× the base); a running step's timeout is an expected transition too,
// so no poll ever sleeps past one. A round that changed nothing is not saved or published (see stepsDecider.ts).
// A step whose usual run time is known (a recurring job's) is polled by its plan instead (stepPollPlan.ts).

/** Quiet rounds polled at the base interval before the interval starts to grow. */
export const DENSE_ROUNDS = 4;
/** The longest interval, as a multiple of the base. */
export const MAX_POLL_FACTOR = 4;

export interface PollDelayInput {
  /** The configured poll interval (default 30 s). */
  baseMs: number;
  /** Consecutive poll rounds in which no step changed state (0 right after a change). */
  quietRounds: number;
  nowMs: number;
  /** When running steps time out (epoch ms); past ones are ignored. */
  deadlinesMs: readonly number[];
}

/** Delay until the next status probe. */
export function nextPollDelayMs(input: PollDelayInput): number {
  const { baseMs, quietRounds, nowMs, deadlinesMs } = input;
  const factor = Math.min(MAX_POLL_FACTOR, Math.pow(1.5, Math.max(0, quietRounds - DENSE_ROUNDS + 1)));
  let delay = quietRounds < DENSE_ROUNDS ? baseMs : Math.round(baseMs * factor);
  for (const deadline of deadlinesMs) if (deadline > nowMs) delay = Math.min(delay, deadline - nowMs);
  return delay;
}
