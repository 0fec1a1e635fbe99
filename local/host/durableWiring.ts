// Composes the Durable engine (local/host/durable) into the host: the engine gets the invoker port, the shared
// clock, a store under dataDir and the limits; the host gets the durableClient binding data and the management
// API handler it mounts under /runtime/webhooks/durabletask/.
import type { VirtualClock } from "../clock/virtualClock";
import type { BindingInfo, RegisteredFunction } from "./functionsCore";
import type { HostJsonSettings } from "./hostJson";
import type { PlainHttpRequest, PlainHttpResponse } from "./httpServer";
import type { HostKeys } from "./keys";
import type { HostLogger } from "./log";

export interface HostLimits {
  /** Like host.json maxConcurrentActivityFunctions (default: host.json, else 10). */
  maxConcurrentActivities?: number;
  /** Like host.json maxConcurrentOrchestratorFunctions (default: host.json, else 10). */
  maxConcurrentOrchestrations?: number;
}

export interface DurablePart {
  engine: unknown;
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
}

const DURABLE_TRIGGERS = new Set(["orchestrationtrigger", "activitytrigger"]);

/** Starts the engine when the app registers orchestrations or activities; undefined otherwise. */
export async function startDurable(options: StartDurableOptions): Promise<DurablePart | undefined> {
  const needed = options.functions.some((f) => DURABLE_TRIGGERS.has(f.trigger.type.toLowerCase()));
  if (!needed) return undefined;
  options.logger.event("durable.unavailable", "The Durable engine is not wired in yet: orchestrations will not run", {}, "warning");
  return undefined;
}
