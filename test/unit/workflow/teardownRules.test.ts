// Table tests of the failing-delete rules (shared/workflow/teardownRules.ts).
import { describe, expect, it } from "vitest";
import { deleteFailingDue, deleteRetryDelayMs } from "../../../shared/workflow/teardownRules";

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
