// JOBFLOW_DURABLE_WORKERS (local/stack.ts): unset or empty = the caller decides, a whole number 0–16 = that many
// durable workers, anything else a clear error naming the variable and the value.
import { describe, expect, it } from "vitest";
import { durableWorkersFromEnv } from "../../../local/stack";

describe("durableWorkersFromEnv", () => {
  it("reads a whole number, and nothing when unset or empty", () => {
    expect(durableWorkersFromEnv({})).toBeUndefined();
    expect(durableWorkersFromEnv({ JOBFLOW_DURABLE_WORKERS: " " })).toBeUndefined();
    expect(durableWorkersFromEnv({ JOBFLOW_DURABLE_WORKERS: "0" })).toBe(0);
    expect(durableWorkersFromEnv({ JOBFLOW_DURABLE_WORKERS: " 2 " })).toBe(2);
  });

  it("rejects anything else, naming the variable and the value", () => {
    for (const bad of ["-1", "1.5", "two", "17"]) {
      expect(() => durableWorkersFromEnv({ JOBFLOW_DURABLE_WORKERS: bad })).toThrow(
        `JOBFLOW_DURABLE_WORKERS must be an integer 0–16, got '${bad}'`,
      );
    }
  });
});
