// startHost composes the local Functions host: settings → HTTP server → app loading (fake core module) → Durable
// engine → timers and Service Bus listeners. One host per process at a time (the registry is process-global,
// like the worker's), but a stopped host can be started again in the same process.
import * as path from "node:path";
import { VirtualClock } from "../clock/virtualClock";
import type { RegisteredFunction } from "./functionsCore";
import { setSystemLogHandler, workerCapabilities } from "./functionsCore";
import { findHostJson, readHostJson } from "./hostJson";
import { HostHttpServer } from "./httpServer";
import { runAppHooks } from "./invoke";
import { HostKeys, type FunctionKeysOptions } from "./keys";
import { loadApp } from "./loadApp";
import { HostLogger, stdoutLogSink, toHostLogLevel, type LogSink } from "./log";
import { ServiceBusEmulator, type ServiceBusOptions } from "./serviceBus";
import { serviceBusAdminRoutes } from "./serviceBusAdmin";
import { TimerTriggers } from "./timerTriggers";
import { createTriggerInvoker, type TriggerInvoker } from "./triggerInvoker";
import { ForegroundGate, type ForegroundGateOptions } from "./foreground";
import { startDurable, type DurablePart, type HostLimits } from "./durableWiring";

export interface StartHostOptions {
  /** The app's entry module (functions/index.ts in this project). */
  appEntry: string;
  /** Folder whose modules are reloaded when the host starts again in the same process (default: cwd). */
  appRoot?: string;
  /** host.json to honour (default: found next to the entry or in a parent folder). */
  hostJsonPath?: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. `npm start` uses 7071. */
  port?: number;
  /** The one clock for durable timers, timer triggers and queue locks (default: real time). */
  clock?: VirtualClock;
  /** Durable instances, timer schedule status and Service Bus state live here; memory only when omitted. */
  dataDir?: string;
  /** App settings, applied to process.env before the app loads (restored on stop). */
  settings?: Record<string, string>;
  functionKeys?: FunctionKeysOptions;
  limits?: HostLimits;
  serviceBus?: Pick<ServiceBusOptions, "maxDeliveryCount" | "lockDurationInMs" | "maxAutoRenewDurationInMs" | "maxConcurrentCalls">;
  /** Where structured log records go (default: JSON lines on stdout). */
  logSink?: LogSink;
  /**
   * API requests first (foreground.ts): background invocations wait while HTTP functions are being answered, one
   * let through per `trickleMs`. Default on; `false` turns it off.
   */
  foreground?: ForegroundGateOptions | false;
  /**
   * Worker threads that run orchestrator episodes and activities (workers/, README "Durable workers"), each
   * loading the app with the same settings; the engine, stores, timers, Service Bus and HTTP functions stay on the
   * main thread. Default 0: everything on the main thread.
   */
  durableWorkers?: number;
  /**
   * Added to each durable worker thread's nice value (Linux; default 10, workers/pool.ts): on a busy machine the
   * main thread — HTTP functions, the engine — runs first. 0 = the main thread's priority.
   */
  durableWorkerNiceness?: number;
}

export interface Host {
  /** Base URL, e.g. http://127.0.0.1:7071 (HTTP functions live under `${url}/api/...`). */
  url: string;
  keys: HostKeys;
  clock: VirtualClock;
  serviceBus: ServiceBusEmulator;
  /** The Durable engine (local/host/durable), undefined when the app registers no orchestration. */
  engine: DurablePart["engine"] | undefined;
  /** The durable workers (`durableWorkers` ≥ 1): `size`, `stats` {started, lost, failedInvocations}. */
  durableWorkers: DurablePart["workers"];
  /** API priority over background invocations (foreground.ts); undefined with `foreground: false`. */
  foreground: ForegroundGate | undefined;
  /**
   * Resolves once nothing runs at this virtual time: no orchestration episode, activity or delivery, and no
   * timer-trigger invocation (the reaper…), which the engine's own idle state does not cover. A driver of a manual
   * clock waits for this before it moves time on, so every run is evaluated at the time it fired.
   */
  waitForIdle(): Promise<void>;
  /** HTTP function requests executing and waiting under host.json's request limits (httpAdmission.ts). */
  requestStats(): { executing: number; waiting: number };
  functions: RegisteredFunction[];
  logger: HostLogger;
  /** Stops triggers, runs appTerminate hooks, closes the server and restores process.env. Idempotent. */
  stop(): Promise<void>;
}

