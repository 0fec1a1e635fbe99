// Schedule intervals for templates and backfills: the previous occurrence, Airflow's data interval, the logical
// dates of a backfill (time zones, limits) and the backfill request's problems.
import { describe, expect, it } from "vitest";
import {
  backfillProblems,
  backfillRuns,
  dataIntervalOf,
  MAX_BACKFILL_RUNS,
  previousOccurrence,
} from "../../../shared/policies/scheduleRules";

describe("previousOccurrence / dataIntervalOf", () => {
  const cases: [string, string, string, string | undefined][] = [
    ["0 0 * * *", "UTC", "2026-12-06T00:00:00Z", "2026-12-05T00:00:00.000Z"],
    ["0 0 * * *", "UTC", "2026-12-06T00:00:01Z", "2026-12-06T00:00:00.000Z"],
    ["*/5 * * * *", "UTC", "2026-12-06T00:10:00Z", "2026-12-06T00:05:00.000Z"],
    ["0 9 * * MON", "Europe/Paris", "2026-12-07T08:00:00Z", "2026-11-30T08:00:00.000Z"],
    ["0 9 1 1 *", "Europe/Paris", "2026-12-06T00:00:00Z", "2026-01-01T08:00:00.000Z"],
    ["0 0 29 2 *", "UTC", "2026-12-06T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ];
  for (const [cron, timezone, before, want] of cases) {
    it(`${cron} ${timezone} before ${before}`, () => expect(previousOccurrence({ cron, timezone }, before)).toBe(want));
  }
  it("gives the interval ending at the occurrence", () => {
    expect(dataIntervalOf({ cron: "0 0 * * *", timezone: "UTC" }, "2026-12-06T00:00:00Z")).toEqual({
      start: "2026-12-05T00:00:00.000Z",
      end: "2026-12-06T00:00:00.000Z",
    });
  });
});

describe("backfillRuns", () => {
  it("lists every logical date between from and to (inclusive) with the interval's end", () => {
    expect(backfillRuns({ cron: "0 0 * * *", timezone: "UTC" }, "2026-11-10", "2026-11-12")).toEqual({
      truncated: false,
      runs: [
        { logicalDate: "2026-11-10T00:00:00.000Z", dataIntervalEnd: "2026-11-11T00:00:00.000Z" },
        { logicalDate: "2026-11-11T00:00:00.000Z", dataIntervalEnd: "2026-11-12T00:00:00.000Z" },
        { logicalDate: "2026-11-12T00:00:00.000Z", dataIntervalEnd: "2026-11-13T00:00:00.000Z" },
      ],
    });
    expect(
      backfillRuns({ cron: "0 9 * * *", timezone: "Europe/Paris" }, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z").runs.map(
        (r) => r.logicalDate,
      ),
    ).toEqual(["2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]); // 09:00 local on both sides of the DST change
    expect(backfillRuns({ cron: "0 0 * * *", timezone: "UTC" }, "2026-11-10T00:00:01Z", "2026-11-10T23:00:00Z").runs).toEqual([]);
  });
  it("stops at the limit and says so", () => {
    const r = backfillRuns({ cron: "* * * * *", timezone: "UTC" }, "2026-11-10", "2026-11-11");
    expect(r.truncated).toBe(true);
    expect(r.runs).toHaveLength(MAX_BACKFILL_RUNS);
  });
});

describe("backfillProblems", () => {
  it("names each bad field", () => {
    expect(backfillProblems({ from: "2026-11-10", to: "2026-11-12", maxConcurrent: 4 })).toEqual([]);
    expect(backfillProblems({}).map((p) => p.pointer)).toEqual(["/from", "/to"]);
    expect(backfillProblems({ from: "yesterday", to: "2026-11-12", maxConcurrent: 0 }).map((p) => p.pointer)).toEqual([
      "/from",
      "/maxConcurrent",
    ]);
    expect(backfillProblems({ from: "2026-11-12", to: "2026-11-10" })).toEqual([{ pointer: "/to", message: "must not be before from" }]);
  });
});
