// The durable workers seen from the main thread: N worker_threads, each running the app (workerMain.ts), and the
// engine's invoker port on top of them — an episode or an activity goes to the worker with the fewest invocations
// in flight, its answer comes back as a message. Mirrors Azure Flex Consumption's per-function scaling: the HTTP
// functions' instances (here: the main thread, with the engine, stores, timers and Service Bus) apart from the
// Durable functions' (here: the workers). A worker that exits or crashes fails what it had in flight with a
// WorkerLostError (transient: an activity fails into the orchestration's retry policy, an episode runs again) and
// is replaced; one that dies before it ever started is not (a broken app would only crash again).
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { embeddedRuntime } from "../../../functions/runtime/embedded";
import type { CloudEvent } from "../../../shared/cloud/events";
import type { VirtualClock } from "../../clock/virtualClock";
import type { DurableInvokeOptions } from "../durable/ports";
import { JsonText } from "../durable/payloadJson";
import { activityHistoryValue } from "../durableInvoker";
import type { HostLogger } from "../log";
import { activityInputTypedData, fromReturnTypedData, type RpcTypedData } from "../rpcTypedData";
import { mirrorClock } from "./clockMirror";
import { deserializeError, serializeError, WorkerLostError, type FromWorker, type ToWorker, type WorkerInit } from "./protocol";

export interface DurableWorkerPoolOptions {
  count: number;
  appEntry: string;
  appRoot: string;
  clock: VirtualClock;
  logger: HostLogger;
  /** The durableClient binding data handed to the workers' apps. */
  clientData: unknown;
  /**
   * Added to each worker thread's nice value (Linux; default 10): the main thread — API requests, the engine —
   * wins the CPU when the machine is busy, the workers run on what is left. 0 keeps the main thread's priority.
   */
  niceness?: number;
}

/** Default nice increment of a durable worker thread (CFS weight ≈ a tenth of the main thread's under contention). */
export const DURABLE_WORKER_NICENESS = 10;

interface Pending {
  resolve: (data: RpcTypedData | null) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  index: number;
  threadId: number;
  inFlight: Map<number, Pending>;
  ready: boolean;
  /** The thread's nice value once started (null: not lowered). */
  nice: number | null;
  sleeps: Map<number, AbortController>;
}

// Workers run TypeScript: tsx's CommonJS hook unless the thread inherited a loader (npm start runs under tsx).
const BOOT = (tsxApi: string, main: string): string =>
  `const Module = require("node:module");
if (!Module._extensions[".ts"]) require(${JSON.stringify(tsxApi)}).register();
require(${JSON.stringify(main)});`;

