// The CLI's command line: strict option parsing (unknown options are usage errors), --output json|table, --help
// per command with its options and an example, --version, and one meaning per exit code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, wantsHelp } from "../../../cli/args";
import { EXIT } from "../../../cli/exitCodes";
import { exitCodeForJobState } from "../../../cli/format";
import { COMMANDS, main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";

const root = join(__dirname, "../../..");
const run = async (argv: string[]) => {
  const out = memoryOutput();
  const code = await main(argv, out, {});
  return { code, stdout: out.stdout.join("\n"), stderr: out.stderr.join("\n") };
};

describe("parseArgs (node:util, strict)", () => {
  const options = { wait: { type: "boolean", description: "w" }, "interval-ms": { type: "string", value: "N", description: "i" } } as const;

  it("parses positionals, flags, `--key value`, `--key=value` and `--`", () => {
    const a = parseArgs(["f.json", "--wait", "--interval-ms", "5", "--", "--not-an-option"], options);
    expect(a.errors).toEqual([]);
    expect(a.positional).toEqual(["f.json", "--not-an-option"]);
    expect({ ...a.options }).toEqual({ wait: true, "interval-ms": "5" });
    expect(parseArgs(["--interval-ms=7"], options).options["interval-ms"]).toBe("7");
  });

  it("refuses an unknown option, a missing value and a value given to a flag", () => {
    expect(parseArgs(["x", "--frobnicate", "y"], options).errors[0]).toMatch(/Unknown option '--frobnicate'/);
    expect(parseArgs(["--interval-ms"], options).errors[0]).toMatch(/--interval-ms/);
    expect(parseArgs(["--wait=yes"], options).errors[0]).toMatch(/--wait/);
    expect(parseArgs(["--json=yes"]).errors[0]).toMatch(/--json/);
    for (const e of parseArgs(["--frobnicate"], options).errors) expect(e).not.toContain("\n");
  });

  it("--output json|table, --json as its short form, anything else refused", () => {
    expect(parseArgs([]).output).toBe("table");
    expect(parseArgs(["--output", "json"])).toMatchObject({ output: "json", json: true, errors: [] });
    expect(parseArgs(["--json"])).toMatchObject({ output: "json", json: true, errors: [] });
    expect(parseArgs(["--output", "table"])).toMatchObject({ output: "table", json: false, errors: [] });
    expect(parseArgs(["--output", "yaml"]).errors).toEqual(["--output must be one of table, json (got 'yaml')"]);
    expect(parseArgs(["--json", "--output", "table"]).errors).toEqual(["--json contradicts --output table"]);
  });

  it("sees -h/--help before `--` only", () => {
    expect(wantsHelp(["x", "-h"])).toBe(true);
    expect(wantsHelp(["--frobnicate", "--help"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
  });
});

describe("jobflow command line", () => {
  it("an unknown option is a usage error (exit 2) and nothing runs", async () => {
    const r = await run(["validate", "examples/pyspark-single-step.json", "--frobnicate", "x"]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("jobflow validate: Unknown option '--frobnicate'");
    expect(r.stderr).toContain("usage: jobflow validate FILE");
    expect((await run(["status", "--sate", "running"])).code).toBe(EXIT.usage);
    expect((await run(["frobnicate"])).code).toBe(EXIT.usage);
    expect((await run(["--frobnicate"])).stderr).toContain("unknown option '--frobnicate'");
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(await run(["--version"])).toEqual({ code: EXIT.ok, stdout: version, stderr: "" });
  });

  it("every command's --help shows its usage, every option (with the global ones) and an example", async () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const r = await run([name, "--help"]);
      expect(r.code, name).toBe(EXIT.ok);
      expect(r.stdout, name).toContain(`usage: ${command.usage}`);
      for (const option of [...Object.keys(command.options ?? {}), "output", "json", "help"])
        expect(r.stdout, `${name} --${option}`).toContain(`--${option}`);
      expect(command.examples.length, name).toBeGreaterThan(0);
      for (const example of command.examples) {
        expect(example.startsWith(`jobflow ${name}`), example).toBe(true);
        expect(r.stdout).toContain(example);
      }
    }
    // Help wins over other problems on the same line.
    expect((await run(["submit", "--frobnicate", "-h"])).code).toBe(EXIT.ok);
  });

  it("the global help lists the commands and the exit codes", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(EXIT.ok);
    for (const name of Object.keys(COMMANDS)) expect(r.stdout).toContain(`  ${name} `);
    expect(r.stdout).toContain("2 usage error");
  });

  it("--output json and --json print the same document", async () => {
    const a = await run(["validate", "examples/pyspark-single-step.json", "--output", "json"]);
    const b = await run(["validate", "examples/pyspark-single-step.json", "--json"]);
    expect(a.code).toBe(EXIT.ok);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect((await run(["validate", "examples/pyspark-single-step.json", "--output", "table"])).stdout).toMatch(/^valid: /);
  });

  it("exit codes: a usage error is never mistaken for a job outcome", () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    expect(exitCodeForJobState("succeeded")).toBe(EXIT.ok);
    expect(exitCodeForJobState("completedWithFailures")).toBe(EXIT.completedWithFailures);
    expect(exitCodeForJobState("completedWithFailures")).not.toBe(EXIT.usage);
    for (const s of ["failed", "cancelled"]) expect(exitCodeForJobState(s)).toBe(EXIT.failed);
  });
});
