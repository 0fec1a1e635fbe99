// JOBFLOW_DURABLE_WORKERS (local/stack.ts): unset or empty = the caller decides, a whole number 0–16 = that many
// durable workers, anything else a clear error naming the variable and the value. JOBFLOW_DURABLE_WORKER_NICENESS
// likewise: unset = the host's default (10), 0–19 = that nice increment.
import { describe, expect, it } from "vitest";
import { durableWorkerNicenessFromEnv, durableWorkersFromEnv } from "../../../local/stack";

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

describe("durableWorkerNicenessFromEnv", () => {
  it("reads a whole number 0–19, and nothing when unset or empty", () => {
    expect(durableWorkerNicenessFromEnv({})).toBeUndefined();
    expect(durableWorkerNicenessFromEnv({ JOBFLOW_DURABLE_WORKER_NICENESS: "" })).toBeUndefined();
    expect(durableWorkerNicenessFromEnv({ JOBFLOW_DURABLE_WORKER_NICENESS: "0" })).toBe(0);
    expect(durableWorkerNicenessFromEnv({ JOBFLOW_DURABLE_WORKER_NICENESS: " 19 " })).toBe(19);
  });

  it("rejects anything else, naming the variable and the value", () => {
    for (const bad of ["-1", "2.5", "low", "20"]) {
      expect(() => durableWorkerNicenessFromEnv({ JOBFLOW_DURABLE_WORKER_NICENESS: bad })).toThrow(
        `JOBFLOW_DURABLE_WORKER_NICENESS must be an integer 0–19, got '${bad}'`,
      );
    }
  });
});
