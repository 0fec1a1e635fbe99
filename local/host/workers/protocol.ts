// The messages between the host's main thread and its durable workers (worker_threads, one app copy each). In
// Azure the Functions host and the language worker talk gRPC (InvocationRequest / InvocationResponse / RpcLog);
// these are the same three ideas, plus what the embedded seam needs from the main thread (the virtual clock's
// timers, the in-process events topic). Payloads cross as strings wherever the engine has one already (the
// trigger payload's JSON, an activity's JSON input and result), so nothing is re-serialized on either side.
import type { HostLogLevel, HostLogRecord } from "../log";
import type { RpcTypedData } from "../rpcTypedData";

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
  appEntry: string;
  appRoot: string;
  /** The durableClient binding data (the app's durable client reaches the host over the loopback socket). */
  clientData: unknown;
  clock: ClockMirrorInit;
  /** True when the main thread's embedded runtime has an events publisher: the worker's forwards to it. */
  events: boolean;
  /** Worker number (1-based) for log lines. */
  index: number;
  /**
   * Added to the worker thread's nice value when it starts (Linux: a thread's own scheduling priority; elsewhere
   * ignored, where it would apply to the whole process). 0 = the main thread's priority.
   */
  niceness: number;
  /** The main logger's lowest level (HostLogger.minLevel): records below it are not built in the worker. */
  minLogLevel?: HostLogLevel;
}

/** The virtual clock as a worker reads it: `nowMs` mirrored through shared memory (clockMirror.ts). */
export interface ClockMirrorInit {
  mode: "manual" | "scaled";
  speed: number;
  /** Scaled mode: virtual ms at `realBaseMs` (wall clock). */
  realBaseMs: number;
  /** BigInt64Array[1] over this: the manual clock's now, written by the main thread at every advance. */
  nowBuffer: SharedArrayBuffer;
}

/** Main → worker. */
export type ToWorker =
  | { type: "orchestrator"; id: number; name: string; payloadJson: string; instanceId?: string }
  | { type: "activity"; id: number; name: string; input: RpcTypedData; instanceId?: string }
  | { type: "reply"; id: number; error?: SerializedError }
  | { type: "terminate" };

/** Worker → main. */
export type FromWorker =
  /** `nice`: the thread's nice value after start (`os.getPriority(0)`), null where not lowered. */
  | { type: "ready"; functions: number; nice: number | null }
  | { type: "startFailed"; error: SerializedError }
  /**
   * The return value as the worker protocol carries it: an orchestrator's OrchestratorState (`{json}`, also when it
   * threw: the state the SDK embedded), an activity's result.
   */
  | { type: "done"; id: number; result: RpcTypedData | null }
  | { type: "failed"; id: number; error: SerializedError }
  /** Log records as JSON lines (HostLogger.forwardJsonLines); errors and critical ones as records (`log`). */
  | { type: "logs"; jsonLines: string }
  | { type: "log"; record: HostLogRecord }
  /** Requests served by the main thread; answered with a `reply` of the same id (worker-side ids). */
  | { type: "sleep"; id: number; durationInMs: number }
  | { type: "sleepAbort"; id: number }
  | { type: "publish"; id: number; eventsJson: string };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: "Error", message: typeof err === "string" ? err : JSON.stringify(err) };
}

/** An Error with the worker's name, message and stack (the engine records message and stack in TaskFailed). */
export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/**
 * The worker running an invocation exited or crashed before answering. Transient, as in Azure when a worker
 * process dies: an activity fails (the orchestration's retry policy applies), an orchestrator episode is run again.
 */
export class WorkerLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerLostError";
  }
}
