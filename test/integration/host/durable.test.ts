import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./hostHelpers";

let t: TestHost;
beforeAll(async () => {
  // A yearly tick: runUntilIdle jumps through every pending clock timer, timer triggers included.
  t = await startTestHost({ settings: { TICK_SCHEDULE: "0 0 0 1 1 *", FLAKY_QUEUE: "flaky-jobs", HOSTAPP_HUB: "hostapphub" } });
});
afterAll(async () => {
  await t?.host.stop();
});

describe("local host + Durable engine", () => {
  it("runs an orchestration with an activity and a durable timer on the virtual clock", async () => {
    const engine = t.host.engine;
    if (!engine) throw new Error("engine missing");
    const id = await engine.startNew("GreetAndWait", { inputJson: JSON.stringify("Tokyo") });
    await engine.runUntilIdle({ maxVirtualMs: 2 * 3_600_000 });
    const record = engine.getInstance(id);
    expect(record?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(record?.output as string)).toBe("Hello, Tokyo! (after 1h)");
    expect(t.logs.some((r) => r.functionName === "Greet" && r.instanceId === id)).toBe(true);
  });
});
