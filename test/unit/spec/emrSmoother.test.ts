// EMR migration details (issue 15): s3:// inside argument and conf values, the deprecated --master yarn-cluster,
// invalid JSON with line and column, one clear message for an unrecognised document shape.
import { describe, expect, it } from "vitest";
import { parseJobText, validateJobDocument } from "../../../shared/spec";
import { toS3aInValue } from "../../../shared/spec/uris";

const emr = (args: string[]) => [
  { Name: "s", ActionOnFailure: "CONTINUE", HadoopJarStep: { Jar: "command-runner.jar", Args: ["spark-submit", ...args] } },
];

describe("s3:// inside values", () => {
  const table: [string, string][] = [
    ["s3://b/x", "s3a://b/x"],
    ["--output-path=s3://b/x", "--output-path=s3a://b/x"],
    ["s3://a/x,s3n://b/y", "s3a://a/x,s3a://b/y"],
    ["path:s3://b/x", "path:s3a://b/x"],
    ["mys3://b/x", "mys3://b/x"],
    ["s3a://already", "s3a://already"],
    ["https://s3://weird", "https://s3://weird"],
  ];
  for (const [input, want] of table) it(`${input} → ${want}`, () => expect(toS3aInValue(input)).toBe(want));

  it("rewrites argument and --conf values of an EMR step", () => {
    const r = validateJobDocument(
      emr([
        "--conf",
        "spark.yarn.dist.files=s3://b/a.txt,s3n://b/b.txt",
        "--conf",
        "spark.eventLog.dir=s3://logs/spark",
        "s3://b/app.py",
        "--output-path=s3://b/out",
        "--in",
        "s3n://b/in",
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.job.steps[0].conf).toMatchObject({
      "spark.yarn.dist.files": "s3a://b/a.txt,s3a://b/b.txt",
      "spark.eventLog.dir": "s3a://logs/spark",
    });
    expect(r.job.steps[0].args).toEqual(["--output-path=s3a://b/out", "--in", "s3a://b/in"]);
  });
});

describe("--master", () => {
  it("accepts the deprecated yarn-cluster and yarn-client spellings (Livy runs in cluster mode)", () => {
    for (const master of ["yarn", "yarn-cluster", "yarn-client"]) {
      const r = validateJobDocument(emr(["--master", master, "s3://b/app.py"]));
      expect(r.ok ? [] : r.problems).toEqual([]);
    }
    const local = validateJobDocument(emr(["--master", "local[*]", "s3://b/app.py"]));
    expect(local.ok ? [] : local.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/--master local\[\*\] cannot be translated/),
    ]);
  });
});

describe("document shape and JSON syntax", () => {
  it("gives line and column of invalid JSON", () => {
    const r = parseJobText('{\n  "name": "n",\n  "steps": [\n    { "id": "a", }\n  ]\n}');
    expect(r.ok ? [] : r.problems).toEqual([
      { pointer: "", message: expect.stringMatching(/^is not valid JSON at line 4, column 18: \S/) },
    ]);
    const empty = parseJobText("");
    expect(empty.ok ? [] : empty.problems[0].message).toMatch(/^is not valid JSON/);
  });

  it("says once that Terraform step blocks are not EMR steps", () => {
    const terraform = [
      {
        name: "Setup Hadoop Debugging",
        action_on_failure: "TERMINATE_CLUSTER",
        hadoop_jar_step: [{ jar: "command-runner.jar", args: ["state-pusher-script"] }],
      },
    ];
    for (const doc of [terraform, { step: terraform }]) {
      const r = validateJobDocument(doc);
      expect(r.ok ? [] : r.problems).toEqual([
        { pointer: "", message: expect.stringMatching(/^looks like Terraform's aws_emr_cluster step blocks/) },
      ]);
    }
  });

  it("says once what was expected for an unknown object, and spots a single EMR step", () => {
    const r = validateJobDocument({ Cluster: "x", Instances: {}, Applications: [] });
    expect(r.ok ? [] : r.problems).toEqual([
      {
        pointer: "",
        message: expect.stringMatching(
          /^is not a recognised document \(found "Cluster", "Instances", "Applications"\): expected a Jobflow job document/,
        ),
      },
    ]);
    const single = validateJobDocument(emr(["s3://b/app.py"])[0]);
    expect(single.ok ? [] : single.problems).toEqual([
      { pointer: "", message: 'is a single EMR step: put it in a list ([{…}]) or under "Steps"' },
    ]);
  });
});
