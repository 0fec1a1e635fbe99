// The engine's ports: how it runs functions, logs, and what it is configured with.
import type { VirtualClock } from "../../clock/virtualClock";
import type { InstanceStore } from "./store";

export interface DurableInvokeOptions {
  /** Instance the invocation belongs to (goes on every log line). */
  instanceId?: string;
  /** Called with the library's InvocationContext after an orchestrator ran (openTasks cross-check). */
  inspectContext?: (context: unknown) => void;
}

/** Runs orchestrator and activity functions (local/host/durableInvoker.ts adapts the functions host). */
export interface DurableInvokerPort {
  /**
   * Runs orchestrator `name` with the trigger payload (from the engine a JsonText: the payload already serialized,
   * which `JSON.stringify` turns back into the object); resolves with the SDK's OrchestratorState (also when the
   * orchestrator threw: its state carries `error`). Rejects only for system errors (unknown function, …).
   */
  orchestrator(name: string, payload: unknown, options?: DurableInvokeOptions): Promise<unknown>;
  /**
   * Runs activity `name`; resolves with its decoded result, or a JsonText holding its JSON as the worker sent it
   * (stored as the TaskCompleted Result unchanged); rejects with the user's error.
   */
  activity(name: string, input: unknown, options?: DurableInvokeOptions): Promise<unknown>; // input: a JsonText when serialized already
  /** Optional: lets `startNew` reject unknown orchestrator names up front (400 like the extension). */
  hasOrchestrator?(name: string): boolean;
}

export type DurableLogLevel = "debug" | "information" | "warning" | "error";

/** Structured host events (HostLogger from local/host/log.ts fits). */
export interface DurableLogger {
  event(event: string, message: string, fields?: Record<string, unknown>, level?: DurableLogLevel): void;
}

export interface DurableEngineOptions {
  store: InstanceStore;
  clock: VirtualClock;
  invoker: DurableInvokerPort;
  limits: { maxConcurrentActivities: number; maxConcurrentOrchestrations: number };
  taskHub: string;
  log: DurableLogger;
  /** Long-timer settings sent to the SDK and used by the shim (defaults: 6 days / 3 days, Azure Storage). */
  maxShortTimerMs?: number;
  longTimerIntervalMs?: number;
  /**
   * Cross-check the SDK's open task ids (`context.df.taskOrchestratorExecutor.openTasks`) against the ids the
   * host allocated after every episode; mismatches are logged and collected in `engine.crossCheckFailures`.
   */
  debugCrossCheck?: boolean;
  /** Execution ids (default: random 32-hex like DTFx's Guid "N"); tests inject a deterministic one. */
  newExecutionId?: () => string;
}

export const silentDurableLogger: DurableLogger = { event: () => undefined };
