// API priority on the real local host (local/host/foreground.ts): HTTP functions are foreground, orchestrator
// episodes and activities wait behind them; a request stream never starves them (the trickle), and between two
// requests they go one per event-loop turn. The ordering itself is unit-tested (test/unit/host/foreground.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./hostHelpers";

/** Polls a condition (no timing assumption: however slow the machine, it waits for the state itself). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

/** True once the instance completed; throws when it ended any other way (no waiting for a state that never comes). */
function finished(t: TestHost, id: string): boolean {
  const status = t.host.engine?.getInstance(id)?.runtimeStatus;
  if (status === "Failed" || status === "Terminated") throw new Error(`instance ${id} ${status}`);
  return status === "Completed";
}

const holder = globalThis as { hostAppHold?: Promise<void> };

function holdRequests(): () => void {
  let release: () => void = () => undefined;
  holder.hostAppHold = new Promise<void>((resolve) => (release = resolve));
  return release;
}

/** One request held in flight (the gate sees it), then a 12-activity fan-out started behind it. */
async function fanOutBehindHeldRequest(t: TestHost) {
  const gate = t.host.foreground!;
  const engine = t.host.engine!;
  const release = holdRequests();
  const held = fetch(`${t.host.url}/api/hold`);
  await until(() => gate.stats.inFlight === 1);
  const id = await engine.startNew("FanOut", { inputJson: "12" });
  return { gate, engine, release, held, id };
}

describe("API priority: background waits while a request is answered", () => {
  let t: TestHost;
  beforeAll(async () => {
    // No trickle within the test's lifetime: only the answered request lets the background go.
    t = await startTestHost({ foreground: { trickleMs: 600_000 } });
  });
  afterAll(async () => {
    await t?.host.stop();
  });

  it("queues a fan-out behind an executing request, answers other requests ahead of it, then runs it all", async () => {
    const { gate, engine, release, held, id } = await fanOutBehindHeldRequest(t);
    await until(() => gate.stats.waiting >= 1); // the first episode waits for its turn
    const startedBefore = gate.stats.started;
    // Other requests are answered while the background work stays queued.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${t.host.url}/api/items/1?code=getitem-key`);
      expect(res.status).toBe(200);
      expect(gate.stats.started).toBe(startedBefore);
      expect(gate.stats.waiting).toBeGreaterThanOrEqual(1);
    }
    expect(engine.getInstance(id)?.runtimeStatus).toBe("Pending");
    release();
    expect((await held).status).toBe(200);
    await until(() => finished(t, id));
    expect(engine.getInstance(id)?.output).toBe("12");
    expect(gate.stats.started - startedBefore).toBeGreaterThanOrEqual(13); // 12 activities + episodes
  });
});

describe("API priority: a request stream never starves background work", () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ foreground: { trickleMs: 5 } });
  });
  afterAll(async () => {
    await t?.host.stop();
  });

  it("completes a fan-out while a request is in flight the whole time and more keep arriving", async () => {
    const { gate, engine, release, held, id } = await fanOutBehindHeldRequest(t);
    let answered = 0;
    let inFlightAlways = true;
    while (!finished(t, id)) {
      const res = await fetch(`${t.host.url}/api/items/1?code=getitem-key`);
      expect(res.status).toBe(200);
      answered++;
      if (gate.stats.inFlight < 1) inFlightAlways = false;
    }
    expect(inFlightAlways).toBe(true); // never a gap: only the trickle let the work through
    expect(answered).toBeGreaterThan(0);
    expect(engine.getInstance(id)?.output).toBe("12");
    release();
    expect((await held).status).toBe(200);
  });
});
