import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseArgs, parseParams } from "../../../cli/args";
import { submitBody } from "../../../cli/commands/submit";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { parseJobText } from "../../../shared/spec/validate";

const root = join(__dirname, "../../..");
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".json"))
  .sort();
const run = promisify(execFile);

async function jobflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin/jobflow.js"), ...args], {
      cwd: root,
      env: { ...process.env, JOBFLOW_EDGE_VMS: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("examples/", () => {
  it("has the promised examples", () => {
    expect(examples).toEqual([
      "dag-adls-s3a.json",
      "edge-vm-job.json",
      "emr-add-steps-cli.json",
      "emr-airflow-templated.json",
      "emr-api-stepconfig.json",
      "pyspark-single-step.json",
      "s3a-read-write.json",
      "templated-daily-job.json",
    ]);
  });
  // The templated examples need their parameters (-p bucket=…) and a run's built-ins.
  const run = { logicalDate: "2026-11-21T00:00:00Z", runId: "manual__2026-11-21T00:00:00+00:00", jobId: "j-example" };
  for (const file of examples) {
    it(`${file} validates`, () => {
      const r = parseJobText(readFileSync(join(root, "examples", file), "utf8"), {
        knownEdges: ["dss-edge-01", "jupyter-edge-01"],
        run,
        parameters: file === "emr-airflow-templated.json" ? { bucket: "etl-code" } : {},
      });
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

describe("cli -p", () => {
  it("collects -p/--param NAME=value (repeatable) and refuses malformed pairs", () => {
    const a = parseArgs(["f.json", "-p", "a=1", "--param", "b=x=y", "--param=c=", "-p", "a=2"], {
      param: { type: "string", short: "p", multiple: true, description: "" },
    });
    expect(a.positional).toEqual(["f.json"]);
    expect(a.lists.param).toEqual(["a=1", "b=x=y", "c=", "a=2"]);
    expect(parseParams(a)).toEqual({ ok: true, values: { a: "2", b: "x=y", c: "" } });
    expect(
      parseParams(
        parseArgs(["-p", "=v", "-p", "1x=2", "-p", "novalue"], { param: { type: "string", short: "p", multiple: true, description: "" } }),
      ),
    ).toEqual({
      ok: false,
      errors: [
        "-p =v: expected NAME=value with NAME of letters, digits or _",
        "-p 1x=2: expected NAME=value with NAME of letters, digits or _",
        "-p novalue: expected NAME=value with NAME of letters, digits or _",
      ],
    });
  });
  it("wraps a file as {job, parameters} only when -p values are given", () => {
    expect(submitBody('{"name":"x"}', {})).toBe('{"name":"x"}');
    expect(JSON.parse(submitBody('[{"Name":"s"}]', { bucket: "b" }))).toEqual({ job: [{ Name: "s" }], parameters: { bucket: "b" } });
    expect(JSON.parse(submitBody('{"job":{"name":"x"},"parameters":{"a":"1","b":"2"}}', { b: "3" }))).toEqual({
      job: { name: "x" },
      parameters: { a: "1", b: "3" },
    });
    expect(submitBody("not json", { a: "1" })).toBe("not json");
  });
  it("refuses -p on a command that takes no parameters", async () => {
    const out = memoryOutput();
    expect(await main(["status", "j-1", "-p", "a=1"], out)).toBe(2);
    expect(out.stderr.join("\n")).toMatch(/Unknown option '-p'/);
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
  writeFileSync(
    bad,
    JSON.stringify({
      name: "n",
      steps: [
        { id: "a", file: "abfss://c@a.dfs.core.windows.net/a.py", dependsOn: ["b"] },
        { id: "a", file: "x" },
      ],
    }),
  );

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

describe("jobflow plan/validate -p (spawned)", () => {
  it("plan shows the rendered Livy requests of an Airflow-templated EMR file", async () => {
    const r = await jobflow(
      "plan",
      "examples/emr-airflow-templated.json",
      "-p",
      "bucket=etl-code",
      "--at",
      "2026-12-05T00:00:00Z",
      "--json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      job: { parameters: Record<string, string> };
      batches: { stepId: string; body: { file: string; args: string[] } }[];
    };
    expect(plan.job.parameters).toEqual({ bucket: "etl-code" });
    expect(plan.batches.map((b) => b.stepId)).toEqual(["extract_20261205", "publish_20261205"]);
    expect(plan.batches[0].body.file).toBe("s3a://etl-code/jobs/extract.py");
    expect(plan.batches[0].body.args).toEqual([
      "--date",
      "2026-12-05",
      "--since",
      "2026-11-28",
      "--out",
      "s3a://etl-code/staged/2026/12/05/",
    ]);
    expect(plan.batches[1].body.args).toEqual(["2026-12-05T00:00:00+00:00", "manual__2026-12-05T00:00:00+00:00"]);
    const text = await jobflow("plan", "examples/templated-daily-job.json", "-p", "region=amer", "--at", "2026-12-05T00:00:00Z");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Rendered with parameters: lake="jobflowdata", region="amer", partitions="8"');
    expect(text.stdout).toContain('"abfss://curated@jobflowdata.dfs.core.windows.net/sales/amer/dt=2026-12-05/"');
  });
  it("validate names each unresolved placeholder with its pointer (exit 1)", async () => {
    const r = await jobflow("validate", "examples/emr-airflow-templated.json");
    expect(r.code).toBe(1);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.split(":")[0]),
    ).toEqual(["/0/HadoopJarStep/Args/5", "/0/HadoopJarStep/Args/11", "/1/HadoopJarStep/Args/3"]);
    expect(r.stdout).toContain("'{{ params.bucket }}' is unresolved: no value for parameter 'bucket': pass -p bucket=…");
  });
});
