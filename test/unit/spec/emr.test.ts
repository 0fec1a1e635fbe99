import { describe, expect, it } from "vitest";
import { translateSparkSubmit } from "../../../shared/spec/sparkSubmit";
import { validateJobDocument, type ValidationResult } from "../../../shared/spec/validate";

const ok = (r: ValidationResult) => {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.job;
};
const problemsOf = (r: ValidationResult) => (r.ok ? [] : r.problems);
const api = (args: string[], extra: Record<string, unknown> = {}) => [
  { Name: "etl", HadoopJarStep: { Jar: "command-runner.jar", Args: ["spark-submit", ...args] }, ...extra },
];
const cli = (args: string[], extra: Record<string, unknown> = {}) => [{ Type: "Spark", Name: "etl", Args: args, ...extra }];

describe("EMR import: forms and EMR behaviour", () => {
  it("imports the API StepConfig form with EMR behaviour", () => {
    const job = ok(validateJobDocument(api(["s3://b/etl.py", "--day", "s3://b/in"]), { emrJobName: "my steps.json" }));
    expect(job.source).toBe("emr-api");
    expect(job.name).toBe("my-steps-json");
    expect(job.cluster).toEqual({ profile: "default", overrides: {}, reuse: "never", keepWarmMinutes: 0, maxLifetimeMinutes: 720 });
    expect(job.maxConcurrentSteps).toBe(1);
    expect(job.steps[0]).toMatchObject({
      id: "etl",
      name: "etl",
      file: "s3a://b/etl.py",
      args: ["--day", "s3a://b/in"],
      actionOnFailure: "TERMINATE_CLUSTER",
    });
  });

  it("imports the add-steps CLI form (Type Spark and CUSTOM_JAR with command-runner)", () => {
    const job = ok(
      validateJobDocument([
        { Type: "spark", Args: ["s3://b/a.py"] },
        { Name: "j", Jar: "command-runner.jar", Args: ["spark-submit", "--class", "x.Y", "s3://b/a.jar"] },
      ]),
    );
    expect(job.source).toBe("emr-cli");
    expect(job.steps.map((s) => [s.id, s.name, s.actionOnFailure])).toEqual([
      ["Spark-application", "Spark application", "CONTINUE"],
      ["j", "j", "CONTINUE"],
    ]);
    expect(job.steps[1].className).toBe("x.Y");
  });

  it("accepts the { Steps: [...] } wrapper, TERMINATE_JOB_FLOW and unique ids from duplicate names", () => {
    const job = ok(
      validateJobDocument({ Steps: [...api(["s3://b/a.py"], { ActionOnFailure: "TERMINATE_JOB_FLOW" }), ...api(["s3://b/b.py"])] }),
    );
    expect(job.steps.map((s) => s.id)).toEqual(["etl", "etl-2"]);
    expect(job.steps[0].actionOnFailure).toBe("TERMINATE_CLUSTER");
  });

  it("maps every spark-submit option to Livy fields", () => {
    const job = ok(
      validateJobDocument(
        cli([
          "--master",
          "yarn",
          "--deploy-mode",
          "cluster",
          "--verbose",
          "--class",
          "com.x.Main",
          "--name",
          "app",
          "--queue",
          "etl",
          "--conf",
          "spark.a=1",
          "--conf=spark.b=x=y",
          "-c",
          "spark.c=3",
          "--conf",
          "spark.submit.deployMode=client",
          "--jars",
          "s3://b/1.jar,s3n://b/2.jar",
          "--py-files",
          "s3://b/d.zip",
          "--files",
          "s3://b/f.conf",
          "--archives",
          "s3://b/env.tgz#env",
          "--driver-memory",
          "2g",
          "--driver-cores",
          "2",
          "--executor-memory",
          "4G",
          "--executor-cores",
          "3",
          "--num-executors",
          "7",
          "--packages",
          "io.delta:delta-core_2.12:2.3.0",
          "--repositories",
          "https://repo.example.net",
          "--exclude-packages",
          "a:b",
          "--driver-java-options",
          "-Dx=1",
          "--driver-class-path",
          "/opt/x",
          "--driver-library-path",
          "/opt/lib",
          "s3://b/app.jar",
          "arg1",
        ]),
      ),
    );
    expect(job.steps[0]).toMatchObject({
      file: "s3a://b/app.jar",
      className: "com.x.Main",
      queue: "etl",
      args: ["arg1"],
      jars: ["s3a://b/1.jar", "s3a://b/2.jar"],
      pyFiles: ["s3a://b/d.zip"],
      files: ["s3a://b/f.conf"],
      archives: ["s3a://b/env.tgz#env"],
      driverMemory: "2g",
      driverCores: 2,
      executorMemory: "4G",
      executorCores: 3,
      numExecutors: 7,
      conf: {
        "spark.a": "1",
        "spark.b": "x=y",
        "spark.c": "3",
        "spark.app.name": "app",
        "spark.jars.packages": "io.delta:delta-core_2.12:2.3.0",
        "spark.jars.repositories": "https://repo.example.net",
        "spark.jars.excludes": "a:b",
        "spark.driver.extraJavaOptions": "-Dx=1",
        "spark.driver.extraClassPath": "/opt/x",
        "spark.driver.extraLibraryPath": "/opt/lib",
      },
    });
    expect("spark.submit.deployMode" in job.steps[0].conf).toBe(false);
  });

  it("accepts --deploy-mode client (Livy runs the driver in cluster mode)", () => {
    ok(validateJobDocument(cli(["--deploy-mode", "client", "s3://b/a.py"])));
  });
});

