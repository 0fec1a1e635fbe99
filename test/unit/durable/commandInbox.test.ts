// Issue 11 §4: no external event lost by a long-running orchestration that races commands against timers, awaits
// activities between commands and trims its history with continueAsNew — run on the local host's engine with the
// durable-functions SDK's own replay. The naive pattern (re-yielding one waiter after a timer won) is shown losing
// events on the same engine, which is why orchestrations/commandInbox.ts exists.
import { describe, expect, it } from "vitest";
import type { OrchestrationContext, Task } from "durable-functions";
import { CommandInbox } from "../../../orchestrations/commandInbox";
import { makeEngine, type OrchestratorFn } from "./helpers";

interface Carried {
  handled: number;
  pending: number[];
  executions: number;
}

const PER_EXECUTION = 7;

/** Counts events; an activity after each; a 1-minute timer race; continueAsNew every PER_EXECUTION commands. */
const withInbox: OrchestratorFn = function* (context: OrchestrationContext) {
  const input = (context.df.getInput() as Carried | null) ?? { handled: 0, pending: [], executions: 0 };
  const inbox = new CommandInbox<number>(context, "cmd", input.pending);
  let handled = input.handled;
  let here = 0;
  for (;;) {
    let cmd = inbox.next();
    if (cmd === undefined) {
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
      const winner = (yield context.df.Task.any([inbox.waiter(), timer])) as Task;
      if (winner === timer) {
        if (handled >= 1000) return { handled, executions: input.executions + 1 };
        continue;
      }
      timer.cancel();
      cmd = inbox.next();
    }
    if (cmd === undefined) continue;
    if (cmd < 0) return { handled, executions: input.executions + 1 };
    handled += 1;
    here += 1;
    yield context.df.callActivity("Touch", cmd);
    if (here >= PER_EXECUTION) {
      inbox.drain();
      context.df.continueAsNew({ handled, pending: [...inbox.queue], executions: input.executions + 1 });
      return undefined;
    }
  }
};

/** The pattern clusterLifecycle used before: one waiter re-yielded in every Task.any until it wins. */
const naive: OrchestratorFn = function* (context: OrchestrationContext) {
  let handled = 0;
  let waiter = context.df.waitForExternalEvent("cmd");
  for (;;) {
    const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
    const winner = (yield context.df.Task.any([waiter, timer])) as Task;
    if (winner === timer) continue;
    timer.cancel();
    const cmd = waiter.result as number;
    waiter = context.df.waitForExternalEvent("cmd");
    if (cmd < 0) return { handled };
    handled += 1;
    yield context.df.callActivity("Touch", cmd);
  }
};

async function burst(t: Awaited<ReturnType<typeof makeEngine>>, id: string, from: number, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => t.engine.raiseEvent(id, "cmd", JSON.stringify(from + i))));
}

