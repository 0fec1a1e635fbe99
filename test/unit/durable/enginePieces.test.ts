// The pieces split out of engineCore.ts, tested alone: the activity pool's concurrency limit and FIFO order, the
// durable timers (a due timer fires at once, cancel and stop disarm), the lost-episode policy (4 abandons, the
// 5th loss fails; a committed episode starts the count over), and the completion a finished child owes its parent.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { ActivityPool, type ActivityWork } from "../../../local/host/durable/activityPool";
import { DurableTimers } from "../../../local/host/durable/durableTimers";
import { subOrchestrationCompletion } from "../../../local/host/durable/events";
import { isWorkerLost, LostEpisodes, MAX_LOST_EPISODES } from "../../../local/host/durable/lostEpisodes";
import { EventType, type InstanceRecord } from "../../../local/host/durable/types";

const work = (n: number): ActivityWork => ({ instanceId: "i", executionId: "e", taskScheduledId: n, name: "A", input: n });

describe("ActivityPool", () => {
  it("runs at most the limit at once, in FIFO order, and starts nothing after stop()", async () => {
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const tracked: Promise<unknown>[] = [];
    const pool = new ActivityPool(
      2,
      (w) => {
        started.push(w.taskScheduledId);
        return new Promise<void>((resolve) => finish.set(w.taskScheduledId, resolve));
      },
      (p) => tracked.push(p),
    );
    for (const n of [1, 2, 3, 4]) pool.enqueue(work(n));
    expect([started, pool.queued]).toEqual([[1, 2], 2]);
    finish.get(1)?.();
    await tracked[0];
    expect([started, pool.queued]).toEqual([[1, 2, 3], 1]);
    pool.stop();
    finish.get(2)?.();
    await tracked[1];
    expect([started, pool.queued]).toEqual([[1, 2, 3], 1]);
    expect(
      () =>
        new ActivityPool(
          0,
          async () => undefined,
          () => undefined,
        ),
    ).toThrow("maxConcurrentActivities must be >= 1");
  });
});

describe("DurableTimers", () => {
  it("fires a due timer at once, others when the clock gets there; cancel and stop disarm", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 1_000 });
    const timers = new DurableTimers(clock);
    const fired: string[] = [];
    timers.arm("i", 1, 1_000, () => fired.push("i/1"));
    expect(fired).toEqual(["i/1"]); // synchronously: no untracked gap before it counts as work
    timers.arm("i", 2, 5_000, () => fired.push("i/2"));
    timers.arm("j", 1, 5_000, () => fired.push("j/1"));
    timers.arm("k", 1, 5_000, () => fired.push("k/1"));
    timers.cancel("j");
    await clock.advanceTo(5_000);
    expect(fired.sort()).toEqual(["i/1", "i/2", "k/1"]);
    timers.arm("i", 3, 9_000, () => fired.push("i/3"));
    timers.stop();
    timers.arm("i", 4, 9_000, () => fired.push("i/4"));
    await clock.advanceTo(10_000);
    expect(fired).not.toContain("i/3");
    expect(fired).not.toContain("i/4");
  });
});

describe("LostEpisodes", () => {
  it("abandons 4 losses in a row, fails on the 5th, and starts over after a commit", () => {
    const events: string[] = [];
    const lost = new LostEpisodes({ event: (name) => events.push(name) });
    const err = Object.assign(new Error("worker 1 exited"), { name: "WorkerLostError" });
    expect(isWorkerLost(err)).toBe(true);
    expect(isWorkerLost(new Error("boom"))).toBe(false);
    expect(isWorkerLost({ name: "WorkerLostError" })).toBe(false);
    const answers = Array.from({ length: MAX_LOST_EPISODES }, () => lost.abandon("i", err));
    expect(answers).toEqual([true, true, true, true, false]);
    expect(events).toEqual(Array(4).fill("durable.episodeAbandoned"));
    lost.abandon("i", err);
    lost.settled("i");
    expect(Array.from({ length: 4 }, () => lost.abandon("i", err))).toEqual([true, true, true, true]);
  });
});

describe("subOrchestrationCompletion", () => {
  const child = (fields: Partial<InstanceRecord>): InstanceRecord =>
    ({ instanceId: "c", parent: { instanceId: "p", executionId: "x", taskScheduledId: 7 }, ...fields }) as InstanceRecord;

  it("is the child's output, its failure reason, or nothing for a running or top-level instance", () => {
    const done = subOrchestrationCompletion(child({ runtimeStatus: "Completed", output: '{"a":1}' }), 0);
    expect([done?.EventType, done?.TaskScheduledId, done?.Result]).toEqual([EventType.SubOrchestrationInstanceCompleted, 7, '{"a":1}']);
    const failed = subOrchestrationCompletion(child({ runtimeStatus: "Failed", output: JSON.stringify("it broke") }), 0, "stack");
    expect([failed?.EventType, failed?.Reason, failed?.Details]).toEqual([EventType.SubOrchestrationInstanceFailed, "it broke", "stack"]);
    const terminated = subOrchestrationCompletion(child({ runtimeStatus: "Terminated", output: null }), 0);
    expect([terminated?.Reason, terminated?.Details]).toEqual(["Orchestration 'c' Terminated", ""]);
    expect(subOrchestrationCompletion(child({ runtimeStatus: "Running" }), 0)).toBeUndefined();
    expect(subOrchestrationCompletion({ ...child({ runtimeStatus: "Completed" }), parent: undefined }, 0)).toBeUndefined();
  });
});
