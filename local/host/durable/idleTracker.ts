// When the engine is idle: a count of its tracked work (episodes, activity runs, deliveries, child starts) and
// the waiters of waitForIdle(), which tests and manual-clock drivers (runUntilIdle) rely on before moving time on.
// Separate from engineCore.ts because it knows nothing of instances: only "is anything queued or running".
export class IdleTracker {
  private busy = 0;
  private waiters: (() => void)[] = [];

  constructor(
    /** True when nothing waits outside tracked work (the activity queue is empty, or the engine stopped). */
    private readonly nothingQueued: () => boolean,
    /** Tracked work never rejects to its caller: an unexpected error is reported here. */
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Counts `work` as busy until it settles. */
  track(work: Promise<unknown>): void {
    this.busy++;
    work.catch(this.onError).finally(() => {
      this.busy--;
      if (this.isIdle()) for (const resolve of this.waiters.splice(0)) resolve();
    });
  }

  isIdle(): boolean {
    return this.busy === 0 && this.nothingQueued();
  }

  /** Resolves when nothing is tracked or queued, still so one event-loop turn later (work started in between counts). */
  async waitForIdle(): Promise<void> {
    for (;;) {
      while (!this.isIdle()) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.isIdle()) return;
    }
  }
}