describe("EMR import: refusals name the step and the reason", () => {
  const refused: [string, unknown, string, string][] = [
    ["--master local", cli(["--master", "local[*]", "s3://b/a.py"]), "/0/Args/1", "--master local[*] cannot be translated"],
    ["--deploy-mode other", cli(["--deploy-mode", "mesos", "s3://b/a.py"]), "/0/Args/1", "cannot be translated"],
    ["--properties-file", cli(["--properties-file", "/etc/x.conf", "s3://b/a.py"]), "/0/Args/1", "--properties-file cannot be translated"],
    ["--proxy-user", cli(["--proxy-user", "bob", "s3://b/a.py"]), "/0/Args/1", "--proxy-user"],
    ["--total-executor-cores", cli(["--total-executor-cores", "8", "s3://b/a.py"]), "/0/Args/1", "standalone"],
    ["--keytab", cli(["--keytab", "/k", "s3://b/a.py"]), "/0/Args/1", "Kerberos"],
    ["--supervise", cli(["--supervise", "s3://b/a.py"]), "/0/Args/0", "--supervise cannot be translated"],
    ["option without value", cli(["s3://b/a.py"]).map((s) => ({ ...s, Args: ["--class"] })), "/0/Args/0", "--class needs a value"],
    ["no application", cli(["--conf", "spark.a=1"]), "/0/Args/1", "names no application file"],
    ["conf without =", cli(["--conf", "spark.a", "s3://b/a.py"]), "/0/Args/1", "must be key=value"],
    ["cores not a number", cli(["--executor-cores", "two", "s3://b/a.py"]), "/0/Args/1", "whole number"],
    ["local jar in --jars", cli(["--jars", "/usr/lib/x.jar", "s3://b/a.py"]), "/0/Args/1", "local path"],
    ["file: application", api(["file:///home/hadoop/a.py"]), "/0/HadoopJarStep/Args/1", "local path"],
    [
      "HadoopJarStep.Properties",
      [
        {
          Name: "p",
          HadoopJarStep: { Jar: "command-runner.jar", Args: ["spark-submit", "s3://b/a.py"], Properties: [{ Key: "k", Value: "v" }] },
        },
      ],
      "/0/HadoopJarStep/Properties",
      "Java system properties",
    ],
    [
      "CLI Properties string",
      [{ Name: "p", Jar: "command-runner.jar", Args: ["spark-submit", "s3://b/a.py"], Properties: "k=v" }],
      "/0/Properties",
      "Java system properties",
    ],
    [
      "MainClass with command-runner",
      [{ Name: "m", HadoopJarStep: { Jar: "command-runner.jar", MainClass: "x.Y", Args: ["spark-submit", "s3://b/a.py"] } }],
      "/0/HadoopJarStep/MainClass",
      "takes no MainClass",
    ],
    [
      "script-runner",
      [{ Name: "s", HadoopJarStep: { Jar: "s3://elasticmapreduce/libs/script-runner/script-runner.jar", Args: ["s3://b/x.sh"] } }],
      "/0/HadoopJarStep/Jar",
      "script-runner.jar",
    ],
    [
      "command-runner s3-dist-cp",
      [{ Name: "cp", HadoopJarStep: { Jar: "command-runner.jar", Args: ["s3-dist-cp", "--src", "s3://a"] } }],
      "/0/HadoopJarStep/Args/0",
      "'s3-dist-cp'",
    ],
    ["command-runner without args", [{ Name: "e", HadoopJarStep: { Jar: "command-runner.jar" } }], "/0/HadoopJarStep/Args", "no command"],
    ["HIVE", [{ Type: "HIVE", Name: "h", Args: ["-f", "s3://b/q.sql"] }], "/0/Type", "spark.sql"],
    ["IMPALA", [{ Type: "IMPALA", Name: "i", Args: [] }], "/0/Type", "Impala"],
    ["unknown Type", [{ Type: "FLINK", Name: "f", Args: [] }], "/0/Type", "must be one of"],
    ["CUSTOM_JAR without Jar", [{ Type: "CUSTOM_JAR", Name: "c", Args: ["x"] }], "/0/Jar", "is required"],
    ["Spark step with Jar", [{ Type: "Spark", Name: "s", Jar: "x.jar", Args: ["s3://b/a.py"] }], "/0/Jar", "takes only Args"],
    [
      "StepMonitoringConfiguration",
      [{ ...api(["s3://b/a.py"])[0], StepMonitoringConfiguration: {} }],
      "/0/StepMonitoringConfiguration",
      "is not a field",
    ],
    [
      "HadoopJarStep unknown field",
      [{ Name: "x", HadoopJarStep: { Jar: "command-runner.jar", Args: ["spark-submit", "s3://b/a.py"], Env: {} } }],
      "/0/HadoopJarStep/Env",
      "is not a field of HadoopJarStep",
    ],
    ["HadoopJarStep not an object", [{ Name: "x", HadoopJarStep: "jar" }], "/0/HadoopJarStep", "must be an object"],
    [
      "bad memory maps back to the arg",
      cli(["--driver-memory", "lots", "s3://b/a.py"]),
      "/0/Args/1",
      "step 'etl': driverMemory must be a Spark memory size",
    ],
    ["non-spark conf key maps back", cli(["--conf", "fs.s3a.x=1", "s3://b/a.py"]), "/0/Args/1", "step 'etl': conf is not an allowed key"],
    [
      "credential in conf maps back",
      cli(["--conf", "spark.hadoop.fs.s3a.secret.key=abc", "s3://b/a.py"]),
      "/0/Args/1",
      "looks like a credential",
    ],
  ];
  for (const [name, doc, pointer, message] of refused) {
    it(name, () => {
      const p = problemsOf(validateJobDocument(doc));
      expect(
        p.find((x) => x.pointer === pointer && x.message.includes(message)),
        JSON.stringify(p),
      ).toBeDefined();
    });
  }

  it("names the step in translation problems", () => {
    const p = problemsOf(validateJobDocument(cli(["--supervise", "s3://b/a.py"])));
    expect(p[0].message).toMatch(/^step 'etl': /);
  });

  it("reports one cause per untranslatable step (no follow-on noise)", () => {
    const p = problemsOf(validateJobDocument([{ Type: "PIG", Name: "p", Args: ["x"] }]));
    expect(p).toHaveLength(1);
  });
});

describe("translateSparkSubmit", () => {
  it("records where each field came from", () => {
    const t = translateSparkSubmit(["--conf", "spark.a=1", "--driver-memory", "2g", "s3://b/a.py", "x"]);
    expect(t.problems).toEqual([]);
    expect(Object.fromEntries(t.origin)).toEqual({ "conf/spark.a": 1, driverMemory: 3, file: 4, args: 5 });
  });
});
