import { describe, expect, it } from "vitest";
import { auditBlobName } from "../../../functions/policies/auditStore";

describe("reaper audit blob names", () => {
  it("sort newest first in Blob's name order, and name the cluster", () => {
    const older = auditBlobName(Date.parse("2026-11-21T10:00:00Z"), "r1", "c1");
    const newer = auditBlobName(Date.parse("2026-11-21T10:05:00Z"), "r2", "c1");
    expect([older, newer].sort()).toEqual([newer, older]);
    expect(newer.startsWith("reaper/decisions/")).toBe(true);
    expect(newer.endsWith("-r2-c1.json")).toBe(true);
  });
});
