// Requests the gateway holds on arrival (the `livySubmitHold` fault, scenario.ts) until a test releases them with
// POST /_sandbox/gateway/holds/release — so a test can act (e.g. cancel a job) while a call is provably in flight.
// A hold never outlives its safety bound (real time, unref'd timer): a forgotten release cannot keep the sandbox
// from stopping.

/** How long a held request waits at most, in real milliseconds, when nobody releases it. */
export const HOLD_SAFETY_MS = 60_000;

export class RequestHolds {
  private readonly waiting = new Set<() => void>();

  /** Resolves once released (or after HOLD_SAFETY_MS). */
  hold(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, HOLD_SAFETY_MS);
      timer.unref();
      this.waiting.add(done);
    });
  }

  /** Requests held right now. */
  held(): number {
    return this.waiting.size;
  }

  /** Lets every held request go on; returns how many there were. */
  releaseAll(): number {
    const all = [...this.waiting];
    for (const done of all) done();
    return all.length;
  }
}
