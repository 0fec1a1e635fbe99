// The host's virtual clock as a durable worker sees it. Reading "now" must be synchronous and cheap (every record
// time, every policy decision), so it does not cross as a message: the main thread writes the manual clock's now
// into a SharedArrayBuffer at every advance (VirtualClock.onAdvance) and a worker reads it with Atomics; a scaled
// clock needs no updates at all (virtual = base + (wall − wallBase) × speed, the same formula VirtualClock uses, on
// the same wall clock). Sleeping is different: a sleep is a timer on the main clock (a manual clock's driver must
// see it, and fire it, like any other), so the worker asks the main thread and waits for the answer.
import type { Clock } from "../../../shared/clock";
import { abortError } from "../../../shared/clock";
import type { VirtualClock } from "../../clock/virtualClock";
import type { ClockMirrorInit } from "./protocol";

/** Main thread: the mirror's init data, kept current until `close()`. */
export function mirrorClock(clock: VirtualClock): { init: ClockMirrorInit; close(): void } {
  const nowBuffer = new SharedArrayBuffer(8);
  const now = new BigInt64Array(nowBuffer);
  // Sample now and the wall clock in the same millisecond, so a scaled mirror computes exactly what the clock does.
  let realBaseMs: number;
  let virtualMs: number;
  do {
    realBaseMs = Date.now();
    virtualMs = clock.nowMs();
  } while (Date.now() !== realBaseMs);
  Atomics.store(now, 0, BigInt(virtualMs));
  const stop = clock.onAdvance((ms) => Atomics.store(now, 0, BigInt(ms)));
  return { init: { mode: clock.mode, speed: clock.speed, realBaseMs, nowBuffer }, close: stop };
}

export type SleepRequest = (durationInMs: number, abortSignal?: AbortSignal) => Promise<void>;

/** Worker thread: a Clock reading the mirror; `sleep` is served by the main thread's clock. */
export class MirroredClock implements Clock {
  private readonly shared: BigInt64Array;
  private readonly baseVirtualMs: number;

  constructor(
    private readonly init: ClockMirrorInit,
    private readonly requestSleep: SleepRequest,
  ) {
    this.shared = new BigInt64Array(init.nowBuffer);
    this.baseVirtualMs = Number(Atomics.load(this.shared, 0));
  }

  nowMs(): number {
    if (this.init.mode === "manual") return Number(Atomics.load(this.shared, 0));
    return this.baseVirtualMs + Math.floor((Date.now() - this.init.realBaseMs) * this.init.speed);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  sleep(durationInMs: number, options?: { abortSignal?: AbortSignal }): Promise<void> {
    if (options?.abortSignal?.aborted) return Promise.reject(abortError());
    return this.requestSleep(durationInMs, options?.abortSignal);
  }
}
