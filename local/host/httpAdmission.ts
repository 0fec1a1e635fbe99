// host.json `extensions.http.maxConcurrentRequests` / `maxOutstandingRequests`, as the Functions host applies them
// to HTTP-triggered functions: at most maxConcurrentRequests execute at once (the rest wait, first come first
// served), and once maxOutstandingRequests are executing or waiting, a new request is refused with 429 at once —
// a bounded queue instead of unbounded latency when submits arrive faster than they can be answered.

export interface HttpAdmissionLimits {
  maxConcurrentRequests?: number;
  maxOutstandingRequests?: number;
}

export class HttpAdmission {
  private executing = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: HttpAdmissionLimits) {}

  /** True when host.json sets either limit (otherwise the host admits everything without this class). */
  static needed(limits: HttpAdmissionLimits): boolean {
    return limits.maxConcurrentRequests !== undefined || limits.maxOutstandingRequests !== undefined;
  }

  /**
   * Undefined: refused (answer 429). Otherwise resolves, when the request may execute, with the function to call
   * exactly once when it has been answered.
   */
  admit(): Promise<() => void> | undefined {
    const { maxConcurrentRequests, maxOutstandingRequests } = this.limits;
    if (maxOutstandingRequests !== undefined && this.executing + this.waiting.length >= maxOutstandingRequests) return undefined;
    if (maxConcurrentRequests === undefined || this.executing < maxConcurrentRequests) {
      this.executing++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.waiting.push(() => resolve(this.releaser())));
  }

  get stats(): { executing: number; waiting: number } {
    return { executing: this.executing, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiting request
      else this.executing--;
    };
  }
}