describe("CommandInbox on the local host", () => {
  it("handles every event of bursts across timer wins, activities and continueAsNew (pending ones carried over)", async () => {
    const touched: number[] = [];
    const t = await makeEngine({ WithInbox: withInbox }, { Touch: (n) => void touched.push(n as number) });
    await t.engine.startNew("WithInbox", { instanceId: "inbox" });
    await t.engine.runUntilIdle({ maxVirtualMs: 5 * 60_000 }); // the first timer wins a few times
    let sent = 0;
    for (const size of [10, 1, 25, 3, 17]) {
      await burst(t, "inbox", sent, size);
      sent += size;
      await t.engine.runUntilIdle({ maxVirtualMs: 3 * 60_000 });
    }
    await t.engine.raiseEvent("inbox", "cmd", "-1");
    await t.engine.runUntilIdle({ maxVirtualMs: 10 * 60_000 });
    const rec = t.engine.getInstance("inbox")!;
    expect(rec.runtimeStatus).toBe("Completed");
    const out = JSON.parse(rec.output!) as { handled: number; executions: number };
    expect(out.handled).toBe(sent);
    expect(out.executions).toBeGreaterThan(Math.floor(sent / PER_EXECUTION));
    expect([...touched].sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(t.engine.crossCheckFailures).toEqual([]);
  });

  it("the naive re-yielded waiter loses events of a burst that arrive while an activity runs", async () => {
    const t = await makeEngine({ Naive: naive }, { Touch: () => undefined });
    await t.engine.startNew("Naive", { instanceId: "naive" });
    await t.engine.runUntilIdle({ maxVirtualMs: 5 * 60_000 });
    await burst(t, "naive", 0, 10);
    await t.engine.runUntilIdle({ maxVirtualMs: 3 * 60_000 });
    await t.engine.raiseEvent("naive", "cmd", "-1");
    await t.engine.runUntilIdle({ maxVirtualMs: 10 * 60_000 });
    const rec = t.engine.getInstance("naive")!;
    const handled = rec.runtimeStatus === "Completed" ? (JSON.parse(rec.output!) as { handled: number }).handled : -1;
    expect(handled).toBeLessThan(10);
  });
});

describe("the local host at continueAsNew (DTFx parity)", () => {
  it("drops events the ended execution had received but not handled; keeps events raised during the episode", async () => {
    // Handles one event per execution, then continues as new without carrying anything.
    const oneEach: OrchestratorFn = function* (context: OrchestrationContext) {
      const seen = (context.df.getInput() as { seen: number } | null)?.seen ?? 0;
      const event = (yield context.df.waitForExternalEvent("cmd")) as number;
      if (event < 0) return { seen };
      context.df.continueAsNew({ seen: seen + 1 });
      return undefined;
    };
    const t = await makeEngine({ OneEach: oneEach });
    const base = t.invoker.orchestrator.bind(t.invoker);
    let raisedDuring = false;
    t.invoker.orchestrator = async (name, payload, options) => {
      const state = await base(name, payload, options);
      // Raised while the continuing episode runs: not part of its batch, so the next execution receives it.
      if ((state as { isDone: boolean }).isDone && !raisedDuring) {
        raisedDuring = true;
        void t.engine.raiseEvent("one", "cmd", "-1");
      }
      return state;
    };
    await t.engine.startNew("OneEach", { instanceId: "one" });
    await t.engine.runUntilIdle();
    // Three events in one batch: the first is handled, the other two die with the execution (as on Azure).
    await Promise.all([1, 2, 3].map((n) => t.engine.raiseEvent("one", "cmd", String(n))));
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("one")!;
    expect(rec.runtimeStatus).toBe("Completed");
    expect(JSON.parse(rec.output!)).toEqual({ seen: 1 });
  });

  it("CommandInbox.drain() keeps the events of that batch the SDK never read, and those no waiter took", async () => {
    // Handles one command per execution, then continues as new carrying what drain() found.
    const oneEachCarried: OrchestratorFn = function* (context: OrchestrationContext) {
      const input = (context.df.getInput() as { seen: number[]; pending: number[] } | null) ?? { seen: [], pending: [] };
      const inbox = new CommandInbox<number>(context, "cmd", input.pending);
      let cmd = inbox.next();
      while (cmd === undefined) {
        yield context.df.Task.any([inbox.waiter()]);
        cmd = inbox.next();
      }
      if (cmd < 0) return { seen: input.seen };
      inbox.drain();
      context.df.continueAsNew({ seen: [...input.seen, cmd], pending: [...inbox.queue] });
      return undefined;
    };
    const t = await makeEngine({ OneEachCarried: oneEachCarried });
    await t.engine.startNew("OneEachCarried", { instanceId: "carried" });
    await t.engine.runUntilIdle();
    // One batch: the first resumes the orchestrator, which continues as new before the SDK reads the other two.
    await Promise.all([1, 2, 3].map((n) => t.engine.raiseEvent("carried", "cmd", String(n))));
    await t.engine.runUntilIdle();
    await t.engine.raiseEvent("carried", "cmd", "-1");
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("carried")!;
    expect(rec.runtimeStatus).toBe("Completed");
    expect(JSON.parse(rec.output!)).toEqual({ seen: [1, 2, 3] });
  });
});
