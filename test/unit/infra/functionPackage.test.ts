// What the Function App package holds: the app (functions/, orchestrations/, shared/) compiled with source maps,
// and nothing of the developer tools — the CLI (cli/, bin/), scripts/, the embedded runtime — neither in the zip
// (.funcignore) nor reached by the app's imports (else the remote build, which compiles without them, would fail).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "../../..");

function buildProgram(): ts.Program {
  const configFile = join(root, "tsconfig.build.json");
  const read = ts.readConfigFile(configFile, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
}

describe("the Function App package", () => {
  it("leaves the CLI, bin/, scripts/ and the local runtime out of the zip", () => {
    const ignored = readFileSync(join(root, ".funcignore"), "utf8").split("\n").map((l) => l.trim());
    for (const entry of ["cli", "bin", "scripts", "dist-cli", "local", "test"]) expect(ignored, entry).toContain(entry);
  });

  it("compiles from functions/, orchestrations/ and shared/ only, with source maps", () => {
    const program = buildProgram();
    expect(program.getCompilerOptions().sourceMap).toBe(true);
    const files = program
      .getSourceFiles()
      .map((f) => relative(root, f.fileName))
      .filter((f) => !f.startsWith("node_modules") && !f.startsWith(".."));
    expect(files.length).toBeGreaterThan(50);
    const outside = files.filter((f) => !/^(functions|orchestrations|shared)\//.test(f));
    expect(outside).toEqual([]);
  });

  it("turns source maps on before any other module of the app loads", () => {
    const index = readFileSync(join(root, "functions/index.ts"), "utf8");
    const firstImport = index.split("\n").find((l) => l.startsWith("import "));
    expect(firstImport).toMatch(/^import "\.\/runtime\/enableSourceMaps";/);
  });
});
