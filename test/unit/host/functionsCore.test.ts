import { describe, expect, it } from "vitest";
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { JsonText } from "../../../local/host/durable/payloadJson";
import { resultJson } from "../../../local/host/durable/events";
import { createDurableInvoker } from "../../../local/host/durableInvoker";
import { findFunction, installFunctionsCore, lockRegistrations, registeredFunctions } from "../../../local/host/functionsCore";
import { invokeFunction } from "../../../local/host/invoke";
import { HostLogger, type HostLogRecord } from "../../../local/host/log";

// The library loads lazily: the proxy only has to be in place before the first registration.
installFunctionsCore();
installFunctionsCore(); // idempotent

const records: HostLogRecord[] = [];
const logger = new HostLogger((r) => records.push(r), { nowMs: () => Date.UTC(2024, 0, 1) });

const hookCalls: string[] = [];
app.hook.preInvocation(() => {
  hookCalls.push("pre");
});
app.hook.postInvocation((ctx) => {
  hookCalls.push("post");
  if (ctx.invocationContext.functionName === "Replaced") ctx.result = "from hook";
});

app.http("Echo", {
  route: "echo/{id:int}",
  methods: ["POST"],
  authLevel: "function",
  handler: async (req, ctx) => {
    ctx.log("echo called");
    return { status: 201, jsonBody: { id: req.params.id, body: await req.text() } };
  },
});
app.generic("Replaced", { trigger: { type: "activityTrigger", name: "t" }, handler: () => "from handler" });
df.app.activity("Hello", { handler: (name: string) => `Hello, ${name}!` });
df.app.activity("Structured", { handler: (input: { n: number }) => ({ doubled: input.n * 2 }) });
df.app.activity("Fails", {
  handler: () => {
    throw new Error("boom from activity");
  },
});
df.app.orchestration("SayHello", function* (context) {
  const greeting: string = yield context.df.callActivity("Hello", "Tokyo");
  return greeting;
});
df.app.orchestration("Throws", function* (context) {
  yield context.df.createTimer(new Date(Date.UTC(2024, 0, 2)));
  throw new Error("orchestrator broke");
});

