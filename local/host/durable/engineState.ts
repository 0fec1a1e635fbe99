// The engine's instance table and its ordering rules, under the episode machinery of engineCore.ts: the
// in-memory view of every instance (what queries and episodes read), the write-ahead `persist` (store first,
// then the view; finished histories packed), per-instance FIFO ordering of operations, status listeners, and
// idle tracking for waitForIdle()/runUntilIdle(). Separate from engineCore.ts because none of it knows what an
// episode, activity or timer is — it is the state both the machinery and the client operations (engine.ts) use.
import type { VirtualClock } from "../../clock/virtualClock";
import { errorMessage } from "../../../shared/errors";
import { packHistory } from "./packedHistory";
import { PayloadJsonCache } from "./payloadJson";
import type { DurableEngineOptions, DurableLogger } from "./ports";
import type { InstanceStore } from "./store";
import { isTerminal, type InstanceRecord } from "./types";

export class EngineState {
  protected readonly records = new Map<string, InstanceRecord>();
  protected readonly store: InstanceStore;
  protected readonly clock: VirtualClock;
  protected readonly log: DurableLogger;
  readonly taskHub: string;
  /** Per running instance: its played history (and input) as JSON, appended to episode by episode. */
  protected readonly payloads = new PayloadJsonCache();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly statusListeners = new Set<() => void>();
  /** Tracked work running (episodes, activity runs, deliveries, child starts) and the waiters of waitForIdle(). */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: DurableEngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.log = options.log;
    this.taskHub = options.taskHub;
  }

  /** Resolves when no episode, activity or delivery is queued or running (timers may still be pending). */
  async waitForIdle(): Promise<void> {
    for (;;) {
      while (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.isIdle()) return;
    }
  }

  /** Drains work, then jumps the manual clock to the next due timer, until nothing is due within maxVirtualMs. */
  async runUntilIdle(options: { maxVirtualMs?: number } = {}): Promise<void> {
    const limitMs = this.clock.nowMs() + (options.maxVirtualMs ?? 30 * 86_400_000);
    for (;;) {
      await this.waitForIdle();
      const next = this.clock.nextTimerAtMs();
      if (next === undefined || next > limitMs) return;
      await this.clock.advanceTo(Math.max(next, this.clock.nowMs()));
    }
  }

  /** True when no work waits outside tracked work (EngineCore: its activity queue is empty, or it stopped). */
  protected nothingQueued(): boolean {
    return true;
  }

  private isIdle(): boolean {
    return this.busy === 0 && this.nothingQueued();
  }

  protected onStatusChange(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Runs `fn` after every earlier operation on the same instance (FIFO; never two episodes at once). */
  protected serialize<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(instanceId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(instanceId, tail);
    void tail.then(() => {
      if (this.chains.get(instanceId) === tail) this.chains.delete(instanceId);
    });
    return run;
  }

  /** Counts `work` for waitForIdle() until it settles; an unexpected rejection is logged (durable.internalError). */
  protected track(work: Promise<unknown>): void {
    this.busy++;
    work
      .catch((err: unknown) => this.log.event("durable.internalError", errorMessage(err), {}, "error"))
      .finally(() => {
        this.busy--;
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** Durable write first, then the in-memory view (what queries and episodes read). */
  protected async persist(record: InstanceRecord): Promise<void> {
    await this.store.put(record);
    this.records.set(record.instanceId, record);
    if (isTerminal(record.runtimeStatus)) {
      this.payloads.forget(record.instanceId); // no episode replays it again
      // Finished instances stay until purged: their history is kept packed (packedHistory.ts), not as objects.
      const packed = packHistory(record);
      this.records.set(record.instanceId, packed);
      this.store.replaceHeld?.(packed);
    }
    for (const listener of [...this.statusListeners]) listener();
  }
}
