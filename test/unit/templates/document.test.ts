// Templated job documents through the one validation entry point (validateJobDocument): declarations, supplied
// values, built-ins, the submit envelope, EMR files with Airflow templates, and every refusal with its pointer.
import { describe, expect, it } from "vitest";
import { validateJobDocument, type ValidateOptions } from "../../../shared/spec";
import type { JobSpec } from "../../../shared/model/job";
import type { Problem } from "../../../shared/errors";

const run = {
  logicalDate: "2026-12-05T00:00:00Z",
  dataIntervalEnd: "2026-12-06T00:00:00Z",
  runId: "scheduled__2026-12-05T00:00:00+00:00",
  jobId: "j-1",
};
const F = "abfss://code@lake.dfs.core.windows.net";

function ok(doc: unknown, options: ValidateOptions = {}): JobSpec {
  const r = validateJobDocument(doc, { run, ...options });
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 1));
  return r.job;
}
function problems(doc: unknown, options: ValidateOptions = {}): Problem[] {
  const r = validateJobDocument(doc, { run, ...options });
  if (r.ok) throw new Error("expected problems");
  return r.problems;
}

const templated = {
  name: "daily-{{ ds_nodash }}",
  parameters: {
    container: { default: "code", pattern: "[a-z0-9-]{3,63}", description: "code container" },
    partitions: { type: "integer", default: 8 },
    dryRun: { type: "boolean", default: false },
    ratio: { type: "number", default: 0.5 },
  },
  steps: [
    {
      id: "load",
      name: "load {{ ds }}",
      file: "abfss://{{ params.container }}@lake.dfs.core.windows.net/load.py",
      args: [
        "--date",
        "{{ ds }}",
        "--since={{ macros.ds_add(ds, -7) }}",
        "--partitions={{ params.partitions }}",
        "--dry-run={{ params.dryRun }}",
        "{{ params.ratio }}",
        "--run={{ run_id }}",
      ],
      pyFiles: ["abfss://{{ params.container }}@lake.dfs.core.windows.net/lib-{{ ds_nodash }}.zip"],
      jars: ["abfss://{{ params.container }}@lake.dfs.core.windows.net/a.jar"],
      files: ["abfss://{{ params.container }}@lake.dfs.core.windows.net/f.txt"],
      archives: ["abfss://{{ params.container }}@lake.dfs.core.windows.net/env.tgz#env"],
      conf: { "spark.app.name": "load-{{ job_id }}", "spark.x.home": "${env:HOME}" },
    },
  ],
};

