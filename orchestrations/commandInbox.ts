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
// Events the SDK had already delivered to this execution but that the orchestrator had not handled die with the
// execution on continueAsNew (the JS SDK cannot ask for preserveUnprocessedEvents). `drain()` pulls every delivered
// event into the queue first (a zero-length timer raced against a fresh waiter), and the caller carries `queue` in
// the new execution's input — what preserveUnprocessedEvents does for .NET orchestrators. One case the drain cannot
// reach by waiting: an event in the same batch as the drain's timer, after it — the SDK stops reading the history at
// continueAsNew. drain() finds those in the execution's history itself (every event of the name beyond the ones
// harvested, in history order) and queues them too.
import type { OrchestrationContext, Task } from "durable-functions";
import { at, nowMs } from "./waits";

/** HistoryEventType.EventRaised. */
const EVENT_RAISED = 15;

export class CommandInbox<T> {
  /** Received, not yet handled, in arrival order as far as the SDK reveals it. */
  readonly queue: T[];
  private readonly waiters: Task[] = [];
  /** Events of this execution harvested so far (carried ones not counted). */
  private harvested = 0;

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

  /** Moves every event the SDK has delivered so far into the queue (call right before continueAsNew). */
  *drain(): Generator<Task, void, unknown> {
    for (;;) {
      const waiter = this.waiter();
      const timer = this.context.df.createTimer(at(nowMs(this.context)));
      const winner = (yield this.context.df.Task.any([waiter, timer])) as Task;
      this.harvest();
      if (winner === timer) break;
      timer.cancel();
    }
    this.queue.push(...this.unread());
  }

  /**
   * Events of this name in the execution's history that the SDK has not read (they came after the drain's timer in
   * its batch): the history holds every one in order, and the first `harvested` of them were read. The history is
   * the SDK context's `state` (the JS SDK offers no other way to keep unprocessed events across continueAsNew).
   */
  private unread(): T[] {
    const history = (this.context.df as unknown as { state?: { EventType: number; Name?: string; Input?: string }[] }).state ?? [];
    const raised = history.filter((e) => e.EventType === EVENT_RAISED && e.Name?.toLowerCase() === this.eventName.toLowerCase());
    return raised.slice(this.harvested).map((e) => (e.Input ? (JSON.parse(e.Input) as T) : (undefined as T)));
  }

  private harvest(): void {
    for (let i = 0; i < this.waiters.length;) {
      const w = this.waiters[i] as Task;
      if (w.isCompleted) {
        this.queue.push(w.result as T);
        this.harvested += 1;
        this.waiters.splice(i, 1);
      } else i++;
    }
  }
}
