// What an instance still owes the world after a restart, derived only from its durable record: scheduled
// activities without a completion (in history or inbox), created timers that have not fired, sub-orchestrations
// whose completion has not arrived. Completions are looked up in the inbox too, so a persisted TaskCompleted is
// never followed by a second run of its activity.
import { completedIds } from "./events";
import { EventType, type HistoryEvent, type InstanceRecord } from "./types";

export interface OutstandingWork {
  activities: HistoryEvent[];
  timers: HistoryEvent[];
  subOrchestrations: HistoryEvent[];
}

export function outstandingWork(record: InstanceRecord): OutstandingWork {
  const inboxEvents = record.inbox.filter((m) => !m.executionId || m.executionId === record.executionId).map((m) => m.event);
  const done = completedIds([...record.history, ...inboxEvents]);
  const canceled = new Set(record.canceledTimerIds ?? []);
  const open = (type: number): HistoryEvent[] => record.history.filter((e) => e.EventType === type && !done.has(e.EventId));
  return {
    activities: open(EventType.TaskScheduled),
    timers: open(EventType.TimerCreated).filter((e) => !canceled.has(e.EventId)),
    subOrchestrations: open(EventType.SubOrchestrationInstanceCreated),
  };
}

/** True when the parent (current execution) already holds the completion for `taskScheduledId`. */
export function parentHasCompletion(parent: InstanceRecord, executionId: string, taskScheduledId: number): boolean {
  if (parent.executionId !== executionId) return true; // that execution is gone: nothing to deliver
  const inbox = parent.inbox.filter((m) => !m.executionId || m.executionId === executionId).map((m) => m.event);
  return completedIds([...parent.history, ...inbox]).has(taskScheduledId);
}
