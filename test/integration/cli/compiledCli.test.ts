// bin/jobflow.js in an installation: no cli/ sources next to it, so it runs the CLI compiled by
// `npm run build:cli` (tsconfig.cli.json) with plain Node — no tsx — and says how to build it when it is missing.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../../..");

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No JOBFLOW_CLI_FROM: bin decides by what is installed next to it.
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    execFile(process.execPath, [bin, ...args], { cwd: root, env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("the compiled CLI (an installation without the TypeScript sources)", () => {
  // Inside the project so that node_modules resolves as in an installation; .data/ is git-ignored.
  mkdirSync(join(root, ".data"), { recursive: true });
  const install = mkdtempSync(join(root, ".data", "cli-install-"));
  const bin = join(install, "bin", "jobflow.js");

  beforeAll(() => {
    mkdirSync(join(install, "bin"));
    copyFileSync(join(root, "bin", "jobflow.js"), bin);
    execFileSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.cli.json"), "--outDir", join(install, "dist-cli")],
      { cwd: root },
    );
  }, 180_000);
  afterAll(() => rmSync(install, { recursive: true, force: true }));

  it("runs with plain Node: --version, validate, and strict options", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(await run(bin, ["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    const valid = await run(bin, ["validate", "examples/dag-adls-s3a.json", "--output", "json"]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ ok: true, file: "examples/dag-adls-s3a.json" });
    const unknown = await run(bin, ["validate", "examples/dag-adls-s3a.json", "--frobnicate", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
  });

  it("carries source maps, so its stack traces can name the TypeScript files", () => {
    const map = JSON.parse(readFileSync(join(install, "dist-cli", "cli", "main.js.map"), "utf8")) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith("cli/main.ts"))).toBe(true);
  });

  it("says how to build it when the build is missing", async () => {
    rmSync(join(install, "dist-cli"), { recursive: true, force: true });
    const r = await run(bin, ["--version"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("npm run build:cli");
  });
});
