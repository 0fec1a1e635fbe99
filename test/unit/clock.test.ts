import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../local/clock/virtualClock";

describe("VirtualClock (manual)", () => {
  it("fires timers in due order, each seeing its due time", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 1_000 });
    const seen: [string, number][] = [];
    clock.setTimer(5_000, () => seen.push(["b", clock.nowMs()]));
    clock.setTimer(2_000, () => seen.push(["a", clock.nowMs()]));
    const c = clock.setTimer(3_000, () => seen.push(["cancelled", clock.nowMs()]));
    c.cancel();
    await clock.advanceBy(10_000);
    expect(seen).toEqual([
      ["a", 2_000],
      ["b", 5_000],
    ]);
    expect(clock.nowMs()).toBe(11_000);
  });

  it("sleep resolves only when virtual time passes, and aborts", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    let done = false;
    const p = clock.sleep(60_000).then(() => (done = true));
    await clock.advanceBy(59_999);
    expect(done).toBe(false);
    expect(await clock.jumpToNextTimer()).toBe(true);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const q = clock.sleep(1_000, { abortSignal: ac.signal });
    ac.abort();
    await expect(q).rejects.toMatchObject({ name: "AbortError" });
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it("scaled mode runs faster than real time", async () => {
    const clock = new VirtualClock({ mode: "scaled", speed: 1000, startMs: 0 });
    const start = Date.now();
    await clock.sleep(2_000); // 2 virtual seconds = ~2 real ms
    expect(clock.nowMs()).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - start).toBeLessThan(1_000);
    clock.dispose();
  });
});
