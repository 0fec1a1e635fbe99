// The status JSON of HttpApiHandler.ConvertFrom: times as yyyy-MM-ddTHH:mm:ssZ, input/output/customStatus as
// JSON values (null when absent: the SDK's DurableOrchestrationStatus requires the keys), optional history.
import { parseJson } from "./events";
import { EventType, eventTypeName, type HistoryEvent, type InstanceRecord } from "./types";

export interface StatusOptions {
  showHistory: boolean;
  showHistoryOutput: boolean;
  showInput: boolean;
}

/** "2024-01-01T00:00:00Z" — the extension's format (no fractional seconds). */
export function statusTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function statusPayload(record: InstanceRecord, options: StatusOptions): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? parseJson(record.input) : null,
    customStatus: parseJson(record.customStatus),
    output: parseJson(record.output),
    createdTime: statusTime(record.createdTimeMs),
    lastUpdatedTime: statusTime(record.lastUpdatedTimeMs),
  };
  if (options.showHistory) payload.historyEvents = historyForStatus(record.history, options.showHistoryOutput);
  return payload;
}

/** Like the extension: scheduling events fold into their completions; episode markers are left out. */
function historyForStatus(history: HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const out: Record<string, unknown>[] = [];
  for (const e of history) {
    if (e.EventType === EventType.OrchestratorStarted || e.EventType === EventType.OrchestratorCompleted) continue;
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated) {
      scheduled.set(e.EventId, e);
      continue;
    }
    const item: Record<string, unknown> = { EventType: eventTypeName[e.EventType], Timestamp: e.Timestamp };
    const source = e.TaskScheduledId !== undefined ? scheduled.get(e.TaskScheduledId) : undefined;
    if (source) {
      item.FunctionName = source.Name;
      item.ScheduledTime = source.Timestamp;
    }
    if (e.EventType === EventType.ExecutionStarted) item.FunctionName = e.Name;
    if (e.EventType === EventType.EventRaised) item.Name = e.Name;
    if (e.FireAt) item.FireAt = e.FireAt;
    if (e.Reason !== undefined) item.Reason = e.Reason;
    if (e.OrchestrationStatus) item.OrchestrationStatus = e.OrchestrationStatus;
    if (showOutput) {
      if (e.Result !== undefined) item.Result = parseJson(e.Result);
      if (e.Input !== undefined) item.Input = parseJson(e.Input);
      if (e.Details !== undefined) item.Details = e.Details;
    }
    out.push(item);
  }
  return out;
}
