// Composes the Durable engine (local/host/durable) into the host: the engine gets the invoker port, the shared
// clock, a store under dataDir and the limits; the host gets the durableClient binding data and the management
// API handler it mounts under /runtime/webhooks/durabletask/.
import { randomBytes } from "node:crypto";
import type { VirtualClock } from "../clock/virtualClock";
import { DurableEngine } from "./durable/engine";
import { FileInstanceStore } from "./durable/fileStore";
import { DurableManagementApi } from "./durable/managementApi";
import type { DurableInvokerPort } from "./durable/ports";
import { MemoryInstanceStore, type InstanceStore } from "./durable/store";
import { createDurableInvoker } from "./durableInvoker";
import type { BindingInfo, RegisteredFunction } from "./functionsCore";
import type { HostJsonSettings } from "./hostJson";
import type { PlainHttpRequest, PlainHttpResponse } from "./plainHttp";
import type { HostKeys } from "./keys";
import type { HostLogger } from "./log";
import type { ForegroundGate } from "./foreground";
import { DurableWorkerPool } from "./workers/pool";

export interface HostLimits {
  /** Like host.json maxConcurrentActivityFunctions (default: host.json, else 10). */
  maxConcurrentActivities?: number;
  /** Like host.json maxConcurrentOrchestratorFunctions (default: host.json, else 10). */
  maxConcurrentOrchestrations?: number;
}

export interface DurablePart {
  engine: DurableEngine;
  /** The durable workers, when episodes and activities run in worker threads. */
  workers?: DurableWorkerPool;
  /** The durableClient binding data for a function's durableClient input. */
  clientData(binding: BindingInfo): unknown;
  handleHttp(req: PlainHttpRequest): Promise<PlainHttpResponse>;
  stop(): Promise<void>;
}

export interface StartDurableOptions {
  functions: RegisteredFunction[];
  clock: VirtualClock;
  logger: HostLogger;
  keys: HostKeys;
  url: string;
  hostJson: HostJsonSettings;
  dataDir?: string;
  limits?: HostLimits;
  /** Episodes and activities wait their turn behind HTTP functions being answered (foreground.ts). */
  gate?: ForegroundGate;
  /** Run episodes and activities in this many worker threads, each with its own copy of the app (0: in process). */
  workers?: { count: number; appEntry: string; appRoot: string; niceness?: number };
}

const DURABLE_TRIGGERS = new Set(["orchestrationtrigger", "activitytrigger"]);

/** The task hub: host.json's hubName (after %SETTING%), else the extension's local default. */
function taskHubName(hostJson: HostJsonSettings): string {
  return hostJson.durableHubName ?? "TestHubName";
}

/** Starts the engine when the app registers orchestrations or activities; undefined otherwise. */
export async function startDurable(options: StartDurableOptions): Promise<DurablePart | undefined> {
  const needed = options.functions.some((f) => DURABLE_TRIGGERS.has(f.trigger.type.toLowerCase()));
  if (!needed) return undefined;
  // Activities with a durableClient input get the same binding data as client functions (bound once the API exists).
  const late: { clientData?: () => unknown } = {};
  const functionsInvoker = createDurableInvoker(options.logger, () => late.clientData?.());
  const gate = options.gate;
  const pool: { current?: DurableWorkerPool } = {};
  const invoker: DurableInvokerPort = {
    orchestrator: async (name, payload, o) => {
      await gate?.turn();
      if (pool.current) return pool.current.orchestrator(name, payload, o);
      return functionsInvoker.invokeOrchestrator(name, payload, o);
    },
    activity: async (name, input, o) => {
      await gate?.turn();
      if (pool.current) return pool.current.activity(name, input, o);
      return functionsInvoker.invokeActivityForHistory(name, input, o);
    },
    hasOrchestrator: (name) => functionsInvoker.hasOrchestrator(name),
  };
  const { limits = {}, hostJson } = options;
  const store: InstanceStore = options.dataDir ? new FileInstanceStore(options.dataDir) : new MemoryInstanceStore();
  const engine = new DurableEngine({
    store,
    clock: options.clock,
    invoker,
    limits: {
      maxConcurrentActivities: limits.maxConcurrentActivities ?? hostJson.maxConcurrentActivityFunctions ?? 10,
      maxConcurrentOrchestrations: limits.maxConcurrentOrchestrations ?? hostJson.maxConcurrentOrchestratorFunctions ?? 10,
    },
    taskHub: taskHubName(hostJson),
    log: options.logger,
  });
  // The RPC path's token lives only in this process and the binding data handed to the app's durable clients.
  const api = new DurableManagementApi({
    engine,
    baseUrl: options.url,
    systemKey: options.keys.durableSystemKey,
    rpcToken: randomBytes(32).toString("base64url"),
  });
  late.clientData = () => api.clientBindingData();
  if (options.workers && options.workers.count > 0) {
    // Started before the engine, which may resume episodes of instances found in the store at once.
    const workers = new DurableWorkerPool({
      ...options.workers,
      clock: options.clock,
      logger: options.logger,
      clientData: api.clientBindingData(),
    });
    pool.current = workers;
    await workers.start().catch(async (err: unknown) => {
      await workers.stop();
      throw err;
    });
  }
  await engine.start();
  return {
    engine,
    workers: pool.current,
    // One binding value for every durableClient input: this host has one task hub (per-binding taskHub is ignored).
    clientData: () => api.clientBindingData(),
    handleHttp: (req) => api.handleManagementRequest(req),
    stop: async () => {
      engine.stop();
      await engine.waitForIdle();
      await pool.current?.stop();
      await store.close?.();
    },
  };
}
