// The local host with durable workers on (`durableWorkers: 2`): orchestrator episodes and activities run in
// worker threads with their own copy of the fixture app, while the engine, the clock and the HTTP functions stay
// on the main thread. Checks each bridge: the virtual clock (read and slept on), events, the durable client,
// log records, and a worker that dies mid-invocation (activity retried by its policy, episode run again).
import { mkdtempSync, rmSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import * as path from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEmbeddedRuntime } from "../../../functions/runtime/embedded";
import type { CloudEvent } from "../../../shared/cloud/events";
import { START_MS, startTestHost, type TestHost } from "./hostHelpers";
import { VirtualClock } from "../../../local/clock/virtualClock";

let t: TestHost;
let markerDir: string;
/** This (the host's main) thread's nice value before the host started its workers. */
let mainNice: number;
const published: CloudEvent[] = [];

beforeAll(async () => {
  markerDir = mkdtempSync(path.join(tmpdir(), "jobflow-workers-"));
  const clock = new VirtualClock({ mode: "manual", startMs: START_MS });
  registerEmbeddedRuntime({ clock, events: { publish: async (events) => void published.push(...events) } });
  mainNice = getPriority(0);
  t = await startTestHost({
    clock,
    durableWorkers: 2,
    settings: { TICK_SCHEDULE: "0 0 0 1 1 *", FLAKY_QUEUE: "flaky-jobs", HOSTAPP_HUB: "workershub", WORKER_MARKER_DIR: markerDir },
  });
});
afterAll(async () => {
  await t?.host.stop();
  registerEmbeddedRuntime(undefined);
  rmSync(markerDir, { recursive: true, force: true });
});

function engine(): NonNullable<TestHost["host"]["engine"]> {
  const e = t.host.engine;
  if (!e) throw new Error("engine missing");
  return e;
}

describe("local host with durable workers", () => {
  it("runs episodes and activities in worker threads, with the clock, events, durable client and logs bridged", async () => {
    expect(t.host.durableWorkers?.size).toBe(2);
    await t.clock.advanceBy(90_000); // the mirrored clock follows the manual clock
    const id = await engine().startNew("WorkerProbe", { instanceId: "probe-1" });
    await engine().runUntilIdle({ maxVirtualMs: 3 * 3_600_000 });
    const record = await engine().waitForInstance(id, ["Completed", "Failed"]);
    expect(record.runtimeStatus).toBe("Completed");
    const output = JSON.parse(record.output ?? "null") as {
      where: { threadId: number; clockNowMs: number };
      published: string;
      started: string;
      retried: string;
      orchestratorThreadId: number;
    };
    expect(output.where.threadId).not.toBe(threadId);
    expect(output.orchestratorThreadId).not.toBe(threadId);
    expect(output.where.clockNowMs).toBe(START_MS + 90_000);
    expect(published).toEqual([{ id, type: "hostapp.probe", subject: `probes/${id}` }]);
    // The activity's durable client started an orchestration on this host; it ran to completion (1 h timer).
    expect(engine().getInstance(output.started)?.runtimeStatus).toBe("Completed");
    // CrashOnce ended its worker the first time: the activity failed (transient), its retry ran on a new worker.
    expect(output.retried).toMatch(/^survived \d+$/);
    expect(t.host.durableWorkers?.stats.lost).toBe(1);
    expect(t.host.durableWorkers?.size).toBe(2);
    expect(t.logs.some((r) => r.event === "worker.exited" && r.level === "error")).toBe(true);
    // Log records written in the workers reach the host's sink with their function and instance.
    const where = t.logs.find((r) => r.functionName === "WhereAmI" && r.category === "user");
    expect(where).toMatchObject({ instanceId: id, message: `where-am-i thread ${output.where.threadId}` });
    expect(t.logs.some((r) => r.functionName === "WorkerProbe" && r.event === "function.succeeded")).toBe(true);
  });

  it("runs the worker threads at a lower CPU priority than the main thread, which keeps its own (Linux)", async () => {
    // The replacement of the worker lost in the first test may still be loading the app.
    for (let i = 0; i < 1_000 && t.host.durableWorkers?.niceValues.length !== 2; i++) await new Promise((r) => setTimeout(r, 10));
    // On Linux setpriority(PRIO_PROCESS, 0) is per thread: the workers are 10 nicer, the API's thread unchanged.
    const expected = process.platform === "linux" ? Math.min(19, mainNice + 10) : null;
    expect(t.host.durableWorkers?.niceValues).toEqual([expected, expected]);
    expect(getPriority(0)).toBe(mainNice);
    expect(t.logs.filter((r) => r.event === "worker.started").map((r) => r.nice)).toContain(expected);
  });

  it("serves a worker's clock.sleep from the main clock: it ends when virtual time gets there", async () => {
    const timersBefore = t.clock.pendingTimerCount(); // the fixture's yearly timer triggers
    const id = await engine().startNew("Sleeper", { instanceId: "sleeper-1", inputJson: "600000" });
    const asleepAt = t.clock.nowMs();
    for (let i = 0; i < 1_000 && t.clock.pendingTimerCount() === timersBefore; i++) await new Promise((r) => setTimeout(r, 10));
    expect(t.clock.nextTimerAtMs()).toBe(asleepAt + 600_000);
    await t.clock.advanceBy(600_000);
    const record = await engine().waitForInstance(id, ["Completed", "Failed"]);
    expect(record.runtimeStatus).toBe("Completed");
    expect(JSON.parse(record.output ?? "null")).toBe(asleepAt + 600_000);
  });

  it("runs an episode again when its worker dies during it, and the instance completes", async () => {
    const lostBefore = t.host.durableWorkers?.stats.lost ?? 0;
    const id = await engine().startNew("CrashingOrchestrator", { instanceId: "crashing-1" });
    await engine().runUntilIdle({ maxVirtualMs: 60_000 });
    const record = await engine().waitForInstance(id, ["Completed", "Failed"]);
    expect(record.runtimeStatus).toBe("Completed");
    expect(JSON.parse(record.output ?? "null")).toBe("Hello, again!");
    expect(t.host.durableWorkers?.stats.lost).toBe(lostBefore + 1);
    expect(t.logs.some((r) => r.event === "durable.episodeAbandoned" && r.instanceId === id)).toBe(true);
  });
});
