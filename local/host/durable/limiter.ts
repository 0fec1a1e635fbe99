// A FIFO counting semaphore: maxConcurrentActivityFunctions / maxConcurrentOrchestratorFunctions.
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new Error(`concurrency limit must be >= 1, got ${max}`);
  }

  /** Resolves when a slot is free; callers must `release()` exactly once afterwards. */
  acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  get inUse(): number {
    return this.active;
  }
}
