import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./hostHelpers";

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}
interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
}

let t: TestHost;
beforeAll(async () => {
  // A yearly tick: runUntilIdle jumps through every pending clock timer, timer triggers included.
  t = await startTestHost({ settings: { TICK_SCHEDULE: "0 0 0 1 1 *", FLAKY_QUEUE: "flaky-jobs", HOSTAPP_HUB: "hostapphub" } });
});
afterAll(async () => {
  await t?.host.stop();
});

describe("local host + Durable engine", () => {
  it("serves a df.app.client.http starter: 202 with working status URLs; the orchestration completes on the virtual clock", async () => {
    const engine = t.host.engine;
    if (!engine) throw new Error("engine missing");
    const res = await fetch(`${t.host.url}/api/greetings/Tokyo`, { method: "POST" });
    expect(res.status).toBe(202);
    const payload = (await res.json()) as CheckStatus;
    expect(res.headers.get("location")).toBe(payload.statusQueryGetUri);
    expect(payload.statusQueryGetUri.startsWith(`${t.host.url}/runtime/webhooks/durabletask/instances/${payload.id}?`)).toBe(true);
    expect(payload.statusQueryGetUri).toContain(`code=${encodeURIComponent(t.host.keys.durableSystemKey)}`);
    expect(t.logs.some((r) => r.functionName === "StartGreeting" && r.message === `started ${payload.id}`)).toBe(true);

    await engine.waitForIdle();
    const running = await fetch(payload.statusQueryGetUri);
    expect(running.status).toBe(202); // still waiting on its 1-hour durable timer
    expect(((await running.json()) as Status).runtimeStatus).toBe("Running");

    await engine.runUntilIdle({ maxVirtualMs: 2 * 3_600_000 });
    const done = await fetch(payload.statusQueryGetUri);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({
      name: "GreetAndWait",
      instanceId: payload.id,
      runtimeStatus: "Completed",
      input: "Tokyo",
      output: "Hello, Tokyo! (after 1h)",
    });
    expect(t.logs.some((r) => r.functionName === "Greet" && r.instanceId === payload.id)).toBe(true);
  });

  it("protects the webhook API with the system key", async () => {
    const noKey = await fetch(`${t.host.url}/runtime/webhooks/durabletask/instances/whatever`);
    expect(noKey.status).toBe(401);
    const hostKey = await fetch(`${t.host.url}/runtime/webhooks/durabletask/instances/whatever?code=${t.host.keys.hostKeys[0]}`);
    expect(hostKey.status).toBe(401);
    const unknown = await fetch(
      `${t.host.url}/runtime/webhooks/durabletask/instances/whatever?code=${encodeURIComponent(t.host.keys.durableSystemKey)}`,
    );
    expect(unknown.status).toBe(404);
  });
});