describe("a templated job document", () => {
  it("renders declared parameters, defaults, built-ins and macros in every templated field", () => {
    const job = ok(templated);
    expect(job.name).toBe("daily-20261205");
    const s = job.steps[0];
    expect(s.name).toBe("load 2026-12-05");
    expect(s.file).toBe("abfss://code@lake.dfs.core.windows.net/load.py");
    expect(s.args).toEqual([
      "--date",
      "2026-12-05",
      "--since=2026-11-28",
      "--partitions=8",
      "--dry-run=false",
      "0.5",
      "--run=scheduled__2026-12-05T00:00:00+00:00",
    ]);
    expect(s.pyFiles).toEqual(["abfss://code@lake.dfs.core.windows.net/lib-20261205.zip"]);
    expect([s.jars[0], s.files[0], s.archives[0]]).toEqual([`${F}/a.jar`, `${F}/f.txt`, `${F}/env.tgz#env`]);
    expect(s.conf).toEqual({ "spark.app.name": "load-j-1", "spark.x.home": "${env:HOME}" });
    expect(job.parameters).toEqual({ container: "code", partitions: "8", dryRun: "false", ratio: "0.5" });
  });

  it("takes supplied values over defaults, coerced by type", () => {
    const job = ok(templated, { parameters: { container: "nightly", partitions: "16", dryRun: true, ratio: 2 } });
    expect(job.steps[0].args.slice(3, 6)).toEqual(["--partitions=16", "--dry-run=true", "2"]);
    expect(job.parameters).toMatchObject({ container: "nightly", partitions: "16" });
  });

  it("refuses bad values, undeclared names and missing values, each with its pointer", () => {
    const doc = { ...templated, parameters: { ...templated.parameters, table: { description: "required" } } };
    expect(problems(doc, { parameters: { container: "Bad_Name", partitions: "many", dryRun: "yes", ratio: "x", extra: "1" } })).toEqual([
      { pointer: "/parameters/extra", message: "is not a parameter of this job (declared: container, partitions, dryRun, ratio, table)" },
      {
        pointer: "/parameters/container",
        message: "the value of parameter 'container' 'Bad_Name' does not match the pattern [a-z0-9-]{3,63}",
      },
      { pointer: "/parameters/partitions", message: "the value of parameter 'partitions' must be a whole number (got 'many')" },
      { pointer: "/parameters/dryRun", message: "the value of parameter 'dryRun' must be true or false (got 'yes')" },
      { pointer: "/parameters/ratio", message: "the value of parameter 'ratio' must be a number (got 'x')" },
      {
        pointer: "/parameters/table",
        message: `parameter 'table' has no default and no value was supplied (-p table=… or "parameters": {"table": …} in the request)`,
      },
    ]);
  });

  it("checks declarations: defaults against type and pattern, patterns that are not regexes or backtrack exponentially", () => {
    const p = problems({
      name: "j",
      parameters: {
        a: { type: "integer", default: "x" },
        b: { pattern: "(a+)+" },
        c: { pattern: "[" },
        d: { default: "UP", pattern: "[a-z]+" },
        "9x": {},
        e: { type: "date" },
      },
      steps: [{ id: "s", file: `${F}/a.py` }],
    });
    expect(p).toEqual(
      expect.arrayContaining([
        { pointer: "/parameters/a/default", message: "must be a whole number (got 'x')" },
        { pointer: "/parameters/b/pattern", message: expect.stringMatching(/must not quantify a group/) },
        { pointer: "/parameters/c/pattern", message: expect.stringMatching(/is not a regular expression/) },
        { pointer: "/parameters/d/default", message: "'UP' does not match the pattern [a-z]+" },
        { pointer: "/parameters/9x", message: expect.stringMatching(/is not an allowed key/) },
        { pointer: "/parameters/e/type", message: expect.stringMatching(/must be one of/) },
      ]),
    );
  });

  it("names an unresolved placeholder instead of the misleading storage-URI message", () => {
    const p = problems(
      { name: "j", steps: [{ id: "s", file: "s3://{{ params.bucket }}/app.py", args: ["{{ params.date }}"] }] },
      { run: undefined },
    );
    expect(p).toEqual([
      {
        pointer: "/steps/0/file",
        message: `'{{ params.bucket }}' is unresolved: no value for parameter 'bucket': pass -p bucket=… (or "parameters": {"bucket": …} in the request)`,
      },
      {
        pointer: "/steps/0/args/0",
        message: `'{{ params.date }}' is unresolved: no value for parameter 'date': pass -p date=… (or "parameters": {"date": …} in the request)`,
      },
    ]);
    expect(problems({ name: "j", steps: [{ id: "s", file: `${F}/a.py`, args: ["{{ ds }}"] }] }, { run: undefined })).toEqual([
      { pointer: "/steps/0/args/0", message: "'{{ ds }}' is unresolved: 'ds' is only known when a run is submitted" },
    ]);
  });

  it("takes undeclared {{ params.X }} from supplied values when the document declares none, and rewrites s3:// after rendering", () => {
    const job = ok(
      {
        name: "j",
        data: { s3a: { endpoint: "https://s3.example.com", credentials: "anonymous" } },
        steps: [{ id: "s", file: "s3://{{ params.bucket }}/app.py", args: ["--out=s3n://{{ params.bucket }}/out"] }],
      },
      { parameters: { bucket: "raw-data" } },
    );
    expect(job.steps[0].file).toBe("s3a://raw-data/app.py");
    expect(job.parameters).toEqual({ bucket: "raw-data" });
  });

  it("refuses ${…} and %…% outside Spark's own substitution, and templates in fields that take literals", () => {
    const p = problems({
      name: "j",
      tags: { team: "{{ params.team }}" },
      cluster: { profile: "{{ params.profile }}" },
      steps: [
        {
          id: "s",
          file: `${F}/app.py`,
          args: ["--jar=${jarV}", "%AWS_BUCKET_NAME%"],
          conf: { "spark.a": "${bucket}", "spark.b": "${spark.app.name}" },
        },
      ],
    });
    expect(p).toEqual([
      { pointer: "/tags/team", message: expect.stringMatching(/^templates are rendered only in/) },
      {
        pointer: "/cluster/profile",
        message: expect.stringMatching(/^templates are rendered only in name, steps' name, file, args, conf values/),
      },
      {
        pointer: "/steps/0/args/0",
        message: expect.stringMatching(/'\$\{jarV\}' is not a Jobflow placeholder: write \{\{ params.jarV \}\}/),
      },
      { pointer: "/steps/0/args/1", message: expect.stringMatching(/'%AWS_BUCKET_NAME%' is not a Jobflow placeholder/) },
      { pointer: "/steps/0/conf/spark.a", message: expect.stringMatching(/'\$\{bucket\}' is not a Jobflow placeholder/) },
    ]);
  });

  it("leaves a document without placeholders exactly as before (no parameters on the job)", () => {
    const doc = { name: "plain", steps: [{ id: "s", file: `${F}/a.py`, args: ["--fmt=%Y%m%d", "50%"] }] };
    const job = ok(doc, { run: undefined });
    expect(job.parameters).toBeUndefined();
    expect(job.steps[0].args).toEqual(["--fmt=%Y%m%d", "50%"]);
  });

  it("reports malformed declarations along with rendering problems", () => {
    expect(problems({ name: "j", parameters: { a: "not an object" }, steps: [{ id: "s", file: `${F}/{{ params.a }}.py` }] })).toEqual([
      { pointer: "/parameters/a", message: "must be an object" },
      { pointer: "/steps/0/file", message: expect.stringMatching(/no value for parameter 'a'/) },
    ]);
  });
});

describe("the submit envelope {job, parameters, logicalDate}", () => {
  const doc = {
    name: "env-{{ ds }}",
    idempotencyKey: "k-1",
    parameters: { container: { default: "code" } },
    steps: [{ id: "s", file: "abfss://{{ params.container }}@lake.dfs.core.windows.net/a.py" }],
  };

  it("renders with the envelope's values and the run derived from the key and the logical date", () => {
    const seen: unknown[] = [];
    const r = validateJobDocument(
      { job: doc, parameters: { container: "other" }, logicalDate: "2026-01-31" },
      {
        run: (req) => {
          seen.push(req);
          return { logicalDate: req.logicalDate ?? "2000-01-01", runId: "manual__x", jobId: `id-of-${req.idempotencyKey}` };
        },
      },
    );
    expect(seen).toEqual([{ idempotencyKey: "k-1", logicalDate: "2026-01-31" }]);
    expect(r.ok && r.job.name).toBe("env-2026-01-31");
    expect(r.ok && r.job.steps[0].file).toBe("abfss://other@lake.dfs.core.windows.net/a.py");
  });

  it("points problems of the job at /job/… and of the values at /parameters/…", () => {
    expect(problems({ job: { ...doc, steps: [{ id: "s", file: "nope" }] }, parameters: { other: "x" } })).toEqual([
      { pointer: "/parameters/other", message: "is not a parameter of this job (declared: container)" },
    ]);
    expect(problems({ job: { ...doc, steps: [{ id: "s", file: "nope" }] } })).toEqual([
      { pointer: "/job/steps/0/file", message: expect.stringMatching(/must be a storage URI/) },
    ]);
    expect(problems({ job: { ...doc, parameters: { container: { pattern: "(x*)*" } } } })).toEqual([
      { pointer: "/job/parameters/container/pattern", message: expect.stringMatching(/must not quantify/) },
      { pointer: "/job/parameters/container", message: expect.stringMatching(/has no default/) },
      {
        pointer: "/job/steps/0/file",
        message: "'{{ params.container }}' is unresolved: parameter 'container' has no value (no default, none supplied)",
      },
    ]);
  });

  it("refuses an envelope with unknown fields or malformed values", () => {
    expect(problems({ job: doc, params: {}, parameters: { a: { nested: 1 } }, logicalDate: "yesterday" })).toEqual(
      expect.arrayContaining([
        { pointer: "/params", message: expect.stringMatching(/is not a known field/) },
        { pointer: "/parameters/a", message: "must be a string or a whole number or a number or true or false" },
        { pointer: "/logicalDate", message: expect.stringMatching(/must be an ISO 8601 date/) },
      ]),
    );
  });
});

describe("an EMR file with Airflow templates", () => {
  // The shape of an Airflow EmrAddStepsOperator `steps=` list, as dumped to JSON.
  const airflowSteps = [
    {
      Name: "calculate_pi_{{ ds_nodash }}",
      ActionOnFailure: "CONTINUE",
      HadoopJarStep: {
        Jar: "command-runner.jar",
        Args: [
          "spark-submit",
          "--deploy-mode",
          "cluster",
          "--conf",
          "spark.app.name=pi-{{ ds }}",
          "--conf",
          "spark.yarn.tags=${spark.app.name}",
          "s3://{{ params.bucket }}/scripts/pi.py",
          "--date",
          "{{ ds }}",
          "--prev",
          "{{ macros.ds_add(ds, -1) }}",
          "--out",
          "s3://{{ params.bucket }}/out/{{ macros.ds_format(ds, '%Y-%m-%d', '%Y/%m/%d') }}/",
        ],
      },
    },
  ];

  it("renders with the same names, values from -p/the request", () => {
    const job = ok({ Steps: airflowSteps }, { parameters: { bucket: "emr-data" }, profiles: undefined });
    expect(job.source).toBe("emr-api");
    const s = job.steps[0];
    expect(s.name).toBe("calculate_pi_20261205");
    expect(s.file).toBe("s3a://emr-data/scripts/pi.py");
    expect(s.conf["spark.app.name"]).toBe("pi-2026-12-05");
    expect(s.args).toEqual(["--date", "2026-12-05", "--prev", "2026-12-04", "--out", "s3a://emr-data/out/2026/12/05/"]);
  });

  it("names each unresolved placeholder with its pointer into the EMR file", () => {
    expect(problems(airflowSteps, { run: undefined }).map((p) => p.pointer)).toEqual([
      "/0/Name",
      "/0/HadoopJarStep/Args/4",
      "/0/HadoopJarStep/Args/7",
      "/0/HadoopJarStep/Args/9",
      "/0/HadoopJarStep/Args/11",
      "/0/HadoopJarStep/Args/13",
      "/0/HadoopJarStep/Args/13",
    ]);
  });

  it("refuses Step Functions' and shell placeholders in an EMR CLI file", () => {
    const cli = [{ Type: "Spark", Name: "x", Args: ["--class", "Main", "s3://b/app-${jarV}.jar", "%AWS_BUCKET_NAME%"] }];
    expect(problems(cli).map((p) => [p.pointer, p.message.slice(0, 40)])).toEqual([
      ["/0/Args/2", "'${jarV}' is not a Jobflow placeholder: "],
      ["/0/Args/3", "'%AWS_BUCKET_NAME%' is not a Jobflow pla"],
    ]);
  });

  it("refuses templates in EMR fields that take literals", () => {
    expect(problems([{ Type: "Spark", Name: "x", ActionOnFailure: "{{ params.a }}", Args: ["s3://b/a.py"] }])).toEqual([
      { pointer: "/0/ActionOnFailure", message: "templates are rendered only in Name, Jar and Args; this field takes a literal value" },
    ]);
  });
});
