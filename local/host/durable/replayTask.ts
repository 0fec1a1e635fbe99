// The host side of a replay: tiny completion-callback tasks standing in for the .NET Tasks that the extension's
// OutOfProcOrchestrationShim awaits. Completion is synchronous, so continuations (retry timers, long-timer
// intervals, the next top-level action) run in history order — which is what makes sequence numbers match DTFx.

export class ReplayTask {
  done = false;
  failed = false;
  private listeners: (() => void)[] = [];

  /** Completes once (later calls are ignored) and runs the continuations in registration order. */
  complete(failed: boolean): void {
    if (this.done) return;
    this.done = true;
    this.failed = failed;
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Runs `listener` when the task completes (at once if it already has). */
  onDone(listener: () => void): void {
    if (this.done) listener();
    else this.listeners.push(listener);
  }

  static completed(): ReplayTask {
    const t = new ReplayTask();
    t.complete(false);
    return t;
  }
}

/**
 * .NET Task.WhenAll: completes when every child completed, failed if any failed (the SDK's Task.all fails fast,
 * the host does not — a caught failure inside Task.all delays the next scheduling exactly as on the real host).
 */
export function whenAll(children: ReplayTask[]): ReplayTask {
  const all = new ReplayTask();
  let remaining = children.length;
  if (remaining === 0) all.complete(false);
  for (const child of children) {
    child.onDone(() => {
      remaining--;
      if (remaining === 0) all.complete(children.some((c) => c.failed));
    });
  }
  return all;
}

/** .NET Task.WhenAny: completes (successfully) as soon as one child completes. */
export function whenAny(children: ReplayTask[]): ReplayTask {
  const any = new ReplayTask();
  for (const child of children) child.onDone(() => any.complete(false));
  return any;
}
