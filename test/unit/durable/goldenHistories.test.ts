// Golden histories: the scenarios of durable-functions' own test corpus (test/testobjects/TestOrchestrations.ts
// + testhistories.ts in Azure/azure-functions-durable-js), driven through the real SDK replay by the engine.
// Each test checks the history the engine wrote (event types and sequence ids, episode by episode), the
// actions the SDK returned, the output, and that the SDK's openTasks agreed with the host's ids.
import * as df from "durable-functions";
import { describe, expect, it } from "vitest";
import { makeEngine, shape, T0, type OrchestratorFn } from "./helpers";

const sayHelloWithActivity: OrchestratorFn = function* (context) {
  return yield context.df.callActivity("Hello", context.df.getInput());
};
const hello = (input: unknown): string => `Hello, ${String(input)}!`;

describe("golden histories", () => {
  it("SayHelloWithActivity: one activity, result passed through", async () => {
    const t = await makeEngine({ SayHelloWithActivity: sayHelloWithActivity }, { Hello: hello });
    const id = await t.engine.startNew("SayHelloWithActivity", { instanceId: "i1", inputJson: JSON.stringify("World") });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance(id)!;
    expect(rec.runtimeStatus).toBe("Completed");
    expect(JSON.parse(rec.output!)).toBe("Hello, World!");
    expect(shape(rec.history)).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled#0",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskCompleted→0",
      "OrchestratorCompleted",
      "ExecutionCompleted",
    ]);
    expect(t.invoker.states[0].state.actions).toEqual([[{ functionName: "Hello", actionType: 0, input: '"World"' }]]);
    expect(rec.history[2].Input).toBe(JSON.stringify('"World"'));
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("SayHelloWithActivityRetry: two failed attempts → retry timer, dummy timer, failure with the Reason shape", async () => {
    let calls = 0;
    const orchestrator: OrchestratorFn = function* (context) {
      return yield context.df.callActivityWithRetry("Hello", new df.RetryOptions(10000, 2), context.df.getInput());
    };
    const t = await makeEngine(
      { Retry: orchestrator },
      {
        Hello: () => {
          calls++;
          throw new Error("Result: Failure");
        },
      },
    );
    await t.engine.startNew("Retry", { instanceId: "r1", inputJson: '"World"' });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("r1")!;
    expect(calls).toBe(2);
    expect(shape(rec.history)).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled#0",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskFailed→0",
      "TimerCreated#1",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TimerFired→1",
      "TaskScheduled#2",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskFailed→2",
      "TimerCreated#3",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TimerFired→3",
      "OrchestratorCompleted",
      "ExecutionCompleted",
    ]);
    const retryTimer = rec.history[6];
    expect(Date.parse(retryTimer.FireAt!) - Date.parse(retryTimer.Timestamp)).toBe(10000);
    const dummyTimer = rec.history[14];
    expect(dummyTimer.FireAt).toBe(dummyTimer.Timestamp); // last attempt: fires at once (DTFx back-compat)
    expect(rec.history[5].Reason).toBe("Activity function 'Hello' failed: Result: Failure");
    expect(rec.runtimeStatus).toBe("Failed");
    expect(JSON.parse(rec.output!)).toMatch(/^Orchestrator function 'Retry' failed: Activity function 'Hello' failed: Result: Failure \n /);
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("SayHelloWithActivityRetryFanout: retry ids are allocated in history order across parallel tasks", async () => {
    let tokyoCalls = 0;
    const orchestrator: OrchestratorFn = function* (context) {
      const retry = new df.RetryOptions(100, 5);
      return yield context.df.Task.all([
        context.df.callActivityWithRetry("Hello", retry, "Tokyo"),
        context.df.callActivityWithRetry("Hello", retry, "Seattle"),
      ]);
    };
    const t = await makeEngine(
      { Fanout: orchestrator },
      {
        Hello: (input) => {
          if (input === "Tokyo" && tokyoCalls++ === 0) throw new Error("Result: Failure");
          return hello(input);
        },
      },
      { maxConcurrentActivities: 1 },
    );
    await t.engine.startNew("Fanout", { instanceId: "f1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("f1")!;
    expect(JSON.parse(rec.output!)).toEqual(["Hello, Tokyo!", "Hello, Seattle!"]);
    const scheduling = shape(rec.history).filter((s) => s.includes("#"));
    expect(scheduling).toEqual(["TaskScheduled#0", "TaskScheduled#1", "TimerCreated#2", "TaskScheduled#3"]);
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("WaitOnTimer + currentUtcDateTime: the virtual clock drives OrchestratorStarted", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const start = context.df.currentUtcDateTime.toISOString();
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
      return [start, context.df.currentUtcDateTime.toISOString()];
    };
    const t = await makeEngine({ Timer: orchestrator });
    await t.engine.startNew("Timer", { instanceId: "t1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("t1")!;
    expect(JSON.parse(rec.output!)).toEqual([new Date(T0).toISOString(), new Date(T0 + 3_600_000).toISOString()]);
    expect(shape(rec.history)).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TimerCreated#0",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TimerFired→0",
      "OrchestratorCompleted",
      "ExecutionCompleted",
    ]);
  });

  it("long timer (10 days): split into 3-day intervals like the extension, SDK ids agree", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * 86_400_000));
      return context.df.currentUtcDateTime.toISOString();
    };
    const t = await makeEngine({ Long: orchestrator });
    await t.engine.startNew("Long", { instanceId: "l1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("l1")!;
    expect(JSON.parse(rec.output!)).toBe(new Date(T0 + 10 * 86_400_000).toISOString());
    const fireDays = rec.history.filter((e) => e.EventType === 10).map((e) => (Date.parse(e.FireAt!) - T0) / 86_400_000);
    expect(fireDays).toEqual([3, 6, 9, 10]);
    expect(t.invoker.states[0].state.actions[0]).toHaveLength(1); // the SDK reports one CreateTimer action
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("WaitForExternalEvent: buffered events are delivered in order", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const a = yield context.df.waitForExternalEvent("e");
      const b = yield context.df.waitForExternalEvent("e");
      const greeting = yield context.df.callActivity("Hello", `${a}+${b}`);
      return greeting;
    };
    const t = await makeEngine({ Events: orchestrator }, { Hello: hello });
    await t.engine.startNew("Events", { instanceId: "e1" });
    await t.engine.raiseEvent("e1", "e", "1");
    await t.engine.raiseEvent("e1", "e", "2");
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("e1")!;
    expect(JSON.parse(rec.output!)).toBe("Hello, 1+2!");
  });

  it("sub-orchestrations: explicit and default child ids, parent notified", async () => {
    const parent: OrchestratorFn = function* (context) {
      const a = yield context.df.callSubOrchestrator("SayHelloWithActivity", "Tokyo", `${context.df.instanceId}:0`);
      const b = yield context.df.callSubOrchestrator("SayHelloWithActivity", "Seattle");
      return [a, b];
    };
    const t = await makeEngine({ Parent: parent, SayHelloWithActivity: sayHelloWithActivity }, { Hello: hello });
    await t.engine.startNew("Parent", { instanceId: "p1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("p1")!;
    expect(JSON.parse(rec.output!)).toEqual(["Hello, Tokyo!", "Hello, Seattle!"]);
    expect(t.engine.getInstance("p1:0")!.parent).toEqual({ instanceId: "p1", executionId: "exec1", taskScheduledId: 0 });
    expect(t.engine.getInstance("exec1:1")!.runtimeStatus).toBe("Completed"); // DTFx default: {executionId}:{seq}
    expect(shape(rec.history)).toContain("SubOrchestrationInstanceCompleted→1");
  });

  it("sub-orchestration with retry: a failing child is re-created with the same id", async () => {
    let attempts = 0;
    const child: OrchestratorFn = function* (context) {
      yield context.df.callActivity("Count");
      if (attempts < 2) throw new Error("child failed");
      return `ok after ${attempts}`;
    };
    const parent: OrchestratorFn = function* (context) {
      return yield context.df.callSubOrchestratorWithRetry("Child", new df.RetryOptions(1000, 3), null, "child-1");
    };
    const t = await makeEngine({ Parent: parent, Child: child }, { Count: () => ++attempts });
    await t.engine.startNew("Parent", { instanceId: "p2" });
    await t.engine.runUntilIdle();
    expect(JSON.parse(t.engine.getInstance("p2")!.output!)).toBe("ok after 2");
    const failed = t.engine.getInstance("p2")!.history.find((e) => e.EventType === 9)!;
    expect(failed.Reason).toBe("Orchestrator function 'Child' failed: child failed");
  });

  it("FanOutFanIn: parallel activities, Task.all result order", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const files: string[] = yield context.df.callActivity("GetFileList", "C:\\Dev");
      const sizes: number[] = yield context.df.Task.all(files.map((f) => context.df.callActivity("GetFileSize", f)));
      return sizes.reduce((a, b) => a + b, 0);
    };
    const t = await makeEngine(
      { FanOut: orchestrator },
      {
        GetFileList: () => ["a", "bb", "ccc"],
        GetFileSize: (f) => String(f).length * 100,
      },
    );
    await t.engine.startNew("FanOut", { instanceId: "fo" });
    await t.engine.runUntilIdle();
    expect(JSON.parse(t.engine.getInstance("fo")!.output!)).toBe(600);
    expect(shape(t.engine.getInstance("fo")!.history).filter((s) => s.includes("#"))).toEqual([
      "TaskScheduled#0",
      "TaskScheduled#1",
      "TaskScheduled#2",
      "TaskScheduled#3",
    ]);
  });

  it("TimerActivityRace (Task.any with a timer): activity wins, next id follows the timer's", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
      const a = context.df.callActivity("TaskA");
      const winner = yield context.df.Task.any([timer, a]);
      if (winner === a) {
        timer.cancel();
        return yield context.df.callActivity("TaskB");
      }
      return "Timer finished";
    };
    const t = await makeEngine({ Race: orchestrator }, { TaskA: () => "A", TaskB: () => "B" });
    await t.engine.startNew("Race", { instanceId: "race" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("race")!;
    expect(JSON.parse(rec.output!)).toBe("B");
    expect(shape(rec.history).filter((s) => s.includes("#"))).toEqual(["TimerCreated#0", "TaskScheduled#1", "TaskScheduled#2"]);
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("TimerActivityRace: timer wins when the activity is slow (waits on an event)", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
      const winner = yield context.df.Task.any([timer, context.df.waitForExternalEvent("never")]);
      return winner === timer ? "Timer finished" : "event";
    };
    const t = await makeEngine({ Race: orchestrator });
    await t.engine.startNew("Race", { instanceId: "race2" });
    await t.engine.runUntilIdle();
    expect(JSON.parse(t.engine.getInstance("race2")!.output!)).toBe("Timer finished");
  });

  it("ContinueAsNewCounter: new executions with fresh history; events raised meanwhile are carried over", async () => {
    const orchestrator: OrchestratorFn = function* (context) {
      const value = ((context.df.getInput() as { value?: number } | null)?.value ?? 0) + 1;
      if (value < 3) {
        yield context.df.waitForExternalEvent("next");
        context.df.continueAsNew({ value });
        return value;
      }
      return value;
    };
    const t = await makeEngine({ Counter: orchestrator });
    const base = t.invoker.orchestrator.bind(t.invoker);
    t.invoker.orchestrator = async (name, payload, options) => {
      const state = await base(name, payload, options);
      // Raised while an episode is running: must reach the next execution, not be lost with this one.
      if ((state as { isDone: boolean }).isDone) void t.engine.raiseEvent("c1", "next", "null");
      return state;
    };
    await t.engine.startNew("Counter", { instanceId: "c1" });
    await t.engine.raiseEvent("c1", "next", "null");
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("c1")!;
    expect(rec.runtimeStatus).toBe("Completed");
    expect(JSON.parse(rec.output!)).toBe(3);
    expect(rec.executionId).toBe("exec3");
    expect(JSON.parse(rec.input!)).toEqual({ value: 2 });
    expect(shape(rec.history)[1]).toBe("ExecutionStarted");
  });

  it("failures: activity failure uncaught → Failed; caught → continues; inline throw → Failed", async () => {
    const t = await makeEngine(
      {
        Uncaught: function* (context) {
          yield context.df.callActivity("ThrowsErrorActivity");
        },
        Caught: function* (context) {
          try {
            yield context.df.callActivity("ThrowsErrorActivity");
          } catch {
            return yield context.df.callActivity("Hello", context.df.getInput());
          }
        },
        // eslint-disable-next-line require-yield -- the SDK test orchestration throws before its first yield
        Inline: function* () {
          throw new Error("Exception from Orchestrator");
        },
      },
      {
        ThrowsErrorActivity: () => {
          throw new Error("Activity error");
        },
        Hello: hello,
      },
    );
    await t.engine.startNew("Uncaught", { instanceId: "u" });
    await t.engine.startNew("Caught", { instanceId: "c", inputJson: '"World"' });
    await t.engine.startNew("Inline", { instanceId: "in" });
    await t.engine.runUntilIdle();
    expect(t.engine.getInstance("u")!.runtimeStatus).toBe("Failed");
    expect(JSON.parse(t.engine.getInstance("u")!.output!)).toMatch(
      /^Orchestrator function 'Uncaught' failed: Activity function 'ThrowsErrorActivity' failed: Activity error \n /,
    );
    expect(JSON.parse(t.engine.getInstance("c")!.output!)).toBe("Hello, World!");
    expect(JSON.parse(t.engine.getInstance("in")!.output!)).toBe("Orchestrator function 'Inline' failed: Exception from Orchestrator");
  });

  it("custom status is kept from the latest episode", async () => {
    const t = await makeEngine(
      {
        Status: function* (context) {
          yield context.df.callActivity("Hello", "Tokyo");
          context.df.setCustomStatus({ city: "Tokyo" });
          yield context.df.waitForExternalEvent("go");
          return "done";
        },
      },
      { Hello: hello },
    );
    await t.engine.startNew("Status", { instanceId: "s" });
    await t.engine.runUntilIdle();
    expect(JSON.parse(t.engine.getInstance("s")!.customStatus!)).toEqual({ city: "Tokyo" });
  });
});
