// The virtual clock as a durable worker reads it (local/host/workers/clockMirror.ts): a manual clock's every
// advance is visible at once, a scaled clock is computed exactly as VirtualClock computes it, sleeps go to the
// requester (the main thread's clock in the host) and an aborted signal rejects without asking.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { MirroredClock, mirrorClock } from "../../../local/host/workers/clockMirror";

describe("the mirrored clock", () => {
  it("follows a manual clock's advances and stops following after close()", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 1_000 });
    const mirror = mirrorClock(clock);
    const seen = new MirroredClock(mirror.init, () => Promise.resolve());
    expect(seen.nowMs()).toBe(1_000);
    await clock.advanceBy(59_000);
    expect(seen.nowMs()).toBe(60_000);
    expect(seen.now().toISOString()).toBe(new Date(60_000).toISOString());
    mirror.close();
    await clock.advanceBy(1_000);
    expect(seen.nowMs()).toBe(60_000);
  });

  it("computes a scaled clock's time as the clock does", () => {
    const clock = new VirtualClock({ mode: "scaled", speed: 60, startMs: Date.parse("2026-01-01T00:00:00Z") });
    const seen = new MirroredClock(mirrorClock(clock).init, () => Promise.resolve());
    let compared = 0;
    for (let i = 0; i < 1_000 && compared < 20; i++) {
      const before = Date.now();
      const [a, b] = [clock.nowMs(), seen.nowMs()];
      if (Date.now() !== before) continue; // only reads within one wall-clock millisecond compare exactly
      expect(b).toBe(a);
      compared++;
    }
    expect(compared).toBe(20);
  });

  it("asks the requester to sleep, and rejects an already aborted sleep without asking", async () => {
    const asked: number[] = [];
    const seen = new MirroredClock(mirrorClock(new VirtualClock({ mode: "manual", startMs: 0 })).init, async (ms) => {
      asked.push(ms);
    });
    await seen.sleep(5_000);
    expect(asked).toEqual([5_000]);
    const aborted = AbortSignal.abort();
    await expect(seen.sleep(1_000, { abortSignal: aborted })).rejects.toMatchObject({ name: "AbortError" });
    expect(asked).toEqual([5_000]);
  });
});
