// The engine driving real df.app registrations through the functions host's invocation pipeline (fake
// @azure/functions-core + the library's InvocationModel), with the SDK openTasks cross-check on.
import * as df from "durable-functions";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { DurableEngine } from "../../../local/host/durable/engine";
import { MemoryInstanceStore } from "../../../local/host/durable/store";
import { createDurableInvoker } from "../../../local/host/durableInvoker";
import { installFunctionsCore } from "../../../local/host/functionsCore";
import { HostLogger } from "../../../local/host/log";

installFunctionsCore(); // the library registers lazily: the proxy must be in place before the first df.app call

let flakyCalls = 0;
df.app.activity("HostHello", { handler: (input: unknown) => `Hello, ${String(input)}!` });
df.app.activity("HostFlaky", {
  handler: () => {
    if (flakyCalls++ < 1) throw new Error("transient");
    return "ok";
  },
});
df.app.orchestration("HostPipeline", function* (context) {
  const greeting = yield context.df.callActivity("HostHello", context.df.getInput());
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 7 * 86_400_000));
  const flaky = yield context.df.callActivityWithRetry("HostFlaky", new df.RetryOptions(1000, 3), null);
  const event = yield context.df.Task.any([
    context.df.waitForExternalEvent("approve"),
    context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000)),
  ]);
  return [greeting, flaky, event.result ?? "timeout"];
});

describe("engine + functions host invoker", () => {
  it("runs a real registration: activity, 7-day long timer, retry, Task.any timeout; ids agree with the SDK", async () => {
    const logger = new HostLogger(() => undefined, { nowMs: () => Date.UTC(2024, 0, 1) });
    const inner = createDurableInvoker(logger);
    const clock = new VirtualClock({ mode: "manual", startMs: Date.UTC(2024, 0, 1) });
    const engine = new DurableEngine({
      store: new MemoryInstanceStore(),
      clock,
      invoker: {
        orchestrator: (name, payload, options) => inner.invokeOrchestrator(name, payload, options),
        activity: (name, input, options) => inner.invokeActivity(name, input, options),
        hasOrchestrator: (name) => inner.hasOrchestrator(name),
      },
      limits: { maxConcurrentActivities: 2, maxConcurrentOrchestrations: 2 },
      taskHub: "HostHub",
      log: { event: () => undefined },
      debugCrossCheck: true,
    });
    await engine.start();
    await engine.startNew("HostPipeline", { instanceId: "hp", inputJson: '"Tokyo"' });
    await engine.runUntilIdle();
    const record = engine.getInstance("hp")!;
    expect(record.runtimeStatus).toBe("Completed");
    expect(JSON.parse(record.output!)).toEqual(["Hello, Tokyo!", "ok", "timeout"]);
    expect(flakyCalls).toBe(2);
    expect(clock.nowMs() - Date.UTC(2024, 0, 1)).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(engine.crossCheckFailures).toEqual([]);
  });
});
