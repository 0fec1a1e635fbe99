// ForegroundGate (local/host/foreground.ts): background invocations wait while API requests are answered, trickle
// through one per trickleMs, and go one per event-loop turn between requests (a request read meanwhile goes
// first); hold/resume for bench:api --api-only.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ForegroundGate } from "../../../local/host/foreground";

/** Starts `n` background turns; returns how many have been let through so far. */
function background(gate: ForegroundGate, n: number, order?: string[], tag = "bg"): () => number {
  let started = 0;
  for (let i = 0; i < n; i++) {
    const go = (): void => {
      started++;
      order?.push(`${tag}${i + 1}`);
    };
    const turn = gate.turn();
    if (turn) void turn.then(go);
    else go();
  }
  return () => started;
}

/** One event-loop turn: resolves after the check-phase callbacks queued before it (the gate's drain) ran. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fake clock and timeouts (the trickle, quietMs); setImmediate stays real: the drain runs on real turns. */
const useFakeClock = (): void => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });

/** Runs the gate's one-per-turn drain (each turn queues the next) without moving the fake clock. */
async function drainTurns(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

describe("ForegroundGate with fake timers", () => {
  afterEach(() => vi.useRealTimers());

  it("lets background work start at once when no request was answered lately", () => {
    useFakeClock();
    const gate = new ForegroundGate();
    expect(gate.turn()).toBeUndefined();
    expect(gate.stats).toEqual({ inFlight: 0, waiting: 0, started: 1 });
  });

  it("holds background work while a request is answered, trickles one per trickleMs, drains when it ends", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 10 });
    const leave = gate.enter();
    const started = background(gate, 5);
    await drainTurns();
    expect(started()).toBe(0);
    expect(gate.stats).toMatchObject({ inFlight: 1, waiting: 5 });
    await vi.advanceTimersByTimeAsync(10);
    expect(started()).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(started()).toBe(3);
    leave();
    leave(); // idempotent
    await drainTurns();
    expect(started()).toBe(5);
    expect(gate.stats).toEqual({ inFlight: 0, waiting: 0, started: 5 });
  });

  it("waits for every overlapping request before draining", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 1000 });
    const first = gate.enter();
    const second = gate.enter();
    const started = background(gate, 2);
    first();
    await drainTurns();
    expect(started()).toBe(0);
    second();
    await drainTurns();
    expect(started()).toBe(2);
  });

  it("keeps later background work in order behind earlier waiters", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 5 });
    const leave = gate.enter();
    const order: string[] = [];
    background(gate, 3, order);
    leave();
    await drainTurns();
    expect(order).toEqual(["bg1", "bg2", "bg3"]);
  });

  it("queues new background work for quietMs after the last answer, then lets it start at once again", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ quietMs: 20 });
    gate.enter()();
    const turn = gate.turn();
    expect(turn).toBeInstanceOf(Promise);
    await drainTurns();
    expect(gate.stats).toMatchObject({ waiting: 0, started: 1 });
    await vi.advanceTimersByTimeAsync(20);
    expect(gate.turn()).toBeUndefined();
  });

  it("never starves background work under a request stream with no gap at all", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 10 });
    let leave = gate.enter();
    const started = background(gate, 20);
    // Every 3 ms a new request arrives before the previous one is answered: in-flight never reaches 0.
    for (let t = 0; t < 300; t += 3) {
      const next = gate.enter();
      leave();
      leave = next;
      await vi.advanceTimersByTimeAsync(3);
    }
    expect(gate.stats.inFlight).toBe(1);
    expect(started()).toBeGreaterThanOrEqual(20); // one per 10 ms: all 20 within 300 ms
    leave();
  });

  it("hold() stops everything, even without requests, until resume()", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 1 });
    gate.hold();
    const started = background(gate, 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(started()).toBe(0);
    gate.resume();
    await drainTurns();
    expect(started()).toBe(3);
  });

  it("close() lets every waiting invocation go (host stop)", async () => {
    useFakeClock();
    const gate = new ForegroundGate({ trickleMs: 1000 });
    gate.enter();
    const started = background(gate, 2);
    gate.close();
    await drainTurns();
    expect(started()).toBe(2);
  });

  it("refuses a negative trickle or quiet time", () => {
    expect(() => new ForegroundGate({ trickleMs: -1 })).toThrow(/trickleMs/);
    expect(() => new ForegroundGate({ quietMs: -1 })).toThrow(/quietMs/);
  });
});

describe("ForegroundGate between requests (real event loop)", () => {
  it("starts waiting background work one per event-loop turn, not all at once", async () => {
    const gate = new ForegroundGate({ trickleMs: 60_000 });
    const leave = gate.enter();
    const started = background(gate, 3);
    leave();
    expect(started()).toBe(0);
    await nextTurn();
    expect(started()).toBe(1);
    await nextTurn();
    expect(started()).toBe(2);
    await nextTurn();
    expect(started()).toBe(3);
  });

  it("a request read between two background units is answered before the next unit starts", async () => {
    const gate = new ForegroundGate({ trickleMs: 60_000 });
    const order: string[] = [];
    const first = gate.enter();
    const started = background(gate, 3, order);
    first();
    await nextTurn(); // bg1 started in its own turn
    // A request arrives (the poll phase of the next turn reads it before the drain's check phase).
    const second = gate.enter();
    order.push("request in");
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(started()).toBe(1); // nothing else starts while it is answered
    order.push("request answered");
    second();
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(order).toEqual(["bg1", "request in", "request answered", "bg2", "bg3"]);
  });

  it("requests answered first AND background progresses under a continuous request stream with gaps", async () => {
    const gate = new ForegroundGate({ trickleMs: 60_000 });
    const first = gate.enter();
    const started = background(gate, 50);
    first();
    // A request per turn, answered in the same turn: the gate sees a gap after each one. Background work goes
    // one unit between two requests, never a batch in front of one.
    let maxUnitsBetweenRequests = 0;
    let requests = 0;
    while (started() < 50) {
      const before = started();
      gate.enter()();
      requests++;
      await nextTurn();
      maxUnitsBetweenRequests = Math.max(maxUnitsBetweenRequests, started() - before);
      if (requests > 10_000) break;
    }
    expect(started()).toBe(50);
    expect(maxUnitsBetweenRequests).toBe(1);
  });
});
