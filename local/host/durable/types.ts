// Wire and storage shapes of the Durable engine. History events use DTFx's PascalCase JSON (what the
// durable-functions SDK reads, memo §3); actions use the SDK's camelCase OrchestratorState shapes.

/** DTFx `History/EventType.cs` numbers (identical to durable-functions `HistoryEventType`). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;
export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

export const eventTypeName: Record<number, string> = Object.fromEntries(Object.entries(EventType).map(([name, value]) => [value, name]));

/** One history event as the SDK receives it. Fields beyond the common four depend on EventType. */
export interface HistoryEvent {
  EventType: EventTypeNumber;
  EventId: number;
  IsPlayed: boolean;
  /** ISO-8601 UTC. */
  Timestamp: string;
  Name?: string;
  /** JSON text (or null). */
  Input?: string | null;
  /** JSON text. */
  Result?: string | null;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  Version?: string;
  OrchestrationStatus?: RuntimeStatus;
}

/** The extension's OrchestrationRuntimeStatus names (as the management API prints them). */
export type RuntimeStatus = "Pending" | "Running" | "Completed" | "ContinuedAsNew" | "Failed" | "Canceled" | "Terminated" | "Suspended";

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ["Completed", "Failed", "Canceled", "Terminated"];

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** SDK `ActionType` numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  ScheduledSignalEntity: 10,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** One action of the SDK's OrchestratorState (V2/V3: all actions of the execution, compound ones nested). */
export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  version?: string;
  retryOptions?: RetryOptionsJson;
  /** ISO string after the JSON round trip (a Date with a direct invoker). */
  fireAt?: string | Date;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: OrchestratorAction[];
  operation?: string;
}

/** The SDK's OrchestratorState (TaskOrchestrationExecutor.execute), possibly recovered from a failure message. */
export interface OrchestratorStateJson {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

export interface ParentRef {
  instanceId: string;
  executionId: string;
  /** EventId of the parent's SubOrchestrationInstanceCreated. */
  taskScheduledId: number;
}

/** A message waiting in an instance's inbox, addressed to one execution (stale ones are dropped). */
export interface InboxMessage {
  /** Undefined = any execution (external events raised by a client). */
  executionId?: string;
  event: HistoryEvent;
}

/** Everything the engine persists about one orchestration instance (one file in the file store). */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  version?: string;
  executionId: string;
  /** JSON text of the input (null = none). */
  input: string | null;
  /** JSON text of the output (null = none). */
  output: string | null;
  /** JSON text of the custom status (null = none). */
  customStatus: string | null;
  runtimeStatus: RuntimeStatus;
  createdTimeMs: number;
  lastUpdatedTimeMs: number;
  parent?: ParentRef;
  /** The current execution's committed history. */
  history: HistoryEvent[];
  /** Messages received but not yet processed by an episode (FIFO). */
  inbox: InboxMessage[];
  /** TimerCreated ids the orchestrator had cancelled when they were scheduled: never armed. */
  canceledTimerIds?: number[];
}
