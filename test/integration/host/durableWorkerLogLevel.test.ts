// A durable worker writes only the records its host's sink keeps: with a sink whose minLevel is "information" (npm
// start's stdout sink, bench:scale's discarding one), the ≈ 580 debug records of a 10-step job — function.executing
// and .succeeded of every episode and activity — are neither built in the worker nor sent to the main thread.
import type { HostLogRecord, LogSink } from "../../../local/host/log";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./hostHelpers";

let t: TestHost;
const kept: HostLogRecord[] = [];

beforeAll(async () => {
  const sink: LogSink = Object.assign((r: HostLogRecord) => void kept.push(r), { minLevel: "information" as const });
  t = await startTestHost({
    durableWorkers: 1,
    logSink: sink,
    settings: { TICK_SCHEDULE: "0 0 0 1 1 *", FLAKY_QUEUE: "flaky-jobs", HOSTAPP_HUB: "loglevelhub" },
  });
});
afterAll(async () => {
  await t?.host.stop();
});

describe("durable worker log level", () => {
  it("builds no record below the host sink's minLevel in the worker, and still forwards the rest", async () => {
    const engine = t.host.engine;
    if (!engine) throw new Error("engine missing");
    const timersBefore = t.clock.pendingTimerCount(); // the fixture's yearly timer triggers
    const id = await engine.startNew("Sleeper", { instanceId: "sleeper-levels", inputJson: "1000" });
    // Its activity sleeps on the virtual clock (served by the main thread): wake it once it is asleep.
    for (let i = 0; i < 1_000 && t.clock.pendingTimerCount() === timersBefore; i++) await new Promise((r) => setTimeout(r, 10));
    await t.clock.advanceBy(1000);
    const record = await engine.waitForInstance(id, ["Completed", "Failed"]);
    expect([record.runtimeStatus, record.output]).toEqual(["Completed", JSON.stringify(t.clock.nowMs())]);
    expect(kept.filter((r) => r.level === "trace" || r.level === "debug").map((r) => r.event ?? r.message)).toEqual([]);
    // Records at information and above still arrive (a sink without minLevel gets the debug ones too:
    // durableWorkers.test.ts finds WorkerProbe's function.succeeded).
    expect(kept.filter((r) => r.event === "worker.started").length).toBe(1);
  });
});
