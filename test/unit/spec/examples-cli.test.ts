import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { parseJobText } from "../../../shared/spec/validate";

const root = join(__dirname, "../../..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".json")).sort();
const run = promisify(execFile);

async function jobflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin/jobflow.js"), ...args], { cwd: root, env: { ...process.env, JOBFLOW_EDGE_VMS: "" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("examples/", () => {
  it("has the promised examples", () => {
    expect(examples).toEqual(["dag-adls-s3a.json", "edge-vm-job.json", "emr-add-steps-cli.json", "emr-api-stepconfig.json", "pyspark-single-step.json", "s3a-read-write.json"]);
  });
  for (const file of examples) {
    it(`${file} validates`, () => {
      const r = parseJobText(readFileSync(join(root, "examples", file), "utf8"), { knownEdges: ["dss-edge-01", "jupyter-edge-01"] });
      expect(r.ok ? [] : r.problems).toEqual([]);
    });
  }
  it("the EMR examples come out with EMR behaviour and s3a paths", () => {
    for (const file of ["emr-add-steps-cli.json", "emr-api-stepconfig.json"]) {
      const r = parseJobText(readFileSync(join(root, "examples", file), "utf8"));
      if (!r.ok) throw new Error(file);
      expect(r.job.cluster.reuse).toBe("never");
      expect(r.job.cluster.keepWarmMinutes).toBe(0);
      expect(JSON.stringify(r.job)).not.toMatch(/"s3n?:\/\//);
    }
  });
});

describe("jobflow CLI (in process)", () => {
  it("lists the commands and refuses unknown ones with exit 2", async () => {
    const out = memoryOutput();
    expect(await main([], out)).toBe(0);
    expect(out.stdout.join("\n")).toContain("validate");
    const bad = memoryOutput();
    expect(await main(["frobnicate"], bad)).toBe(2);
    expect(bad.stderr[0]).toContain("unknown command 'frobnicate'");
  });
  it("prints the schema", async () => {
    const out = memoryOutput();
    expect(await main(["schema"], out)).toBe(0);
    expect(JSON.parse(out.stdout[0]).title).toBe("Jobflow job");
    const profile = memoryOutput();
    await main(["schema", "--profile"], profile);
    expect(JSON.parse(profile.stdout[0]).title).toBe("Jobflow cluster profile");
  });
});

describe("jobflow validate (spawned)", () => {
  const dir = mkdtempSync(join(tmpdir(), "jobflow-validate-"));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ name: "n", steps: [{ id: "a", file: "abfss://c@a.dfs.core.windows.net/a.py", dependsOn: ["b"] }, { id: "a", file: "x" }] }));

  it("exits 0 with a summary for a valid job", async () => {
    const r = await jobflow("validate", "examples/dag-adls-s3a.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("valid: 3 steps, profile spark-medium, reuse warm, max 2 concurrent, job document\n");
  });

  it("exits 1 with one '<pointer>: <message>' line per problem", async () => {
    const r = await jobflow("validate", bad);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split("\n")).toEqual([
      "/steps/1/file: must be a storage URI starting with abfss://, abfs://, wasbs://, wasb://, s3a://, s3://, s3n:// or hdfs://",
      "/steps/1/id: step id 'a' is already used by step 0",
      "/steps/0/dependsOn/0: step 'a' depends on unknown step 'b'",
    ]);
  });

  it("prints one JSON document with --json, for both outcomes", async () => {
    const failed = await jobflow("validate", bad, "--json");
    expect(failed.code).toBe(1);
    const doc = JSON.parse(failed.stdout) as { ok: boolean; problems: unknown[] };
    expect(doc.ok).toBe(false);
    expect(doc.problems).toHaveLength(3);
    const passed = await jobflow("validate", "--json", "examples/emr-add-steps-cli.json");
    expect(passed.code).toBe(0);
    expect((JSON.parse(passed.stdout) as { job: { source: string } }).job.source).toBe("emr-cli");
  });

  it("reports an unreadable file as a problem and a missing argument as usage", async () => {
    const missing = await jobflow("validate", join(dir, "nope.json"));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^\(document\): cannot read /);
    const usage = await jobflow("validate");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: jobflow validate FILE");
  });
});
