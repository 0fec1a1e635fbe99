// Pure part of an episode: the orchestration trigger payload going in, and the committed record (history,
// status, output, inbox) coming out of the SDK's OrchestratorState + the shim's replay. No I/O here, so the
// write-ahead order stays visible in engine.ts.
import {
  continueAsNewInputJson,
  historyEvent,
  orchestratorFailureDetails,
  orchestratorFailureMessage,
  parseJson,
  resultJson,
  subOrchestrationCompletion,
} from "./events";
import { JsonText, PayloadJsonCache } from "./payloadJson";
import type { Scheduled, ShimResult } from "./shim";
import { EventType, type HistoryEvent, type InboxMessage, type InstanceRecord, type OrchestratorStateJson } from "./types";

export interface TimerSettings {
  maxShortTimerMs: number;
  longTimerIntervalMs: number;
}

/** .NET TimeSpan text "d.hh:mm:ss" (what the extension sends; moment.duration parses it). */
export function timeSpanText(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const pad = (n: number): string => String(n).padStart(2, "0");
  const h = Math.floor((totalSeconds % 86400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  return `${days}.${pad(h)}:${pad(m)}:${pad(totalSeconds % 60)}`;
}

/**
 * The orchestration trigger binding value (OrchestrationTriggerAttributeBindingProvider, replay schema V3), as an
 * object: the reference shape. The engine sends the identical text built by orchestrationPayloadJson.
 */
export function orchestrationPayload(record: InstanceRecord, history: HistoryEvent[], playedCount: number, timers: TimerSettings): object {
  return {
    history: history.map((e, i) => ({ ...e, IsPlayed: i < playedCount })),
    input: parseJson(record.input),
    ...payloadTail(record, playedCount, timers),
  };
}

/** The payload's fields after `history` and `input`, in the order both forms send them. */
function payloadTail(record: InstanceRecord, playedCount: number, timers: TimerSettings): object {
  return {
    instanceId: record.instanceId,
    isReplaying: playedCount > 0,
    parentInstanceId: record.parent?.instanceId ?? null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: timeSpanText(timers.longTimerIntervalMs),
    maximumShortTimerDuration: timeSpanText(timers.maxShortTimerMs),
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

/**
 * The same payload as JSON text, the way the engine sends it: with the engine's `cache`, played events' JSON is
 * reused from earlier episodes (payloadJson.ts), so an episode serializes only its new events, not the whole
 * history again.
 */
export function orchestrationPayloadJson(
  record: InstanceRecord,
  history: HistoryEvent[],
  playedCount: number,
  timers: TimerSettings,
  cache: PayloadJsonCache = new PayloadJsonCache(),
): JsonText {
  const tail = payloadTail(record, playedCount, timers);
  const historyText = cache.historyJson(record.instanceId, record.executionId, history, playedCount);
  const inputText = cache.inputJson(record.instanceId, record.input);
  return new JsonText(`{"history":${historyText},"input":${inputText},${JSON.stringify(tail).slice(1)}`);
}

export function executionStartedEvent(
  nowMs: number,
  record: Pick<InstanceRecord, "name" | "input" | "version" | "instanceId" | "executionId" | "parent">,
): HistoryEvent {
  return historyEvent(EventType.ExecutionStarted, nowMs, {
    Name: record.name,
    Input: record.input,
    Version: record.version ?? "",
    InstanceId: record.instanceId,
  });
}

export type EpisodeOutcome =
  { kind: "state"; state: OrchestratorStateJson; shim: ShimResult } | { kind: "invocationError"; message: string };

export interface CommittedEpisode {
  record: InstanceRecord;
  /** New activities/timers/sub-orchestrations to dispatch once the record is durable. */
  work: Scheduled[];
  /** For a sub-orchestration that just finished: the completion to deliver to its parent. */
  parentCompletion?: HistoryEvent;
}

/** Builds the record after an episode. `history` = committed history + OrchestratorStarted + consumed events. */
export function commitEpisode(
  record: InstanceRecord,
  history: HistoryEvent[],
  remainingInbox: InboxMessage[],
  outcome: EpisodeOutcome,
  nowMs: number,
  newExecutionId: () => string,
): CommittedEpisode {
  const completed = historyEvent(EventType.OrchestratorCompleted, nowMs);
  const next: InstanceRecord = { ...record, inbox: remainingInbox, lastUpdatedTimeMs: nowMs, runtimeStatus: "Running" };
  const state = outcome.kind === "state" ? outcome.state : undefined;
  if (state && state.customStatus !== undefined) next.customStatus = JSON.stringify(state.customStatus);

  let failure: string | undefined;
  let failureDetails = "";
  if (outcome.kind === "invocationError") {
    failure = orchestratorFailureMessage(record.name, outcome.message);
  } else if (outcome.shim.failure) {
    failure = outcome.shim.failure;
  } else if (outcome.state.error !== undefined) {
    failure = orchestratorFailureMessage(record.name, outcome.state.error);
    failureDetails = orchestratorFailureDetails(outcome.state.error);
  }
  if (failure !== undefined)
    return finishExecution(next, [...history, completed], "Failed", JSON.stringify(failure), nowMs, failureDetails);
  if (outcome.kind !== "state") throw new Error("unreachable");
  const { shim } = outcome;
  if (shim.continueAsNew && outcome.state.isDone) {
    // A fresh execution of the same instance: new execution id, empty history, the new input; messages that
    // arrived during this episode stay in the inbox and are delivered to the new execution.
    next.executionId = newExecutionId();
    next.input = continueAsNewInputJson(shim.continueAsNew.input);
    next.history = [];
    next.output = null;
    next.canceledTimerIds = [];
    next.inbox = [{ executionId: next.executionId, event: executionStartedEvent(nowMs, next) }, ...remainingInbox];
    return { record: next, work: [] };
  }
  if (outcome.state.isDone) return finishExecution(next, [...history, completed], "Completed", resultJson(outcome.state.output), nowMs);
  next.history = [...history, ...shim.newEvents, completed];
  const canceled = shim.newWork.filter((w) => w.canceled).map((w) => w.id);
  if (canceled.length > 0) next.canceledTimerIds = [...(record.canceledTimerIds ?? []), ...canceled];
  return { record: next, work: shim.newWork };
}

/**
 * Ends the execution with `status`: ExecutionCompleted after the episode's events, and the completion a parent is
 * owed (events.ts's subOrchestrationCompletion, the same rule rehydration and terminate use; a failure's Reason is
 * its message, `failureDetails` the .NET exception text).
 */
function finishExecution(
  next: InstanceRecord,
  history: HistoryEvent[],
  status: "Completed" | "Failed",
  output: string,
  nowMs: number,
  failureDetails = "",
): CommittedEpisode {
  next.runtimeStatus = status;
  next.output = output;
  next.history = [...history, historyEvent(EventType.ExecutionCompleted, nowMs, { OrchestrationStatus: status, Result: output })];
  return { record: next, work: [], parentCompletion: subOrchestrationCompletion(next, nowMs, failureDetails) };
}
