// The common part of every in-memory cloud fake (Karpenter's fake cloud provider is the model): each call is
// recorded (method + arguments, in order), an error can be queued for the next call of a method (one-shot, FIFO),
// and reset() forgets calls, queued errors and the fake's state. Fakes answer like the contract (shared/cloud/*.ts)
// says — same errors by name, same "missing = undefined", same idempotency — with no I/O and no timers.

export interface RecordedCall<M extends string = string> {
  method: M;
  args: unknown[];
}

export class CallRecorder<M extends string> {
  /** Every call, in order. */
  readonly calls: RecordedCall<M>[] = [];
  private readonly failures = new Map<M, unknown[]>();

  /** The next call of `method` throws `error` (after being recorded); later calls behave normally again. */
  failNext(method: M, error: unknown): this {
    const queue = this.failures.get(method) ?? [];
    queue.push(error);
    this.failures.set(method, queue);
    return this;
  }

  /** The arguments of each call of `method`, in order. */
  callsTo(method: M): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Forgets recorded calls and queued errors (a fake's reset() also clears its state). */
  resetCalls(): void {
    this.calls.length = 0;
    this.failures.clear();
  }

  /** Records the call, then throws the error queued for it, if any. Every fake method starts with this. */
  protected enter(method: M, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const queue = this.failures.get(method);
    if (queue?.length) {
      const error = queue.shift();
      if (!queue.length) this.failures.delete(method);
      throw error;
    }
  }
}
