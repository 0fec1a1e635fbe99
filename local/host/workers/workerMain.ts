// A durable worker: one worker_threads thread running its own copy of the app (its own module cache, so
// loadApp.ts and functionsCore.ts work per thread as they do per process) and executing the orchestrator
// episodes and activity invocations the main thread sends (pool.ts). It mirrors Azure's language worker next to
// the host: invocations in, results and log records out. The embedded seam (functions/runtime/embedded.ts) is
// registered here as on the main thread, backed by it: "now" read from the mirrored clock, sleeps and published
// events served by the main thread. The app's durable client reaches the host over the loopback socket (the
// in-process shortcut of durableLoopback.ts exists only on the main thread).
import { getPriority, setPriority } from "node:os";
import { parentPort, threadId, workerData } from "node:worker_threads";
import { registerEmbeddedRuntime } from "../../../functions/runtime/embedded";
import type { CloudEvent } from "../../../shared/cloud/events";
import { createDurableInvoker, type DurableFunctionInvoker } from "../durableInvoker";
import { setSystemLogHandler } from "../functionsCore";
import { runAppHooks } from "../invoke";
import { loadApp } from "../loadApp";
import { HostLogger, toHostLogLevel, type HostLogRecord } from "../log";
import { MirroredClock } from "./clockMirror";
import { deserializeError, serializeError, type FromWorker, type ToWorker, type WorkerInit } from "./protocol";
import * as path from "node:path";

const init = workerData as WorkerInit;
if (!parentPort) throw new Error("workerMain.ts runs in a worker thread only");
const port = parentPort;

// Everything a worker says leaves in one message per event-loop turn (an array): log records, answers and
// requests of that turn, in the order they happened — so a record always arrives ahead of the answer of the
// invocation that wrote it, and a busy worker pays one postMessage (and the main thread one wake-up) per turn.
let outbox: FromWorker[] = [];
let flushScheduled = false;
/** JSON lines of the records written since the last other message (they go out as one `logs` entry). */
let lines: string[] = [];
function flush(): void {
  flushScheduled = false;
  endLines();
  if (outbox.length === 0) return;
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
}
function endLines(): void {
  if (lines.length === 0) return;
  outbox.push({ type: "logs", jsonLines: lines.join("") });
  lines = [];
}
function schedule(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}
function post(message: FromWorker): void {
  endLines(); // the records written so far go ahead of this message
  outbox.push(message);
  schedule();
}
function postLog(record: HostLogRecord): void {
  if (record.level === "error" || record.level === "critical") return post({ type: "log", record });
  lines.push(JSON.stringify(record) + "\n");
  schedule();
}

// Requests to the main thread (sleep, publish), answered by a `reply` with the same id.
const replies = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let nextRequestId = 1;
function request(message: (id: number) => FromWorker): { id: number; answered: Promise<void> } {
  const id = nextRequestId++;
  const answered = new Promise<void>((resolve, reject) => replies.set(id, { resolve, reject }));
  post(message(id));
  return { id, answered };
}

const clock = new MirroredClock(init.clock, async (durationInMs, abortSignal) => {
  const { id, answered } = request((id) => ({ type: "sleep", id, durationInMs }));
  const onAbort = (): void => post({ type: "sleepAbort", id });
  abortSignal?.addEventListener("abort", onAbort, { once: true });
  try {
    await answered;
  } finally {
    abortSignal?.removeEventListener("abort", onAbort);
  }
});

const logger = new HostLogger(postLog, clock, init.minLogLevel);

/**
 * Lowers this thread's CPU priority by `init.niceness`: on a busy machine the kernel then runs the main thread (the
 * API's requests, the engine's commits) first and this thread's episodes and activities with what is left — the
 * front door and the orchestration workers scaling apart, as in Azure. Linux only: there setpriority(PRIO_PROCESS,
 * 0) is the calling thread's; on other systems it is the whole process's. Returns the nice value now, or null.
 */
function lowerPriority(niceness: number): number | null {
  if (niceness <= 0 || process.platform !== "linux") return null;
  try {
    setPriority(0, Math.min(19, getPriority(0) + niceness));
    return getPriority(0);
  } catch {
    return null; // not permitted (a sandbox without the syscall): run at the main thread's priority
  }
}
const nice = lowerPriority(init.niceness);

async function start(): Promise<DurableFunctionInvoker> {
  setSystemLogHandler((level, _category, message) => logger.write(toHostLogLevel(level), "system", message, { workerThreadId: threadId }));
  registerEmbeddedRuntime({
    clock,
    ...(init.events
      ? {
          events: {
            publish: (events: CloudEvent[]) => request((id) => ({ type: "publish", id, eventsJson: JSON.stringify(events) })).answered,
          },
        }
      : {}),
  });
  const app = await loadApp({ appEntry: init.appEntry, appRoot: init.appRoot });
  post({ type: "ready", functions: app.functions.length, nice });
  return createDurableInvoker(logger, () => init.clientData);
}

const started = start();
started.catch((err: unknown) => {
  post({ type: "startFailed", error: serializeError(err) });
});

async function run(message: Extract<ToWorker, { type: "orchestrator" | "activity" }>): Promise<void> {
  let answer: FromWorker;
  try {
    const invoker = await started;
    const options = { instanceId: message.instanceId };
    const result =
      message.type === "orchestrator"
        ? await invoker.orchestratorReturn(message.name, message.payloadJson, options)
        : await invoker.activityReturn(message.name, message.input, options);
    answer = { type: "done", id: message.id, result: result ?? null };
  } catch (err) {
    answer = { type: "failed", id: message.id, error: serializeError(err) };
  }
  post(answer);
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "orchestrator":
    case "activity":
      void run(message);
      return;
    case "reply": {
      const waiter = replies.get(message.id);
      replies.delete(message.id);
      if (message.error) waiter?.reject(deserializeError(message.error));
      else waiter?.resolve();
      return;
    }
    case "terminate":
      // The worker's appTerminate hooks run as the worker's would at shutdown; then the thread ends.
      void started
        .then(() => runAppHooks("appTerminate", path.dirname(path.resolve(init.appEntry))))
        .catch(() => undefined)
        .finally(() => {
          flush();
          port.close();
          process.exit(0);
        });
      return;
  }
});