export class DurableWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly clockMirror: ReturnType<typeof mirrorClock>;
  private nextId = 1;
  private stopping = false;
  /** Workers started (replacements included), lost, invocations sent and failed by a lost worker. */
  readonly stats = { started: 0, lost: 0, invocations: 0, failedInvocations: 0 };

  constructor(private readonly options: DurableWorkerPoolOptions) {
    this.clockMirror = mirrorClock(options.clock);
  }

  /** Starts the workers; resolves once every one has loaded the app, rejects with the first start failure. */
  async start(): Promise<void> {
    const starting = Array.from({ length: this.options.count }, (_, i) => this.spawn(i + 1));
    await Promise.all(starting);
  }

  /** The engine's `orchestrator` port: the SDK's OrchestratorState, decoded on this thread. */
  async orchestrator(name: string, payload: unknown, options: DurableInvokeOptions = {}): Promise<unknown> {
    const payloadJson = payload instanceof JsonText ? payload.text : JSON.stringify(payload);
    const data = await this.dispatch((id) => ({ type: "orchestrator", id, name, payloadJson, instanceId: options.instanceId }));
    return fromReturnTypedData(data);
  }

  /** The engine's `activity` port: a JSON result as a JsonText (the worker's text, recorded as is). */
  async activity(name: string, input: unknown, options: DurableInvokeOptions = {}): Promise<unknown> {
    const typed = activityInputTypedData(input);
    const data = await this.dispatch((id) => ({ type: "activity", id, name, input: typed, instanceId: options.instanceId }));
    return activityHistoryValue(data);
  }

  /** Workers running now. */
  get size(): number {
    return this.slots.length;
  }

  /** The thread nice value of each worker that has started (null where not lowered: niceness 0, not Linux). */
  get niceValues(): (number | null)[] {
    return this.slots.filter((s) => s.ready).map((s) => s.nice);
  }

  /** Asks every worker to run its appTerminate hooks and end; terminates those still running after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    this.clockMirror.close();
    await Promise.all(
      [...this.slots].map(async (slot) => {
        const exited = new Promise<void>((resolve) => slot.worker.once("exit", () => resolve()));
        slot.worker.postMessage({ type: "terminate" } satisfies ToWorker);
        const timer = setTimeout(() => void slot.worker.terminate(), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private dispatch(message: (id: number) => ToWorker): Promise<RpcTypedData | null> {
    if (this.stopping) return Promise.reject(new WorkerLostError("The durable workers are stopping."));
    const slot = this.slots.reduce<Slot | undefined>((best, s) => (!best || s.inFlight.size < best.inFlight.size ? s : best), undefined);
    if (!slot) return Promise.reject(new WorkerLostError("No durable worker is running (every worker failed to start)."));
    const id = this.nextId++;
    this.stats.invocations++;
    return new Promise((resolve, reject) => {
      slot.inFlight.set(id, { resolve, reject });
      slot.worker.postMessage(message(id));
    });
  }

  private spawn(index: number): Promise<void> {
    const init: WorkerInit = {
      appEntry: path.resolve(this.options.appEntry),
      appRoot: path.resolve(this.options.appRoot),
      clientData: this.options.clientData,
      clock: this.clockMirror.init,
      // Events the workers' apps publish go to the main thread's embedded runtime (local/stack.ts registers it).
      events: embeddedRuntime()?.events !== undefined,
      index,
      niceness: this.options.niceness ?? DURABLE_WORKER_NICENESS,
      minLogLevel: this.options.logger.minLevel,
    };
    const worker = new Worker(BOOT(require.resolve("tsx/cjs/api"), path.join(__dirname, "workerMain.ts")), {
      eval: true,
      workerData: init,
      env: { ...process.env },
    });
    const slot: Slot = { worker, index, threadId: worker.threadId, inFlight: new Map(), ready: false, nice: null, sleeps: new Map() };
    this.slots.push(slot);
    this.stats.started++;
    return new Promise<void>((resolve, reject) => {
      const receive = (message: FromWorker): void => {
        if (message.type === "ready") {
          slot.ready = true;
          slot.nice = message.nice;
          this.options.logger.event("worker.started", `Durable worker ${index} started (${message.functions} functions)`, {
            workerThreadId: slot.threadId,
            nice: message.nice,
          });
          resolve();
        } else if (message.type === "startFailed") {
          reject(new Error(`Durable worker ${index} failed to load the app: ${message.error.message}`));
        } else this.onMessage(slot, message);
      };
      worker.on("message", (batch: FromWorker[]) => {
        for (const message of batch) receive(message);
      });
      worker.on("error", (err) => {
        this.options.logger.event(
          "worker.crashed",
          `Durable worker ${index} crashed: ${err.message}`,
          { workerThreadId: slot.threadId },
          "error",
        );
      });
      worker.on("exit", (code) => {
        this.onExit(slot, code);
        reject(new Error(`Durable worker ${index} exited with code ${code} before it started`));
      });
    });
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case "done":
      case "failed": {
        const pending = slot.inFlight.get(message.id);
        slot.inFlight.delete(message.id);
        if (message.type === "done") pending?.resolve(message.result);
        else pending?.reject(deserializeError(message.error));
        return;
      }
      case "logs":
        this.options.logger.forwardJsonLines(message.jsonLines);
        return;
      case "log":
        this.options.logger.forward(message.record);
        return;
      case "sleep": {
        const abort = new AbortController();
        slot.sleeps.set(message.id, abort);
        this.options.clock.sleep(message.durationInMs, { abortSignal: abort.signal }).then(
          () => this.reply(slot, message.id),
          (err: unknown) => this.reply(slot, message.id, err),
        );
        return;
      }
      case "sleepAbort":
        slot.sleeps.get(message.id)?.abort();
        return;
      case "publish": {
        const publisher = embeddedRuntime()?.events;
        const published = publisher ? publisher.publish(JSON.parse(message.eventsJson) as CloudEvent[]) : Promise.resolve();
        published.then(
          () => this.reply(slot, message.id),
          (err: unknown) => this.reply(slot, message.id, err),
        );
        return;
      }
      default:
        return;
    }
  }

  private reply(slot: Slot, id: number, err?: unknown): void {
    slot.sleeps.delete(id);
    if (!this.slots.includes(slot)) return;
    slot.worker.postMessage({ type: "reply", id, ...(err === undefined ? {} : { error: serializeError(err) }) } satisfies ToWorker);
  }

  private onExit(slot: Slot, code: number): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    for (const abort of slot.sleeps.values()) abort.abort();
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    if (this.stopping) {
      for (const p of lost) p.reject(new WorkerLostError("The durable worker was stopped."));
      return;
    }
    this.stats.lost++;
    this.stats.failedInvocations += lost.length;
    this.options.logger.event(
      "worker.exited",
      `Durable worker ${slot.index} exited with code ${code}; ${lost.length} invocation(s) in flight failed${slot.ready ? ", replacing it" : ""}`,
      { workerThreadId: slot.threadId },
      "error",
    );
    for (const p of lost) p.reject(new WorkerLostError(`The durable worker running this invocation exited (code ${code}).`));
    if (slot.ready) {
      this.spawn(slot.index).catch((err: unknown) =>
        this.options.logger.event("worker.startFailed", `Replacement durable worker ${slot.index}: ${(err as Error).message}`, {}, "error"),
      );
    }
  }
}
