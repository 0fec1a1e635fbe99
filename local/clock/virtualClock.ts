// One clock for the embedded runtime: durable timers, timer triggers, queue locks and the sandbox's provisioning
// all read it. Two modes:
//   * "manual": time moves only when a test calls advanceBy/advanceTo/jumpToNextTimer (days of timers in ms);
//   * "scaled": virtual time runs at `speed` × real time (npm start: 60× by default).
// Timers registered with setTimer fire in due order, each seeing nowMs() equal to its due time in manual mode.
import type { Clock } from "../../shared/clock";
import { abortError } from "../../shared/clock";

export type ClockMode = "manual" | "scaled";

export interface VirtualClockOptions {
  mode: ClockMode;
  /** Virtual epoch ms at creation; defaults to the wall clock. */
  startMs?: number;
  /** Virtual seconds per real second in "scaled" mode (default 1). */
  speed?: number;
}

export interface TimerHandle {
  cancel(): void;
}

interface PendingTimer {
  id: number;
  dueMs: number;
  fire: () => void;
}

export class VirtualClock implements Clock {
  readonly mode: ClockMode;
  readonly speed: number;
  private baseVirtualMs: number;
  private baseRealMs: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;
  private realTimer: NodeJS.Timeout | undefined;
  private listeners = new Set<(nowMs: number) => void>();

  constructor(options: VirtualClockOptions) {
    this.mode = options.mode;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`clock speed must be > 0, got ${this.speed}`);
    this.baseVirtualMs = options.startMs ?? Date.now();
    this.baseRealMs = Date.now();
  }

  nowMs(): number {
    if (this.mode === "manual") return this.baseVirtualMs;
    return this.baseVirtualMs + Math.floor((Date.now() - this.baseRealMs) * this.speed);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Calls `fire` once virtual time reaches `dueMs` (at once, asynchronously, when already due). */
  setTimer(dueMs: number, fire: () => void): TimerHandle {
    const timer: PendingTimer = { id: this.nextId++, dueMs, fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
    this.reschedule();
    return { cancel: () => this.cancel(timer.id) };
  }

  sleep(durationInMs: number, options?: { abortSignal?: AbortSignal }): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = options?.abortSignal;
      if (signal?.aborted) return reject(abortError());
      const onAbort = (): void => {
        handle.cancel();
        reject(abortError());
      };
      const handle = this.setTimer(this.nowMs() + Math.max(0, durationInMs), () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Earliest pending timer's due time, if any. */
  nextTimerAtMs(): number | undefined {
    return this.timers[0]?.dueMs;
  }

  pendingTimerCount(): number {
    return this.timers.length;
  }

  /** Manual mode: move time forward by `durationInMs`, firing every timer due on the way, in order. */
  async advanceBy(durationInMs: number): Promise<void> {
    await this.advanceTo(this.nowMs() + durationInMs);
  }

  /** Manual mode: move time forward to `targetMs` (never backwards), firing due timers in order. */
  async advanceTo(targetMs: number): Promise<void> {
    this.requireManual("advanceTo");
    for (;;) {
      const next = this.timers[0];
      if (!next || next.dueMs > targetMs) break;
      this.setManualNow(Math.max(this.baseVirtualMs, next.dueMs));
      this.timers.shift();
      next.fire();
      // Let the fired callback's promise chains run before the next timer, as they would in real time.
      await new Promise<void>((r) => setImmediate(r));
    }
    this.setManualNow(Math.max(this.baseVirtualMs, targetMs));
  }

  /** Manual mode: jump to the earliest pending timer and fire it (and any due at the same instant). */
  async jumpToNextTimer(): Promise<boolean> {
    const next = this.nextTimerAtMs();
    if (next === undefined) return false;
    await this.advanceTo(Math.max(next, this.nowMs()));
    return true;
  }

  /** Called with the new time whenever time jumps (manual) — lets peers (e.g. a remote sandbox) follow. */
  onAdvance(listener: (nowMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop real timers (scaled mode) so the process can exit. Pending virtual timers are kept. */
  dispose(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
  }

  private setManualNow(ms: number): void {
    if (ms === this.baseVirtualMs) return;
    this.baseVirtualMs = ms;
    for (const l of this.listeners) l(ms);
  }

  private cancel(id: number): void {
    const i = this.timers.findIndex((t) => t.id === id);
    if (i >= 0) this.timers.splice(i, 1);
    this.reschedule();
  }

  private requireManual(op: string): void {
    if (this.mode !== "manual") throw new Error(`VirtualClock.${op} is only available in manual mode`);
  }

  /** Scaled mode: keep one real setTimeout armed for the earliest virtual timer. Manual mode: fire overdue ones. */
  private reschedule(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.timers[0];
    if (!next) return;
    const delayVirtual = next.dueMs - this.nowMs();
    if (this.mode === "manual" && delayVirtual > 0) return;
    const delayReal = Math.max(0, Math.ceil(delayVirtual / this.speed));
    this.realTimer = setTimeout(() => this.fireDue(), Math.min(delayReal, 2_147_000_000));
    this.realTimer.unref?.();
  }

  private fireDue(): void {
    this.realTimer = undefined;
    const now = this.nowMs();
    while (this.timers[0] && this.timers[0].dueMs <= now) {
      const t = this.timers.shift() as PendingTimer;
      t.fire();
    }
    this.reschedule();
  }
}
