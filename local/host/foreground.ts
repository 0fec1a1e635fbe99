// API requests first: while HTTP-triggered functions are being answered, background invocations (orchestrator
// episodes, activities, Service Bus and timer triggers) wait their turn, so a burst of `POST /api/jobs` is not
// queued behind the work of the jobs it already created. The host and the Durable engine share one event loop on
// a small machine; in Azure the front door and the orchestration workers scale apart. Background work is never
// starved: while requests keep arriving, one waiting invocation is let through every `trickleMs` (real time), and
// every waiting one goes as soon as no request is in flight.

export interface ForegroundGateOptions {
  /** While requests are in flight, one background invocation starts per this many real milliseconds (default 10). */
  trickleMs?: number;
}

export class ForegroundGate {
  private inFlight = 0;
  private held = false;
  private readonly waiting: (() => void)[] = [];
  private trickle: NodeJS.Timeout | undefined;
  private readonly trickleMs: number;

  constructor(options: ForegroundGateOptions = {}) {
    this.trickleMs = options.trickleMs ?? 10;
    if (!(this.trickleMs >= 0)) throw new Error(`trickleMs must be >= 0, got ${this.trickleMs}`);
  }

  /** A foreground request started; call the returned function exactly once when it has been answered. */
  enter(): () => void {
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      if (this.inFlight === 0) this.releaseAll();
    };
  }

  /** Resolves when a background invocation may start: at once when no request is in flight, else in its turn. */
  turn(): Promise<void> | undefined {
    if (!this.held && this.inFlight === 0 && this.waiting.length === 0) return undefined;
    const wait = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.armTrickle();
    return wait;
  }

  /** Requests being answered now, and background invocations waiting (figures for tests and benchmarks). */
  get stats(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.length };
  }

  /**
   * Holds every background invocation until `resume()` (no trickle): `bench:api -- --api-only` measures the API's
   * own cost this way, with the jobs it creates waiting.
   */
  hold(): void {
    this.held = true;
    if (this.trickle) clearTimeout(this.trickle);
    this.trickle = undefined;
  }

  resume(): void {
    this.held = false;
    if (this.inFlight === 0) this.releaseAll();
    else this.armTrickle();
  }

  /** Lets every waiting invocation go and stops the trickle (host stop). */
  close(): void {
    this.held = false;
    this.releaseAll();
  }

  private releaseAll(): void {
    if (this.held) return;
    if (this.trickle) clearTimeout(this.trickle);
    this.trickle = undefined;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private armTrickle(): void {
    if (this.held || this.trickle || this.waiting.length === 0) return;
    this.trickle = setTimeout(() => {
      this.trickle = undefined;
      this.waiting.shift()?.();
      this.armTrickle();
    }, this.trickleMs);
    // A waiting background invocation must not keep a stopping process alive on its own.
    this.trickle.unref();
  }
}
