// History event factories and the payload policy (how values become the JSON strings in history, and the
// Reason/Details texts of failures) — kept in one place so fidelity decisions are easy to find and change.
import { JsonText } from "./payloadJson";
import { EventType, isTerminal, type EventTypeNumber, type HistoryEvent, type InstanceRecord } from "./types";

export function historyEvent(type: EventTypeNumber, nowMs: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: new Date(nowMs).toISOString(), ...fields };
}

/**
 * A result as the host stores it: `JSON.stringify(value)`, undefined → "null" (the SDK JSON.parses it); a JsonText
 * (a result the worker already serialized) as its text.
 */
export function resultJson(value: unknown): string {
  if (value instanceof JsonText) return value.text;
  return value === undefined ? "null" : JSON.stringify(value);
}

/** Parses a stored JSON text back to a value (null/undefined/"" → null). */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorParts(err: unknown): { message: string; stack: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack ?? "" };
  return { message: typeof err === "string" ? err : JSON.stringify(err), stack: "" };
}

/**
 * TaskFailed for an activity, as TaskActivityShim writes it: Reason = "Activity function '<name>' failed:
 * <message>"; Details approximates the serialized .NET exception (match on the Reason prefix, memo §5).
 */
export function activityFailedEvent(nowMs: number, taskScheduledId: number, name: string, err: unknown): HistoryEvent {
  const { message, stack } = errorParts(err);
  return historyEvent(EventType.TaskFailed, nowMs, {
    TaskScheduledId: taskScheduledId,
    Reason: `Activity function '${name}' failed: ${message}`,
    Details: JSON.stringify({
      $type: "System.Exception, System.Private.CoreLib",
      ClassName: "System.Exception",
      Message: message,
      InnerException: { RemoteMessage: message, RemoteStackTrace: stack },
    }),
  });
}

/** Status output / sub-orchestration failure Reason for an orchestrator that threw (OutOfProcOrchestrationShim). */
export function orchestratorFailureMessage(name: string, error: string): string {
  return `Orchestrator function '${name}' failed: ${error}`;
}

/** Details of an orchestrator failure ("Message: <error>, StackTrace: <stack>" in the extension). */
export function orchestratorFailureDetails(error: string): string {
  return `Message: ${error}, StackTrace: `;
}

/**
 * Input of the next execution after continueAsNew. The SDK JSON-encodes string inputs (Utils.processInput);
 * the host undoes that layer so `getInput()` returns what the orchestrator passed (the real host's behaviour
 * here is unverified, memo §5). Objects pass through.
 */
export function continueAsNewInputJson(actionInput: unknown): string | null {
  if (actionInput === undefined) return null;
  if (typeof actionInput === "string") {
    try {
      return JSON.stringify(JSON.parse(actionInput));
    } catch {
      return JSON.stringify(actionInput);
    }
  }
  return JSON.stringify(actionInput);
}

/** Value delivered to an activity from a TaskScheduled.Input (inverse of shim.inputJson). */
export function activityInputFromEvent(ev: HistoryEvent): unknown {
  return ev.Input === null || ev.Input === undefined ? undefined : (JSON.parse(ev.Input) as unknown);
}

/** Completion events of this execution keyed by the id they complete (TaskScheduledId / TimerId). */
export function completedIds(events: HistoryEvent[]): Set<number> {
  const ids = new Set<number>();
  for (const e of events) {
    if (e.TaskScheduledId !== undefined && e.EventType !== EventType.TaskScheduled) ids.add(e.TaskScheduledId);
    if (e.EventType === EventType.TimerFired && e.TimerId !== undefined) ids.add(e.TimerId);
  }
  return ids;
}

/**
 * The completion a finished child owes its parent (undefined for a running or top-level instance): its output as
 * Result, or for a failure the reason it stored as output (`details` = the exception text when known).
 */
export function subOrchestrationCompletion(child: InstanceRecord, nowMs: number, details = ""): HistoryEvent | undefined {
  if (!child.parent || !isTerminal(child.runtimeStatus)) return undefined;
  const TaskScheduledId = child.parent.taskScheduledId;
  if (child.runtimeStatus === "Completed")
    return historyEvent(EventType.SubOrchestrationInstanceCompleted, nowMs, { TaskScheduledId, Result: child.output ?? "null" });
  const reason = parseJson(child.output);
  return historyEvent(EventType.SubOrchestrationInstanceFailed, nowMs, {
    TaskScheduledId,
    Reason: typeof reason === "string" ? reason : `Orchestration '${child.instanceId}' ${child.runtimeStatus}`,
    Details: details,
  });
}