function orchestrationPayload(instanceId: string, history: unknown[]): unknown {
  return {
    history,
    input: null,
    instanceId,
    isReplaying: false,
    parentInstanceId: null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: "3.00:00:00",
    maximumShortTimerDuration: "6.00:00:00",
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}
const started = (ts: string): unknown[] => [
  { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: ts },
  { EventType: 0, EventId: -1, IsPlayed: false, Timestamp: ts, Name: "SayHello", Input: null, Version: "" },
];

describe("fake @azure/functions-core", () => {
  it("captures registrations with the library's binding metadata", () => {
    const names = registeredFunctions().map((f) => f.name);
    expect(names).toEqual(["Echo", "Replaced", "Hello", "Structured", "Fails", "SayHello", "Throws"]);
    const echo = findFunction("echo");
    expect(echo?.trigger).toMatchObject({ type: "httpTrigger", route: "echo/{id:int}", authLevel: "function" });
    expect(echo?.metadata.bindings.$return).toMatchObject({ type: "http", direction: "out" });
    expect(findFunction("SayHello")?.trigger.type).toBe("orchestrationTrigger");
  });

  it("rejects duplicate names (case-insensitively) and entities", () => {
    expect(() => app.generic("echo", { trigger: { type: "timerTrigger", name: "t" }, handler: () => undefined })).toThrow(
      /already been registered/,
    );
    expect(() => df.app.entity("Counter", () => undefined)).toThrow(/does not support entities/);
  });

  it("invokes an HTTP function through the InvocationModel and converts the response", async () => {
    const echo = findFunction("Echo");
    if (!echo) throw new Error("Echo missing");
    const response = await invokeFunction(
      echo,
      {
        inputData: [
          {
            name: echo.triggerBindingName,
            data: {
              http: {
                method: "POST",
                url: "http://127.0.0.1/api/echo/7",
                headers: { "content-type": "text/plain" },
                body: { string: "hi" },
                params: { id: "7" },
                query: {},
              },
            },
          },
        ],
      },
      { logger },
    );
    const http = (response.returnValue as { http: { statusCode: string; body: { bytes: Uint8Array } } }).http;
    expect(http.statusCode).toBe("201");
    expect(JSON.parse(Buffer.from(http.body.bytes).toString())).toEqual({ id: "7", body: "hi" });
    expect(records.find((r) => r.category === "user")).toMatchObject({ message: "echo called", functionName: "Echo" });
    expect(hookCalls).toEqual(["pre", "post"]);
  });

  it("lets a postInvocation hook replace the result", async () => {
    const invoker = createDurableInvoker(logger);
    await expect(invoker.invokeActivity("Replaced", null)).resolves.toBe("from hook");
  });

  it("delivers activity inputs like the extension and decodes results", async () => {
    const invoker = createDurableInvoker(logger);
    // CallActivityAction JSON-encodes string inputs; the host passes the action's input through.
    await expect(invoker.invokeActivity("Hello", JSON.stringify("Tokyo"))).resolves.toBe("Hello, Tokyo!");
    await expect(invoker.invokeActivity("Structured", { n: 21 })).resolves.toEqual({ doubled: 42 });
    await expect(invoker.invokeActivity("Fails", null)).rejects.toThrow("boom from activity");
    await expect(invoker.invokeActivity("SayHello", null)).rejects.toThrow(/not an activityTrigger/);
  });

  it("hands the engine a JSON result as the worker's text (the history Result), other results decoded", async () => {
    const invoker = createDurableInvoker(logger);
    const structured = await invoker.invokeActivityForHistory("Structured", { n: 21 });
    expect(structured).toBeInstanceOf(JsonText);
    expect(resultJson(structured)).toBe(resultJson(await invoker.invokeActivity("Structured", { n: 21 })));
    expect(resultJson(structured)).toBe('{"doubled":42}');
    const text = await invoker.invokeActivityForHistory("Hello", JSON.stringify("Tokyo"));
    expect(text).toBe("Hello, Tokyo!");
    expect(resultJson(text)).toBe('"Hello, Tokyo!"');
  });

  it("runs an orchestrator episode and returns the OrchestratorState, also on failure", async () => {
    const invoker = createDurableInvoker(logger);
    const ts = "2024-01-01T00:00:00.000Z";
    const state = (await invoker.invokeOrchestrator("SayHello", orchestrationPayload("i1", started(ts)), {
      instanceId: "i1",
    })) as { isDone: boolean; actions: unknown[][] };
    expect(state.isDone).toBe(false);
    expect(state.actions[0]).toEqual([{ actionType: 0, functionName: "Hello", input: '"Tokyo"' }]);

    const timerFired = [
      ...started(ts),
      { EventType: 10, EventId: 0, IsPlayed: false, Timestamp: ts, FireAt: "2024-01-02T00:00:00.000Z" },
      { EventType: 13, EventId: -1, IsPlayed: false, Timestamp: ts },
      { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: "2024-01-02T00:00:00.000Z" },
      { EventType: 11, EventId: -1, IsPlayed: false, Timestamp: ts, TimerId: 0, FireAt: "2024-01-02T00:00:00.000Z" },
    ];
    const failed = (await invoker.invokeOrchestrator("Throws", orchestrationPayload("i2", timerFired))) as {
      isDone: boolean;
      error: string;
    };
    expect(failed.error).toBe("orchestrator broke");
    expect(records.some((r) => r.instanceId === "i1" && r.functionName === "SayHello")).toBe(true);
  });

  it("rejects registrations after startup", () => {
    lockRegistrations();
    expect(() => app.generic("Late", { trigger: { type: "activityTrigger", name: "t" }, handler: () => 1 })).toThrow(/during app startup/);
  });
});
