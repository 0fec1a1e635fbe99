// `jobflow import emr`: the examples (examples/emr-*.json and the EMR files in docs/migrating-from-emr.md) round-
// trip — the imported Jobflow document validates and runs the same steps as submitting the EMR file itself — and
// what does not translate is left out with the reason and the replacement.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { validateJobDocument } from "../../../shared/spec";
import { importEmrFile } from "../../../shared/spec/emrImport";

const root = join(__dirname, "../../..");
const run = { logicalDate: "2026-12-05T00:00:00Z", runId: "manual__2026-12-05T00:00:00+00:00", jobId: "j-import" };
const guide = readFileSync(join(root, "docs/migrating-from-emr.md"), "utf8");
/** ```json blocks of the guide that follow a line "EMR file:" (the others are Jobflow documents). */
const guideFiles = [...guide.matchAll(/EMR file[^\n]*:\n+```json\n([\s\S]*?)```/g)].map(
  (m, i) => [`docs/migrating-from-emr.md #${i + 1}`, m[1]] as const,
);
const exampleFiles = ["emr-add-steps-cli.json", "emr-api-stepconfig.json", "emr-airflow-templated.json"].map(
  (f) => [`examples/${f}`, readFileSync(join(root, "examples", f), "utf8")] as const,
);

describe("import emr round trip", () => {
  it("finds the guide's EMR files", () => expect(guideFiles.length).toBeGreaterThanOrEqual(3));
  for (const [name, text] of [...exampleFiles, ...guideFiles]) {
    it(name, () => {
      const emr = JSON.parse(text) as unknown;
      const imported = importEmrFile(emr, "imported");
      expect(imported.notes.filter((n) => n.kind === "left out")).toEqual([]);
      const parameters = Object.fromEntries(Object.keys((imported.job?.parameters ?? {}) as object).map((k) => [k, "value-1"]));
      const direct = validateJobDocument(emr, { run, parameters });
      const viaImport = validateJobDocument(imported.job, { run, parameters });
      if (!direct.ok || !viaImport.ok) throw new Error(JSON.stringify([direct, viaImport].map((r) => (r.ok ? "ok" : r.problems))));
      // Ids of templated names differ (an id cannot be templated: "load_{{ ds_nodash }}" → "load"); the rest is equal.
      const withoutIds = (steps: { id: string }[]) => steps.map(({ id: _id, ...rest }) => rest);
      expect(withoutIds(viaImport.job.steps)).toEqual(withoutIds(direct.job.steps));
      expect(viaImport.job.cluster).toEqual(direct.job.cluster);
      expect(viaImport.job.maxConcurrentSteps).toBe(direct.job.maxConcurrentSteps);
    });
  }
});

describe("import emr reports what does not translate", () => {
  const legacy = {
    Name: "legacy-etl",
    ReleaseLabel: "emr-6.15.0",
    BootstrapActions: [{ Name: "install libs", ScriptBootstrapAction: { Path: "s3://b/bootstrap.sh" } }],
    Steps: [
      {
        Name: "copy",
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: { Jar: "command-runner.jar", Args: ["s3-dist-cp", "--src", "s3://a/in", "--dest", "hdfs:///in"] },
      },
      {
        Name: "queries",
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: { Jar: "command-runner.jar", Args: ["hive-script", "--run-hive-script", "--args", "-f", "s3://a/q.sql"] },
      },
      {
        Name: "setup",
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: { Jar: "s3://elasticmapreduce/libs/script-runner/script-runner.jar", Args: ["s3://b/setup.sh"] },
      },
      {
        Name: "pi",
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: {
          Jar: "command-runner.jar",
          Args: ["spark-submit", "--class", "org.apache.spark.examples.SparkPi", "/usr/lib/spark/examples/jars/spark-examples.jar", "10"],
        },
      },
      {
        Name: "etl",
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: {
          Jar: "command-runner.jar",
          Args: ["spark-submit", "--master", "yarn-cluster", "s3://${bucket}/etl.py", "--env", "%ENV_NAME%", "--out=s3://out/x"],
        },
      },
    ],
  };

  it("keeps what translates, converts placeholders, and names each left-out part with its replacement", () => {
    const r = importEmrFile(legacy, "ignored");
    expect(r.job?.name).toBe("legacy-etl");
    expect((r.job?.steps as { id: string }[]).map((s) => s.id)).toEqual(["etl"]);
    expect(r.job?.parameters).toEqual({ bucket: expect.any(Object), ENV_NAME: expect.any(Object) });
    const byPointer = Object.fromEntries(r.notes.map((n) => [n.pointer, n]));
    expect(byPointer["/BootstrapActions"]).toMatchObject({
      kind: "left out",
      suggestion: expect.stringMatching(/HDInsight script actions on the cluster profile/),
    });
    expect(byPointer["/ReleaseLabel"]).toMatchObject({ kind: "left out", suggestion: expect.stringMatching(/HDInsight 5.1/) });
    expect(byPointer["/Steps/0/HadoopJarStep/Args/0"]).toMatchObject({
      kind: "left out",
      suggestion: expect.stringMatching(/^a copy step/),
    });
    expect(byPointer["/Steps/1/HadoopJarStep/Args/0"]).toMatchObject({ kind: "left out", suggestion: expect.stringMatching(/spark.sql/) });
    expect(byPointer["/Steps/2/HadoopJarStep/Jar"]).toMatchObject({ kind: "left out", suggestion: expect.stringMatching(/script action/) });
    expect(byPointer["/Steps/3/HadoopJarStep/Args/3"]).toMatchObject({
      kind: "left out",
      suggestion: expect.stringMatching(/\/usr\/hdp\/current\/spark3-client\/examples/),
    });
    expect(byPointer["/Steps/4/HadoopJarStep/Args/3"]).toMatchObject({
      kind: "changed",
      message: expect.stringContaining("{{ params.bucket }}"),
    });
    const etl = validateJobDocument(r.job, { run, parameters: { bucket: "code", ENV_NAME: "prod" } });
    if (!etl.ok) throw new Error(JSON.stringify(etl.problems));
    expect(etl.job.steps[0]).toMatchObject({ file: "s3a://code/etl.py", args: ["--env", "prod", "--out=s3a://out/x"] });
  });

  it("jobflow import emr writes -o and the report (exit 0), or exits 1 when nothing translates", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-import-"));
    const input = join(dir, "legacy.json");
    writeFileSync(input, JSON.stringify(legacy));
    const out = memoryOutput();
    expect(await main(["import", "emr", input, "-o", join(dir, "job.json")], out)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "job.json"), "utf8")).steps).toHaveLength(1);
    expect(out.stderr[0]).toBe(`imported 1 step into ${join(dir, "job.json")}`);
    expect(out.stderr).toContain(
      "  instead: a copy step: a PySpark step that reads the source and writes the target (spark.read…write), or AzCopy outside the job",
    );
    writeFileSync(input, JSON.stringify({ Steps: legacy.Steps.slice(0, 2) }));
    const none = memoryOutput();
    expect(await main(["import", "emr", input, "--json"], none)).toBe(1);
    const bad = memoryOutput();
    writeFileSync(input, "[{");
    expect(await main(["import", "emr", input], bad)).toBe(1);
    expect(bad.stderr[0]).toMatch(/is not valid JSON at line 1, column 3/);
    expect(await main(["import", "csv", input], memoryOutput())).toBe(2);
  });
});
