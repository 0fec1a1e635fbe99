import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  clusterNameForJob,
  clusterNameForLease,
  clusterNameProblems,
  isValidClusterName,
  slugify,
  warmClusterName,
} from "../../../shared/builders/clusterName";
import { sha256Hex, shortHash } from "../../../shared/builders/sha256";

describe("sha256 (@noble/hashes)", () => {
  const samples = ["", "abc", "a".repeat(55), "a".repeat(56), "b".repeat(64), "x".repeat(1000), "héllo wörld 🚀", "\ud800"];
  it.each(samples.map((s) => [s.slice(0, 20), s]))("matches node:crypto for %j", (_label, s) => {
    expect(sha256Hex(s)).toBe(createHash("sha256").update(s, "utf8").digest("hex"));
  });

  it("shortHash is base32 of the digest prefix", () => {
    const digest = createHash("sha256").update("job:x").digest();
    const bits = Array.from(digest, (b) => b.toString(2).padStart(8, "0")).join("");
    const expected = Array.from(
      { length: 10 },
      (_, i) => "abcdefghijklmnopqrstuvwxyz234567"[parseInt(bits.slice(i * 5, i * 5 + 5), 2)],
    ).join("");
    expect(shortHash("job:x")).toBe(expected);
    expect(shortHash("job:x", 3)).toBe(expected.slice(0, 3));
    expect(() => shortHash("x", 0)).toThrow(RangeError);
  });
});

describe("cluster names", () => {
  const ids = [
    "nightly-sales-2026-11-21",
    "J0B_ÜBER lång id with spaces and CAPS!!",
    "0123456789",
    "---",
    "x",
    "a".repeat(300),
    "3f2c9d1e-7a4b-4c1d-9e2f-0a1b2c3d4e5f",
    "$(rm -rf /);`id`",
  ];

  it.each(ids)("job and lease names for %j are valid, deterministic and distinct", (id) => {
    const job = clusterNameForJob(id);
    const lease = clusterNameForLease(id);
    expect(clusterNameProblems(job)).toEqual([]);
    expect(clusterNameProblems(lease)).toEqual([]);
    expect(clusterNameForJob(id)).toBe(job);
    expect(job).not.toBe(lease);
    expect(job.length).toBeLessThanOrEqual(59);
    expect(job).toMatch(/^jf[a-z2-7]{10}(-[a-z0-9-]*[a-z0-9])?$/);
  });

  it("keeps the readable part of the id", () => {
    expect(clusterNameForJob("nightly-sales-2026-11-21")).toMatch(/^jf[a-z2-7]{10}-nightly-sales-2026-11-21$/);
  });

  it("long ids that share a prefix still get different names (hash of the full id)", () => {
    const a = clusterNameForJob("p".repeat(100) + "-a");
    const b = clusterNameForJob("p".repeat(100) + "-b");
    expect(a).not.toBe(b);
    expect(a.slice(0, 6)).not.toBe(b.slice(0, 6));
  });

  it("warm names derive from profile hash and generation", () => {
    const g0 = warmClusterName("spark-small", "abc123", 0);
    const g1 = warmClusterName("spark-small", "abc123", 1);
    expect(g0).toMatch(/^jf[a-z2-7]{10}-spark-small-g0$/);
    expect(g1).not.toBe(g0);
    expect(warmClusterName("spark-small", "def456", 0)).not.toBe(g0);
    expect(warmClusterName("spark-small", "abc123", 0)).toBe(g0);
    expect(isValidClusterName(warmClusterName("S".repeat(80), "h", 123456))).toBe(true);
    expect(() => warmClusterName("p", "h", -1)).toThrow(RangeError);
    expect(() => warmClusterName("p", "", 0)).toThrow(RangeError);
  });

  it("rejects empty ids", () => {
    expect(() => clusterNameForJob("")).toThrow(RangeError);
    expect(() => clusterNameForLease("")).toThrow(RangeError);
  });

  it("slugify bounds length and trims hyphens", () => {
    expect(slugify("--Hello  World--", 50)).toBe("hello-world");
    expect(slugify("abc-def", 4)).toBe("abc");
    expect(slugify("abc", 0)).toBe("");
  });

  it.each([
    ["ab", 1],
    ["a".repeat(60), 1],
    ["Abc", 1],
    ["1abc", 1],
    ["abc-", 1],
    ["ab_c", 1],
    ["-ab", 1],
    ["", 2],
  ])("validator rejects %j", (name, count) => {
    expect(clusterNameProblems(name)).toHaveLength(count);
    expect(isValidClusterName(name)).toBe(false);
  });

  it.each(["abc", "a".repeat(59), "a-1", "spark-dev-01"])("validator accepts %j", (name) => {
    expect(isValidClusterName(name)).toBe(true);
  });
});
