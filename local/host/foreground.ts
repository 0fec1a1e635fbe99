// API requests first: while HTTP-triggered functions are being answered, background invocations (orchestrator
// episodes, activities, Service Bus and timer triggers) wait their turn, so a burst of `POST /api/jobs` is not
// queued behind the work of the jobs it already created. The host and the Durable engine share one event loop on
// a small machine; in Azure the front door and the orchestration workers scale apart.
//
// Background work goes in small slices, never as a flood: between two requests, waiting invocations start ONE per
// event-loop turn (setImmediate), so a request that arrives meanwhile is read (poll phase) and holds the rest back
// before the next one starts (check phase). Releasing every waiter at once whenever in-flight touched 0 — which at
// 200 req/s happens between almost every two requests — ran dozens of episodes back to back in one turn and put
// their whole cost in front of the next request. For `quietMs` after the last answer, new background work takes
// the same one-per-turn path even with nothing waiting (the next request is likely close); after that it starts at
// once. Never starved: while requests are in flight without pause, one waiting invocation still starts every
// `trickleMs` (real time).

export interface ForegroundGateOptions {
  /** While requests are in flight, one background invocation starts per this many real milliseconds (default 10). */
  trickleMs?: number;
  /**
   * For this many real milliseconds after the last request was answered, background invocations start one per
   * event-loop turn even when none is waiting (default 20); afterwards they start at once.
   */
  quietMs?: number;
  /** Real-time clock in milliseconds (tests); default performance.now. */
  now?: () => number;
}

export class ForegroundGate {
  private inFlight = 0;
  private held = false;
  private readonly waiting: (() => void)[] = [];
  private trickle: NodeJS.Timeout | undefined;
  private drain: NodeJS.Immediate | undefined;
  private lastAnsweredMs = -Infinity;
  private startedTotal = 0;
  private readonly trickleMs: number;
  private readonly quietMs: number;
  private readonly now: () => number;

  constructor(options: ForegroundGateOptions = {}) {
    this.trickleMs = options.trickleMs ?? 10;
    this.quietMs = options.quietMs ?? 20;
    this.now = options.now ?? (() => performance.now());
    if (!(this.trickleMs >= 0)) throw new Error(`trickleMs must be >= 0, got ${this.trickleMs}`);
    if (!(this.quietMs >= 0)) throw new Error(`quietMs must be >= 0, got ${this.quietMs}`);
  }

  /** A foreground request started; call the returned function exactly once when it has been answered. */
  enter(): () => void {
    this.inFlight++;
    // A unit queued for the next turn waits: the request just read goes first (the trickle keeps running).
    this.stopDrain();
    this.armTrickle();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      this.lastAnsweredMs = this.now();
      if (this.inFlight === 0) this.armDrain();
    };
  }

  /** Resolves when a background invocation may start: at once when the API is quiet, else in its turn. */
  turn(): Promise<void> | undefined {
    const quiet = this.now() - this.lastAnsweredMs >= this.quietMs;
    if (!this.held && this.inFlight === 0 && this.waiting.length === 0 && !this.drain && quiet) {
      this.startedTotal++;
      return undefined;
    }
    const wait = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.armDrain();
    this.armTrickle();
    return wait;
  }

  /**
   * Requests being answered now, background invocations waiting, and background invocations let through since
   * the gate was made (figures for tests and benchmarks).
   */
  get stats(): { inFlight: number; waiting: number; started: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.length, started: this.startedTotal };
  }

  /**
   * Holds every background invocation until `resume()` (no trickle): `bench:api -- --api-only` measures the API's
   * own cost this way, with the jobs it creates waiting.
   */
  hold(): void {
    this.held = true;
    this.stopTrickle();
    this.stopDrain();
  }

  resume(): void {
    this.held = false;
    this.armDrain();
    this.armTrickle();
  }

  /** Lets every waiting invocation go at once and stops the trickle (host stop). */
  close(): void {
    this.held = false;
    this.stopTrickle();
    this.stopDrain();
    for (const resolve of this.waiting.splice(0)) this.release(resolve);
  }

  private release(resolve: () => void): void {
    this.startedTotal++;
    resolve();
  }

  /** No request in flight: the next waiting invocation starts on the next event-loop turn (check phase). */
  private armDrain(): void {
    if (this.held || this.drain || this.inFlight > 0 || this.waiting.length === 0) return;
    this.drain = setImmediate(() => {
      this.drain = undefined;
      if (this.held || this.inFlight > 0) return;
      const next = this.waiting.shift();
      if (next) this.release(next);
      this.armDrain();
    });
    // A waiting background invocation must not keep a stopping process alive on its own.
    this.drain.unref();
  }

  private stopDrain(): void {
    if (this.drain) clearImmediate(this.drain);
    this.drain = undefined;
  }

  /** Requests in flight: one waiting invocation starts per trickleMs all the same (no starvation). */
  private armTrickle(): void {
    if (this.held || this.trickle || this.waiting.length === 0 || this.inFlight === 0) return;
    this.trickle = setTimeout(() => {
      this.trickle = undefined;
      if (this.held) return;
      const next = this.waiting.shift();
      if (next) this.release(next);
      this.armTrickle();
    }, this.trickleMs);
    this.trickle.unref();
  }

  private stopTrickle(): void {
    if (this.trickle) clearTimeout(this.trickle);
    this.trickle = undefined;
  }
}
