// Table tests of the failing-delete rules (shared/workflow/teardownRules.ts).
import { describe, expect, it } from "vitest";
import { deleteFailingDue, deletePollDelayMs, deleteRetryDelayMs } from "../../../shared/workflow/teardownRules";

describe("deleteRetryDelayMs", () => {
  it.each([
    [0, 2],
    [1, 2],
    [2, 4],
    [3, 8],
    [4, 16],
    [5, 32],
    [6, 60],
    [7, 60],
    [50, 60],
  ])("after %i failures waits %i minutes", (failures, minutes) => {
    expect(deleteRetryDelayMs(failures)).toBe(minutes * 60_000);
  });
});

describe("deleteFailingDue", () => {
  it.each([
    [0, false],
    [1, false],
    [2, false],
    [3, true],
    [4, false],
    [5, false],
    [6, true],
    [9, true],
  ])("after %i failures: %s", (failures, due) => {
    expect(deleteFailingDue(failures)).toBe(due);
  });
});

describe("deletePollDelayMs", () => {
  const s = 1000;
  it.each([
    // [round, expected deletion ms (undefined = unknown), delay ms]
    [0, undefined, 30 * s],
    [1, undefined, 45 * s],
    [2, undefined, 67.5 * s],
    [10, undefined, 300 * s],
    [0, 5 * 60 * s, 300 * s], // the first look at the profile's usual deletion time
    [1, 5 * 60 * s, 30 * s], // still deleting: dense again, then backing off
    [2, 5 * 60 * s, 45 * s],
    [20, 5 * 60 * s, 300 * s],
    [0, 10 * s, 30 * s], // never sooner than 30 s…
    [0, 3 * 3600 * s, 300 * s], // …nor later than 5 minutes (a p50 skewed by deletes that kept failing)
    [0, 4 * 60 * s, 240 * s],
  ])("poll %i with expected %s waits %i ms", (round, expected, ms) => {
    expect(deletePollDelayMs(round, expected)).toBe(ms);
  });
});
