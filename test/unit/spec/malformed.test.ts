import { describe, expect, it } from "vitest";
import { parseJobText, validateJobDocument } from "../../../shared/spec/validate";
import { MALFORMED_CASES } from "../../fixtures/malformed/cases";

describe("malformed and hostile job documents", () => {
  it("has at least 60 cases", () => {
    expect(MALFORMED_CASES.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of MALFORMED_CASES) {
    it(c.name, () => {
      const text = c.text ?? JSON.stringify(c.doc);
      const fromText = parseJobText(text);
      expect(fromText.ok).toBe(false);
      const problems = fromText.ok ? [] : fromText.problems;
      for (const want of c.expect) {
        const hit = problems.find((p) => p.pointer === want.pointer && p.message.includes(want.message));
        expect(hit, `expected ${JSON.stringify(want)} in ${JSON.stringify(problems, null, 1)}`).toBeDefined();
      }
      // The parsed-value entry point agrees (when the case is a value, not raw text).
      if (c.doc !== undefined) expect(validateJobDocument(c.doc)).toEqual(fromText);
    });
  }

  it("never throws, also on values JSON cannot express", () => {
    const cyclic: Record<string, unknown> = { name: "n" };
    cyclic.steps = [cyclic];
    const throwing = {
      name: "n",
      get steps(): unknown {
        throw new Error("boom");
      },
    };
    const inputs: unknown[] = [undefined, Symbol("x"), 10n, () => 1, new Date(0), cyclic, throwing, Object.create(null), new Map()];
    for (const input of inputs) {
      const result = validateJobDocument(input);
      expect(result.ok).toBe(false);
    }
    expect(parseJobText(undefined as unknown as string).ok).toBe(false);
  });

  it("does not pollute Object.prototype", () => {
    parseJobText(
      '{"name":"n","steps":[{"id":"a","file":"s3a://b/x.py","conf":{"__proto__":{"polluted":"yes"}}}],"__proto__":{"polluted":"yes"}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("caps the number of problems it returns", () => {
    const steps = Array.from({ length: 256 }, (_, i) => ({ id: `s${i}`, file: "x", extra1: 1, extra2: 2 }));
    const result = validateJobDocument({ name: "n", steps });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.length).toBe(201);
      expect(result.problems[200].message).toMatch(/^and \d+ more problems$/);
    }
  });
});
