// Lossless intake of one external event name for a long-running orchestration that also waits on timers and
// activities, and that trims its history with continueAsNew.
//
// Why not simply `Task.any([waitForExternalEvent(name), timer])` in a loop, re-yielding the same waiter after the
// timer won? The durable-functions SDK (3.x) tracks a waiter again every time it is yielded inside a new Task.any,
// so its `openEvents` list ends up holding stale copies of a task that has already completed; an event arriving
// while the orchestrator waits on something else (an activity) is handed to such a copy and silently vanishes.
// Rules kept here: a waiter is yielded at most once; waiters left pending (their Task.any was won by a timer) stay
// on the list and are harvested whenever they complete; commands are queued in the order they are harvested.
//
// Events already in this execution's history that the orchestrator has not handled die with the execution on
// continueAsNew (the JS SDK cannot ask for preserveUnprocessedEvents): one delivered to no waiter, one the SDK had
// not even read yet (it stops reading the history at continueAsNew: an event after the one that resumed the
// orchestrator, in the same batch). `drain()` finds all of them in the history itself — every event of the name,
// in history order, less the ones harvested — and queues them; the caller carries `queue` in the new execution's
// input, which is what preserveUnprocessedEvents does for .NET orchestrators. (Events that arrive while the
// continuing episode runs are not in its history: the runtime delivers them to the new execution.) No durable call,
// so continuing costs no episode of its own.
import type { OrchestrationContext, Task } from "durable-functions";
import { raisedEventInputs } from "./executionHistory";

export class CommandInbox<T> {
  /** Received, not yet handled, in arrival order as far as the SDK reveals it. */
  readonly queue: T[];
  private readonly waiters: Task[] = [];
  /** What each event harvested in this execution carried, as JSON (carried ones not counted). */
  private readonly harvested: string[] = [];

  constructor(
    private readonly context: OrchestrationContext,
    private readonly eventName: string,
    carried: readonly T[] = [],
  ) {
    this.queue = [...carried];
  }

  /** The next queued command (after collecting any that arrived), or undefined. */
  next(): T | undefined {
    this.harvest();
    return this.queue.shift();
  }

  /** A waiter never yielded before, to put in exactly one Task.any; its result is harvested by next(). */
  waiter(): Task {
    const task = this.newWaiter();
    this.waiters.push(task);
    return task;
  }

  /** The caller of waiter() yields it inside a Task.any. */
  private newWaiter(): Task {
    return this.context.df.waitForExternalEvent(this.eventName);
  }

  /** Queues every event of this execution not handled yet (call right before continueAsNew; see the header). */
  drain(): void {
    this.harvest();
    this.queue.push(...this.unhandled());
  }

  /**
   * The events of this name in the execution's history (the SDK context's `state`: the JS SDK offers no other way
   * to keep them across continueAsNew), in order, less one of the same content per event harvested — whichever
   * waiter the SDK handed it to, and whether or not the SDK had read it.
   */
  private unhandled(): T[] {
    const taken = new Map<string, number>();
    for (const json of this.harvested) taken.set(json, (taken.get(json) ?? 0) + 1);
    const out: T[] = [];
    for (const input of raisedEventInputs(this.context, this.eventName)) {
      const value = (input ? JSON.parse(input) : undefined) as T;
      const json = asJson(value);
      const n = taken.get(json) ?? 0;
      if (n > 0) taken.set(json, n - 1);
      else out.push(value);
    }
    return out;
  }

  private harvest(): void {
    for (let i = 0; i < this.waiters.length;) {
      const w = this.waiters[i] as Task;
      if (w.isCompleted) {
        this.queue.push(w.result as T);
        this.harvested.push(asJson(w.result));
        this.waiters.splice(i, 1);
      } else i++;
    }
  }
}

/** A payload's JSON text, for counting equal ones (undefined has none of its own). */
function asJson(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}