export async function startHost(options: StartHostOptions): Promise<Host> {
  const clock = options.clock ?? new VirtualClock({ mode: "scaled", speed: 1 });
  const logger = new HostLogger(options.logSink ?? stdoutLogSink, clock);
  const restoreEnv = applySettings(options.settings ?? {});
  setSystemLogHandler((level, _category, message) => logger.write(toHostLogLevel(level), "system", message));
  const keys = new HostKeys(options.functionKeys);
  const hostJson = readHostJson(options.hostJsonPath ?? findHostJson(path.dirname(path.resolve(options.appEntry))));

  let durable: DurablePart | undefined;
  const bus: { emulator?: ServiceBusEmulator } = {};
  const invoker = createTriggerInvoker({
    logger,
    durableClientData: (binding) => durable?.clientData(binding),
    onServiceBusOutput: (binding, message) => {
      const target = String(binding.queueName ?? binding.topicName ?? "");
      if (binding.topicName) bus.emulator?.publish(target, message);
      else bus.emulator?.send(target, message);
    },
  });
  const gate = options.foreground === false ? undefined : new ForegroundGate(options.foreground);
  // Service Bus and timer triggers are background work: they wait their turn behind API requests.
  const backgroundInvoker: TriggerInvoker = gate
    ? async (registration, invocation) => {
        await gate.turn();
        return invoker(registration, invocation);
      }
    : invoker;
  const serviceBus = new ServiceBusEmulator({ clock, logger, invoker: backgroundInvoker, dataDir: options.dataDir, ...options.serviceBus });
  bus.emulator = serviceBus;
  const server = new HostHttpServer({
    port: options.port ?? 0,
    routePrefix: hostJson.routePrefix,
    keys,
    logger,
    invoker,
    gate,
    requestLimits: { maxConcurrentRequests: hostJson.maxConcurrentRequests, maxOutstandingRequests: hostJson.maxOutstandingRequests },
    adminRoutes: serviceBusAdminRoutes(serviceBus),
    durableHandler: (req) => {
      if (!durable) return Promise.resolve({ status: 404 });
      return durable.handleHttp(req);
    },
  });
  const timers = new TimerTriggers({ clock, invoker: backgroundInvoker, logger, dataDir: options.dataDir });
  const url = await server.listen();
  process.env.WEBSITE_HOSTNAME = new URL(url).host; // df.getClient keeps URLs pointing at this host

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await timers.stop();
    await serviceBus.stop();
    gate?.close();
    await durable?.stop();
    await runAppHooks("appTerminate", path.dirname(path.resolve(options.appEntry))).catch(() => undefined);
    await server.close();
    restoreEnv();
    logger.event("host.stopped", "Host stopped");
  };

  try {
    const app = await loadApp({ appEntry: options.appEntry, appRoot: options.appRoot });
    server.setFunctions(app.functions);
    server.setStreamingProxy((await workerCapabilities()).HttpUri);
    durable = await startDurable({
      functions: app.functions,
      clock,
      logger,
      keys,
      url,
      hostJson,
      dataDir: options.dataDir,
      limits: options.limits,
      gate,
      workers: options.durableWorkers
        ? { count: options.durableWorkers, appEntry: options.appEntry, appRoot: app.appRoot, niceness: options.durableWorkerNiceness }
        : undefined,
    });
    timers.start(app.functions);
    serviceBus.start(app.functions);
    logger.event("host.started", `Host started with ${app.functions.length} functions on ${url}`, {
      functions: app.functions.map((f) => `${f.name} (${f.trigger.type})`),
    });
    return {
      url,
      keys,
      clock,
      serviceBus,
      engine: durable?.engine,
      durableWorkers: durable?.workers,
      waitForIdle: async () => {
        await durable?.engine.waitForIdle();
        await timers.settled();
        await durable?.engine.waitForIdle(); // what the timer functions started
      },
      foreground: gate,
      requestStats: () => server.requestStats(),
      functions: app.functions,
      logger,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Sets app settings on process.env; returns a function restoring the previous values. */
function applySettings(settings: Record<string, string>): () => void {
  const keys = [...Object.keys(settings), "WEBSITE_HOSTNAME"];
  const previous = new Map(keys.map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  return () => {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
