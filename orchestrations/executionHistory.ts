// The external events this execution's history holds, read from the durable-functions SDK's context.
//
// Why read the history at all: on continueAsNew the JS SDK cannot ask for preserveUnprocessedEvents, and it stops
// reading the history at the continue — so an event already delivered to this execution (to no waiter, or after the
// one that resumed the orchestrator in the same batch) would die with it. The SDK offers no public accessor; its
// context keeps the history as `state` (durable-functions 3.5.0, pinned in package.json). If a version changes that
// shape this throws — the orchestration fails loudly — instead of silently returning no events (a lost cancel).
import type { OrchestrationContext } from "durable-functions";

/** HistoryEventType.EventRaised (the Durable Task history's event type number). */
const EVENT_RAISED = 15;

interface RaisedEvent {
  EventType: number;
  Name?: string;
  Input?: string;
}

/** The inputs (JSON text or undefined) of every EventRaised of `name` in this execution's history, in order. */
export function raisedEventInputs(context: OrchestrationContext, name: string): (string | undefined)[] {
  const history = (context.df as unknown as { state?: unknown }).state;
  if (!Array.isArray(history)) {
    throw new Error(
      "durable-functions no longer exposes the orchestration history as context.df.state: orchestrations/executionHistory.ts must follow the SDK",
    );
  }
  const wanted = name.toLowerCase();
  const out: (string | undefined)[] = [];
  for (const e of history as RaisedEvent[]) if (e.EventType === EVENT_RAISED && e.Name?.toLowerCase() === wanted) out.push(e.Input);
  return out;
}
