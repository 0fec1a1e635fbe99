// Engine behaviour beyond single scenarios: non-determinism, control operations, dropped messages, purge and
// query, restart from a store, concurrency limits and per-instance serialization.
import { describe, expect, it } from "vitest";
import { MemoryInstanceStore } from "../../../local/host/durable/store";
import { directInvoker, makeEngine, type OrchestratorFn } from "./helpers";

describe("DurableEngine", () => {
  it("reports non-determinism with the instance id and the mismatch", async () => {
    let replays = 0;
    const fickle: OrchestratorFn = function* (context) {
      const name = replays++ === 0 ? "A" : "B"; // changes its actions between replays
      yield context.df.callActivity(name);
      return "never";
    };
    const t = await makeEngine({ Fickle: fickle }, { A: () => 1, B: () => 2 });
    await t.engine.startNew("Fickle", { instanceId: "nd-1" });
    await t.engine.runUntilIdle();
    const rec = t.engine.getInstance("nd-1")!;
    expect(rec.runtimeStatus).toBe("Failed");
    const message = JSON.parse(rec.output!) as string;
    expect(message).toContain("Non-Deterministic workflow detected");
    expect(message).toContain("'nd-1'");
    expect(message).toContain("an activity task named 'A' with sequence number 0");
    expect(message).toContain("an activity task named 'B'");
  });

  it("fires a timer that is already due as tracked work: waitForIdle() covers it, the clock never moves", async () => {
    const t = await makeEngine(
      {
        Flush: function* (context) {
          // A zero-length timer, as CommandInbox.drain() makes before continueAsNew.
          yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime()));
          return yield context.df.callActivity("After");
        },
      },
      { After: () => "done" },
    );
    const before = t.clock.nowMs();
    await t.engine.startNew("Flush", { instanceId: "due-now" });
    await t.engine.waitForIdle();
    expect(t.engine.getInstance("due-now")!.runtimeStatus).toBe("Completed");
    expect(JSON.parse(t.engine.getInstance("due-now")!.output!)).toBe("done");
    expect(t.clock.nowMs()).toBe(before);
    expect(t.clock.pendingTimerCount()).toBe(0);
  });

  it("terminate: status Terminated with the reason as output; later messages are dropped", async () => {
    const t = await makeEngine({
      Wait: function* (context) {
        return yield context.df.waitForExternalEvent("x");
      },
    });
    await t.engine.startNew("Wait", { instanceId: "w" });
    await t.engine.runUntilIdle();
    expect(await t.engine.terminate("w", "enough")).toBe("accepted");
    expect(t.engine.getInstance("w")!.runtimeStatus).toBe("Terminated");
    expect(JSON.parse(t.engine.getInstance("w")!.output!)).toBe("enough");
    expect(await t.engine.raiseEvent("w", "x", "1")).toBe("gone");
    expect(await t.engine.terminate("w")).toBe("gone");
    expect(await t.engine.terminate("missing")).toBe("notFound");
  });

  it("suspend buffers events, resume processes them", async () => {
    const t = await makeEngine({
      Wait: function* (context) {
        return yield context.df.waitForExternalEvent("x");
      },
    });
    await t.engine.startNew("Wait", { instanceId: "s" });
    await t.engine.runUntilIdle();
    expect(await t.engine.suspend("s", "pause")).toBe("accepted");
    await t.engine.raiseEvent("s", "x", '"v"');
    await t.engine.runUntilIdle();
    expect(t.engine.getInstance("s")!.runtimeStatus).toBe("Suspended");
    await t.engine.resume("s", "go");
    await t.engine.waitForInstance("s", "Completed");
    expect(JSON.parse(t.engine.getInstance("s")!.output!)).toBe("v");
    const types = t.engine.getInstance("s")!.history.map((e) => e.EventType);
    expect(types).toContain(19);
    expect(types).toContain(20);
  });

  it("a second start of a running id is a conflict; a finished id can be restarted", async () => {
    const t = await makeEngine({
      Wait: function* (context) {
        return yield context.df.waitForExternalEvent("x");
      },
    });
    await t.engine.startNew("Wait", { instanceId: "dup" });
    await expect(t.engine.startNew("Wait", { instanceId: "dup" })).rejects.toMatchObject({ name: "ConflictError" });
    await t.engine.raiseEvent("dup", "x", "1");
    await t.engine.waitForInstance("dup", "Completed");
    await t.engine.startNew("Wait", { instanceId: "dup" });
    expect(t.engine.getInstance("dup")!.runtimeStatus).toBe("Pending");
    await expect(t.engine.startNew("Nope")).rejects.toMatchObject({ name: "ValidationError" });
  });

  it("query by status/prefix/time and purge (one and by filter)", async () => {
    const t = await makeEngine({
      Done: function* () {
        yield* [];
        return 1;
      },
    });
    for (const id of ["job-1", "job-2", "other-1"]) await t.engine.startNew("Done", { instanceId: id });
    await t.engine.runUntilIdle();
    expect(t.engine.query({ instanceIdPrefix: "job-" }).map((r) => r.instanceId)).toEqual(["job-1", "job-2"]);
    expect(t.engine.query({ runtimeStatus: ["Running"] })).toEqual([]);
    expect(await t.engine.purge("job-1")).toBe(1);
    expect(await t.engine.purge("job-1")).toBe(0);
    expect(await t.engine.purgeWhere({ createdTimeFromMs: 0, runtimeStatus: ["Completed"] })).toBe(2);
    expect(t.engine.query()).toEqual([]);
  });

  it("resumes from the store after a stop: pending activities re-run, completed ones never again", async () => {
    const store = new MemoryInstanceStore();
    const runs: Record<string, number> = {};
    const activities = {
      Step: (n: unknown) => {
        runs[String(n)] = (runs[String(n)] ?? 0) + 1;
        return n;
      },
    };
    const seq: OrchestratorFn = function* (context) {
      const out: unknown[] = [];
      for (let i = 1; i <= 4; i++) {
        out.push(yield context.df.callActivity("Step", i));
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
      }
      return out;
    };
    const first = await makeEngine({ Seq: seq }, activities, { store });
    await first.engine.startNew("Seq", { instanceId: "seq" });
    await first.engine.waitForIdle();
    await first.clock.advanceBy(60_000);
    await first.engine.waitForIdle();
    first.engine.stop(); // "crash": the timer armed for step 2 is gone with the process
    const second = await makeEngine({ Seq: seq }, activities, { store, clock: first.clock });
    await second.engine.runUntilIdle();
    expect(second.engine.getInstance("seq")!.runtimeStatus).toBe("Completed");
    expect(runs).toEqual({ 1: 1, 2: 1, 3: 1, 4: 1 });
  });

  it("limits concurrent activities and never runs two episodes of one instance at once", async () => {
    let running = 0;
    let peak = 0;
    const slow = async (): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return 1;
    };
    const fan: OrchestratorFn = function* (context) {
      const results: number[] = yield context.df.Task.all(Array.from({ length: 12 }, () => context.df.callActivity("Slow")));
      return results.length;
    };
    const invoker = directInvoker({ Fan: fan }, { Slow: slow });
    const inEpisode = new Set<string>();
    let overlap = false;
    const base = invoker.orchestrator.bind(invoker);
    invoker.orchestrator = async (name, payload, options) => {
      const id = options?.instanceId ?? "";
      if (inEpisode.has(id)) overlap = true;
      inEpisode.add(id);
      await new Promise((r) => setTimeout(r, 1));
      try {
        return await base(name, payload, options);
      } finally {
        inEpisode.delete(id);
      }
    };
    const t = await makeEngine({}, {}, { invoker, maxConcurrentActivities: 3 });
    await Promise.all(["a", "b"].map((id) => t.engine.startNew("Fan", { instanceId: id })));
    await t.engine.runUntilIdle();
    expect(t.engine.getInstance("a")!.output).toBe("12");
    expect(peak).toBe(3);
    expect(overlap).toBe(false);
  });
});
