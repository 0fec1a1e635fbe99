// A direct invoker for unit tests of the engine: runs durable-functions orchestrators through the SDK's own
// Orchestrator (its replay, its OrchestratorState) without the functions host, with the same JSON round trips
// the wire would do. Activities are plain functions.
import * as df from "durable-functions";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { DurableEngine } from "../../../local/host/durable/engine";
import { JsonText } from "../../../local/host/durable/payloadJson";
import type { DurableInvokerPort, DurableLogger } from "../../../local/host/durable/ports";
import { MemoryInstanceStore, type InstanceStore } from "../../../local/host/durable/store";
import { eventTypeName, type HistoryEvent } from "../../../local/host/durable/types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's generator signature is untyped here
export type OrchestratorFn = (context: any) => Generator<unknown, unknown, any>;
export type ActivityFn = (input: unknown) => unknown;

type Handler = (trigger: unknown, context: unknown) => Promise<unknown>;
const { createOrchestrator } = require("durable-functions/lib/src/util/testingUtils") as {
  createOrchestrator: (fn: OrchestratorFn) => Handler;
};

const OUT_OF_PROC = "\n\n$OutOfProcData$:";

export interface DirectInvoker extends DurableInvokerPort {
  /** Every orchestrator invocation's OrchestratorState (JSON), in order. */
  states: { instanceId?: string; state: { actions: unknown[][]; isDone: boolean; output?: unknown; error?: string } }[];
  activityCalls: { name: string; input: unknown }[];
}

export function directInvoker(orchestrators: Record<string, OrchestratorFn>, activities: Record<string, ActivityFn>): DirectInvoker {
  const handlers = new Map(Object.entries(orchestrators).map(([name, fn]) => [name, createOrchestrator(fn)]));
  const invoker: DirectInvoker = {
    states: [],
    activityCalls: [],
    async orchestrator(name, payload, options) {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
      const context = new df.DummyOrchestrationContext(name, "inv", () => undefined);
      let state: unknown;
      try {
        state = JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(payload)), context)));
      } catch (err) {
        const message = err instanceof Error ? err.message : "";
        const at = message.indexOf(OUT_OF_PROC);
        if (at < 0) throw err;
        state = JSON.parse(message.slice(at + OUT_OF_PROC.length));
      }
      options?.inspectContext?.(context);
      invoker.states.push({ instanceId: options?.instanceId, state: state as DirectInvoker["states"][number]["state"] });
      return state;
    },
    async activity(name, input) {
      const fn = activities[name];
      if (!fn) throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an activity function.`);
      // The worker delivers strings as {string} and the library JSON-parses them (memo §5).
      let value = input instanceof JsonText ? (JSON.parse(input.text) as unknown) : input; // the engine's serialized input
      if (typeof input === "string") {
        try {
          value = JSON.parse(input);
        } catch {
          value = input;
        }
      }
      invoker.activityCalls.push({ name, input: value });
      const result = await fn(value);
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
    },
    hasOrchestrator: (name) => handlers.has(name),
  };
  return invoker;
}

export const T0 = Date.parse("2024-01-01T00:00:00.000Z");

export interface TestEngine {
  engine: DurableEngine;
  clock: VirtualClock;
  store: InstanceStore;
  invoker: DirectInvoker;
  logs: { event: string; message: string }[];
}

export async function makeEngine(
  orchestrators: Record<string, OrchestratorFn>,
  activities: Record<string, ActivityFn> = {},
  overrides: { store?: InstanceStore; clock?: VirtualClock; maxConcurrentActivities?: number; invoker?: DirectInvoker } = {},
): Promise<TestEngine> {
  const clock = overrides.clock ?? new VirtualClock({ mode: "manual", startMs: T0 });
  const store = overrides.store ?? new MemoryInstanceStore();
  const invoker = overrides.invoker ?? directInvoker(orchestrators, activities);
  const logs: { event: string; message: string }[] = [];
  const log: DurableLogger = { event: (event, message) => void logs.push({ event, message }) };
  let executions = 0;
  const engine = new DurableEngine({
    store,
    clock,
    invoker,
    limits: { maxConcurrentActivities: overrides.maxConcurrentActivities ?? 4, maxConcurrentOrchestrations: 4 },
    taskHub: "TestHub",
    log,
    debugCrossCheck: true,
    newExecutionId: () => `exec${++executions}`,
  });
  await engine.start();
  return { engine, clock, store, invoker, logs };
}

/** History as compact strings: "TaskScheduled#0", "TaskCompleted→0", "TimerFired→1", "OrchestratorStarted". */
export function shape(history: HistoryEvent[]): string[] {
  return history.map((e) => {
    const name = eventTypeName[e.EventType];
    if (e.EventId >= 0) return `${name}#${e.EventId}`;
    if (e.TaskScheduledId !== undefined) return `${name}→${e.TaskScheduledId}`;
    if (e.TimerId !== undefined) return `${name}→${e.TimerId}`;
    return name;
  });
}
