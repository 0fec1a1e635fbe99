import { describe, expect, it } from "vitest";
import { elapsedMs, exitCodeForJobState, formatDuration, shortTime, table } from "../../../cli/format";

describe("table", () => {
  it("aligns columns by the widest cell, right-aligns numeric columns, leaves no trailing blanks", () => {
    const rows = [
      { name: "ingest", attempts: 1, note: "" },
      { name: "report-long", attempts: 12, note: "dead" },
    ];
    const lines = table(rows, [
      { header: "STEP", value: (r) => r.name },
      { header: "N", value: (r) => String(r.attempts), right: true },
      { header: "NOTE", value: (r) => r.note },
    ]);
    expect(lines).toEqual(["STEP          N  NOTE", "ingest        1", "report-long  12  dead"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [45_999, "45s"],
    [245_000, "4m05s"],
    [2 * 3_600_000 + 3 * 60_000, "2h03m"],
    [76 * 3_600_000, "3d04h"],
    [-1, "-"],
    [undefined, "-"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("elapsedMs and shortTime", () => {
  it("measures to the end, or to now while running; undefined without a start", () => {
    expect(elapsedMs("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 0)).toBe(60_000);
    expect(elapsedMs("2026-01-01T00:00:00Z", undefined, Date.parse("2026-01-01T00:00:30Z"))).toBe(30_000);
    expect(elapsedMs(undefined, undefined, 0)).toBeUndefined();
  });
  it("shortens ISO timestamps and shows '-' for none", () => {
    expect(shortTime("2026-11-21T02:04:05.123Z")).toBe("2026-11-21 02:04:05Z");
    expect(shortTime(null)).toBe("-");
  });
});

describe("exitCodeForJobState", () => {
  it("0 succeeded, 2 completed with failures, 1 failed or cancelled, none while running", () => {
    expect(exitCodeForJobState("succeeded")).toBe(0);
    expect(exitCodeForJobState("completedWithFailures")).toBe(3);
    expect(exitCodeForJobState("failed")).toBe(1);
    expect(exitCodeForJobState("cancelled")).toBe(1);
    for (const s of ["queued", "acquiringCluster", "attachingEdges", "running", "tearingDown"])
      expect(exitCodeForJobState(s)).toBeUndefined();
  });
});
