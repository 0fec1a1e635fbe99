// Durable timers of running instances armed on the host's VirtualClock, by instance and timer id (the extension's
// timer messages). Separate from engineCore.ts because it owns only the clock handles: what a fired timer becomes
// (a TimerFired message in the inbox) is the engine's `fire` callback.
import type { TimerHandle, VirtualClock } from "../../clock/virtualClock";

export class DurableTimers {
  private readonly handles = new Map<string, Map<number, TimerHandle>>();
  private stopped = false;

  constructor(private readonly clock: VirtualClock) {}

  /**
   * Arms timer `timerId` of `instanceId` (replacing one armed under that id). `fire` runs once the clock reaches
   * `fireAtMs` — at once, synchronously, when it is due already (see below). Nothing is armed after stop().
   */
  arm(instanceId: string, timerId: number, fireAtMs: number, fire: () => void): void {
    if (this.stopped) return;
    const handles = this.handles.get(instanceId) ?? new Map<number, TimerHandle>();
    this.handles.set(instanceId, handles);
    handles.get(timerId)?.cancel();
    const onFire = (): void => {
      handles.delete(timerId);
      fire();
    };
    // Due already (e.g. a zero-length timer that flushes an inbox before continueAsNew): it fires now, as tracked
    // work. Left to the clock it would fire from an untracked real setTimeout(0), so waitForIdle() could report idle
    // in between and a manual-clock driver move time on while the instance still had work to do (the cluster then
    // slept past its next poll).
    if (fireAtMs <= this.clock.nowMs()) return onFire();
    handles.set(timerId, this.clock.setTimer(fireAtMs, onFire));
  }

  /** Disarms every timer of `instanceId` (finished, continued as new, terminated, purged). */
  cancel(instanceId: string): void {
    for (const handle of this.handles.get(instanceId)?.values() ?? []) handle.cancel();
    this.handles.delete(instanceId);
  }

  /** Disarms everything; later arm() calls do nothing (the timers are in the store for the next start). */
  stop(): void {
    this.stopped = true;
    for (const handles of this.handles.values()) for (const h of handles.values()) h.cancel();
    this.handles.clear();
  }
}
