// ForegroundGate (local/host/foreground.ts): background invocations wait while API requests are answered, trickle
// through one per trickleMs, all go when the last request is answered; hold/resume for bench:api --api-only.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ForegroundGate } from "../../../local/host/foreground";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Starts `n` background turns; returns how many have been let through so far. */
function background(gate: ForegroundGate, n: number): () => number {
  let started = 0;
  for (let i = 0; i < n; i++) {
    const turn = gate.turn();
    if (turn) void turn.then(() => started++);
    else started++;
  }
  return () => started;
}

describe("ForegroundGate", () => {
  it("lets background work start at once when no request is in flight", () => {
    const gate = new ForegroundGate();
    expect(gate.turn()).toBeUndefined();
    expect(gate.stats).toEqual({ inFlight: 0, waiting: 0 });
  });

  it("holds background work while a request is answered, trickles one per trickleMs, releases all when it ends", async () => {
    const gate = new ForegroundGate({ trickleMs: 10 });
    const leave = gate.enter();
    const started = background(gate, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(0);
    expect(gate.stats).toEqual({ inFlight: 1, waiting: 5 });
    await vi.advanceTimersByTimeAsync(10);
    expect(started()).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(started()).toBe(3);
    leave();
    leave(); // idempotent
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(5);
    expect(gate.stats).toEqual({ inFlight: 0, waiting: 0 });
  });

  it("waits for every overlapping request before releasing everything", async () => {
    const gate = new ForegroundGate({ trickleMs: 1000 });
    const first = gate.enter();
    const second = gate.enter();
    const started = background(gate, 2);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(0);
    second();
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(2);
  });

  it("keeps later background work in order behind earlier waiters", async () => {
    const gate = new ForegroundGate({ trickleMs: 5 });
    const leave = gate.enter();
    const order: number[] = [];
    for (const i of [1, 2, 3]) void gate.turn()?.then(() => order.push(i));
    leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1, 2, 3]);
  });

  it("hold() stops everything, even without requests, until resume()", async () => {
    const gate = new ForegroundGate({ trickleMs: 1 });
    gate.hold();
    const started = background(gate, 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(started()).toBe(0);
    gate.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(3);
  });

  it("close() lets every waiting invocation go (host stop)", async () => {
    const gate = new ForegroundGate({ trickleMs: 1000 });
    gate.enter();
    const started = background(gate, 2);
    gate.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(2);
  });

  it("refuses a negative trickle", () => {
    expect(() => new ForegroundGate({ trickleMs: -1 })).toThrow(/trickleMs/);
  });
});
