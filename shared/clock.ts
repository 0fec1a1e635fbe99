// Time is injected: effectful code asks a Clock, never `Date.now()` directly, so tests and the embedded runtime
// can drive it virtually. Orchestrations use `context.df.currentUtcDateTime` instead (replay-safe).

export interface Clock {
  /** Current time in epoch milliseconds. */
  nowMs(): number;
  /** Current time as a Date. */
  now(): Date;
  /**
   * Resolves after `durationInMs` of this clock's time has passed (virtual time on a virtual clock).
   * Rejects with an AbortError when the signal aborts first.
   */
  sleep(durationInMs: number, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

/** The wall clock, for production. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  now: () => new Date(),
  sleep: (durationInMs, options) =>
    new Promise<void>((resolve, reject) => {
      const signal = options?.abortSignal;
      if (signal?.aborted) return reject(abortError());
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, durationInMs),
      );
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export function abortError(): Error {
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
}
