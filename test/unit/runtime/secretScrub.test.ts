// The invocation scrubber's fast path: a result that carries none of the secrets read is passed on as it is (no
// deep copy per activity), one that does is scrubbed (raw, JSON-escaped, in keys); the sorted secret list follows
// new reads.
import { describe, expect, it } from "vitest";
import { containsSecret, noteSecretRead, scrubbingHandler, secretsToScrub } from "../../../functions/runtime/secretScrub";
import { REDACTED } from "../../../shared/security/scrub";

describe("containsSecret", () => {
  const secrets = ['pa"ss-word-1', "another-secret-value"];
  it("finds a secret raw, JSON-escaped, in keys and in nested arrays", () => {
    expect(containsSecret({ a: [{ b: "x another-secret-value y" }] }, secrets)).toBe(true);
    expect(containsSecret({ text: JSON.stringify({ p: 'pa"ss-word-1' }) }, secrets)).toBe(true); // pa\"ss-word-1
    expect(containsSecret({ ["key another-secret-value"]: 1 }, secrets)).toBe(true);
  });
  it("is false for clean values, non-plain objects and beyond 32 levels (what scrubDeep leaves alone)", () => {
    expect(containsSecret({ a: ["clean", 1, null, true], b: { c: "also clean" } }, secrets)).toBe(false);
    expect(containsSecret(new Map([["k", "another-secret-value"]]), secrets)).toBe(false);
    let deep: unknown = "another-secret-value";
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(containsSecret(deep, secrets)).toBe(false);
    expect(containsSecret({ a: "another-secret-value" }, [])).toBe(false);
  });
});

describe("scrubbingHandler", () => {
  it("passes a clean result through unchanged (same object) and scrubs one that echoes a secret it read", async () => {
    const clean = { status: "ok", items: [1, 2, 3] };
    expect(await scrubbingHandler(async () => clean, true)()).toBe(clean);
    const echoed = await scrubbingHandler(async () => {
      noteSecretRead("fresh-secret-4711");
      return { message: "login fresh-secret-4711 failed", nested: ["fresh-secret-4711"] };
    }, true)();
    expect(echoed).toEqual({ message: `login ${REDACTED} failed`, nested: [REDACTED] });
  });

  it("keeps the secret list sorted longest first as new values are read", () => {
    noteSecretRead("short-secret");
    noteSecretRead("a-much-longer-secret-value");
    const list = secretsToScrub();
    expect(list).toContain("short-secret");
    expect(list.indexOf("a-much-longer-secret-value")).toBeLessThan(list.indexOf("short-secret"));
    expect([...list].sort((a, b) => b.length - a.length)).toEqual([...list]);
  });
});
