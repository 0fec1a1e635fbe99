// The lint rules that keep orchestrations replay-safe (lint/jobflowPlugin.mjs), run by ESLint itself on fixture
// files: an import that reaches node:crypto or the wall clock through other modules is reported at the import,
// with the chain; a durable call that is never yielded is reported; and the real orchestrations/ pass both.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a JavaScript ESM module without type declarations (ESLint loads it from eslint.config.mjs)
import jobflow from "../../../lint/jobflowPlugin.mjs";

const root = join(__dirname, "../../..");
const fixtures = join(root, "test/fixtures/lint");

function eslintFor(cwd: string): ESLint {
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["orchestrations/**/*.ts"],
        languageOptions: { parser: tseslint.parser },
        plugins: { jobflow },
        rules: { "jobflow/deterministic-imports": "error", "jobflow/yield-durable-calls": "error" },
      },
    ],
  });
}

async function lint(file: string) {
  const [result] = await eslintFor(fixtures).lintFiles([join(fixtures, "orchestrations", file)]);
  return result.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

describe("jobflow/deterministic-imports", () => {
  it("reports node:crypto reached through two modules, at the orchestration's import, with the chain", async () => {
    const messages = await lint("transitive.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ rule: "jobflow/deterministic-imports", line: 2 });
    expect(messages[0].message).toContain("shared/signing.ts → shared/hmac.ts imports 'node:crypto'");
  });

  it("reports the wall clock and process.env in an imported module", async () => {
    const messages = (await lint("clock.ts")).map((m) => m.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("shared/stamp.ts uses new Date() (the wall clock)");
    expect(messages[1]).toContain("shared/stamp.ts uses process (environment, I/O)");
  });

  it("lets pure modules, new Date(iso) and type-only imports of I/O code through", async () => {
    expect(await lint("clean.ts")).toEqual([]);
  });
});

describe("jobflow/yield-durable-calls", () => {
  it("reports exactly the durable calls that are never yielded", async () => {
    const messages = await lint("yields.ts");
    expect(messages.every((m) => m.rule === "jobflow/yield-durable-calls")).toBe(true);
    const marked = readFileSync(join(fixtures, "orchestrations/yields.ts"), "utf8")
      .split("\n")
      .flatMap((line, i) => (line.endsWith("// MISSING") ? [i + 1] : []));
    expect(marked).toHaveLength(3);
    expect(messages.map((m) => m.line)).toEqual(marked);
    expect(messages[0].message).toContain("'context.df.callActivity' is never yielded");
    expect(messages[2].message).toContain("'context.df.Task.all' is never yielded");
  });

  it("treats the typed activity helpers (callActivityTyped, activityTask, callCloud) as durable calls", async () => {
    const messages = await lint("yieldsTyped.ts");
    const marked = readFileSync(join(fixtures, "orchestrations/yieldsTyped.ts"), "utf8")
      .split("\n")
      .flatMap((line, i) => (line.endsWith("// MISSING") ? [i + 1] : []));
    expect(marked).toHaveLength(3);
    expect(messages.map((m) => `${m.rule}:${m.line}`)).toEqual(marked.map((line) => `jobflow/yield-durable-calls:${line}`));
    expect(messages[0].message).toContain("'callActivityTyped' is never yielded");
  });
});

describe("the project's orchestrations", () => {
  it("pass both rules (lease.ts no longer reaches node:crypto through the webhook signing module)", async () => {
    const results = await eslintFor(root).lintFiles([join(root, "orchestrations/*.ts")]);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(5);
  });
});

describe("eslint.config.mjs", () => {
  it("applies both rules to orchestrations/ and type-aware no-floating-promises to TypeScript", async () => {
    const eslint = new ESLint({ cwd: root });
    const orchestration = await eslint.calculateConfigForFile(join(root, "orchestrations/lease.ts"));
    for (const rule of ["jobflow/deterministic-imports", "jobflow/yield-durable-calls", "@typescript-eslint/no-floating-promises"]) {
      expect(orchestration.rules[rule]?.[0], rule).toBe(2);
    }
    const activity = await eslint.calculateConfigForFile(join(root, "functions/index.ts"));
    expect(activity.rules["@typescript-eslint/no-floating-promises"]?.[0]).toBe(2);
    expect(activity.languageOptions.parserOptions.projectService).toBe(true);
    expect(await eslint.isPathIgnored(join(fixtures, "orchestrations/yields.ts"))).toBe(true);
  });
});
