import { describe, expect, it } from "vitest";
import { DENSE_ROUNDS, MAX_POLL_FACTOR, nextPollDelayMs } from "../../../shared/workflow/stepPolling";

const base = 30_000;
const delay = (quietRounds: number, deadlinesMs: number[] = [], nowMs = 1_000_000): number =>
  nextPollDelayMs({ baseMs: base, quietRounds, nowMs, deadlinesMs });

describe("step poll delays", () => {
  it.each([
    [0, base],
    [DENSE_ROUNDS - 1, base],
    [DENSE_ROUNDS, base * 1.5],
    [DENSE_ROUNDS + 1, base * 2.25],
    [DENSE_ROUNDS + 2, base * 3.375],
    [DENSE_ROUNDS + 3, base * MAX_POLL_FACTOR],
    [DENSE_ROUNDS + 50, base * MAX_POLL_FACTOR],
  ])("after %i quiet rounds waits %i ms", (quiet, expected) => {
    expect(delay(quiet)).toBe(expected);
  });

  it("never sleeps past a running step's timeout, and ignores deadlines already passed", () => {
    expect(delay(DENSE_ROUNDS + 10, [1_000_000 + 45_000])).toBe(45_000);
    expect(delay(0, [1_000_000 + 5_000, 1_000_000 + 20_000])).toBe(5_000);
    expect(delay(0, [1_000_000 - 1, 1_000_000])).toBe(base);
  });
});
