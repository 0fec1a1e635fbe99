// `jobflow validate` and `jobflow plan` (the real CLI, spawned) refuse offline what HDInsight would refuse: a VM size
// not offered for the role, a region without HDInsight (in the job's overrides, a profile file, or JOBFLOW_LOCATION)
// and a component version 5.1 does not offer — each as a `pointer: message` line, exit 1, before any request.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";

const ROOT = join(__dirname, "../../..");

function jobflow(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin/jobflow.js"), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), "jobflow-catalogue-"));
function jobFile(name: string, cluster: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      cluster,
      steps: [{ id: "s1", type: "spark", spark: { file: "abfss://jobs@acct.dfs.core.windows.net/app.py" } }],
    }),
  );
  return file;
}

describe("jobflow validate / plan with the HDInsight 5.1 catalogue", () => {
  it("validate: a VM size that does not exist and an unknown region in the overrides", async () => {
    const file = jobFile("bad-overrides", {
      profile: "spark-small",
      overrides: { workerVmSize: "Standard_Nonexistent_V9", location: "nowhere" },
    });
    const run = await jobflow(["validate", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "/cluster/overrides/workerVmSize: The VM size 'Standard_Nonexistent_V9' provided in the request is invalid or not supported for role 'workernode'",
    );
    expect(run.stdout).toContain("/cluster/overrides/location: HDInsight is not offered in region 'nowhere'");
  });

  it("validate --profiles: a profile file with Spark 2.0 and a 2-core head node is reported by file and pointer", async () => {
    const profiles = join(dir, "profiles");
    mkdirSync(profiles, { recursive: true });
    writeFileSync(
      join(profiles, "old.json"),
      JSON.stringify({
        ...BUILTIN_PROFILES["spark-small"],
        name: "old",
        componentVersion: { Spark: "2.0" },
        headNode: { vmSize: "Standard_D2_v2", count: 2 },
      }),
    );
    const run = await jobflow(["validate", jobFile("uses-old", { profile: "old" }), "--profiles", profiles]);
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/componentVersion\/Spark/);
  });

  it("plan: {location} resolving to a region without HDInsight (JOBFLOW_LOCATION) is refused before any request", async () => {
    const run = await jobflow(["plan", "examples/pyspark-single-step.json", "--json"], { JOBFLOW_LOCATION: "moon-base" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("resolves to location 'moon-base'");
    const ok = await jobflow(["plan", "examples/pyspark-single-step.json", "--json"], { JOBFLOW_LOCATION: "northeurope" });
    expect(ok.code).toBe(0);
  });
});
