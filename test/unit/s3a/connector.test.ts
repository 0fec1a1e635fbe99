// The S3A connector: versions matched to the cluster, added to exactly the steps that touch S3A, committer conf,
// and jobs refused offline on a profile without a connector.
import { describe, expect, it } from "vitest";
import { buildLivyBatch } from "../../../shared/builders/livyBatch";
import type { S3aProfileSettings } from "../../../shared/model/profile";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { profileCatalog, validateProfileDocument } from "../../../shared/profiles/catalog";
import { committerConf, PATH_OUTPUT_COMMIT_PROTOCOL, S3A_COMMITTER_FACTORY } from "../../../shared/s3a/committer";
import { connectorPackages, connectorProblems, identifyArtifact } from "../../../shared/s3a/versions";
import { validateJobDocument } from "../../../shared/spec/validate";
import { sparkStep } from "../builders/fixtures";

const HDI51 = [
  "org.apache.hadoop:hadoop-aws:3.3.4",
  "com.amazonaws:aws-java-sdk-bundle:1.12.262",
  "org.apache.spark:spark-hadoop-cloud_2.12:3.3.1",
];
const LIB = "abfss://libs@acct.dfs.core.windows.net/s3a";

describe("connector versions", () => {
  it("HDInsight 5.1 = hadoop-aws 3.3.4 + aws-java-sdk-bundle 1.12.262 + spark-hadoop-cloud_2.12 3.3.1", () => {
    expect(connectorPackages("5.1")).toEqual(HDI51);
    expect(connectorPackages("4.0")).toEqual([]);
  });

  it("recognises coordinates and jar file names", () => {
    expect(identifyArtifact("org.apache.hadoop:hadoop-aws:3.3.4")).toEqual({ artifact: "hadoop-aws", version: "3.3.4" });
    expect(identifyArtifact(`${LIB}/aws-java-sdk-bundle-1.12.262.jar`)).toEqual({ artifact: "aws-java-sdk-bundle", version: "1.12.262" });
    expect(identifyArtifact(`${LIB}/spark-hadoop-cloud_2.13-3.3.1.jar`)).toEqual({
      artifact: "spark-hadoop-cloud",
      version: "3.3.1",
      scala: "2.13",
    });
    expect(identifyArtifact("io.delta:delta-core_2.12:2.3.0")).toBeUndefined();
  });

  it("accepts the matching connector as packages or as jars", () => {
    expect(connectorProblems({ connector: { packages: HDI51 } }, "5.1")).toEqual([]);
    const jars = [`${LIB}/hadoop-aws-3.3.4.jar`, `${LIB}/aws-java-sdk-bundle-1.12.262.jar`, `${LIB}/spark-hadoop-cloud_2.12-3.3.1.jar`];
    expect(connectorProblems({ connector: { jars }, committer: "magic" }, "5.1")).toEqual([]);
    expect(connectorProblems(undefined, "5.1")).toEqual([]);
  });

  it("refuses versions that do not match the cluster, naming the right coordinate", () => {
    const problems = connectorProblems(
      {
        connector: {
          packages: [
            "org.apache.hadoop:hadoop-aws:3.3.6",
            "com.amazonaws:aws-java-sdk-bundle:1.12.367",
            "org.apache.spark:spark-hadoop-cloud_2.13:3.3.1",
          ],
        },
      },
      "5.1",
    );
    expect(problems.map((p) => p.pointer)).toEqual(["/s3a/connector/packages/0", "/s3a/connector/packages/1", "/s3a/connector/packages/2"]);
    expect(problems[0].message).toContain("use org.apache.hadoop:hadoop-aws:3.3.4");
    expect(problems[0].message).toContain("NoSuchMethodError");
    expect(problems[1].message).toContain("use com.amazonaws:aws-java-sdk-bundle:1.12.262");
    expect(problems[2].message).toContain("spark-hadoop-cloud_2.12:3.3.1");
  });

  it("requires the SDK bundle, and spark-hadoop-cloud unless the committer is none", () => {
    const onlyAws: S3aProfileSettings = { connector: { jars: [`${LIB}/hadoop-aws-3.3.4.jar`] } };
    const messages = connectorProblems(onlyAws, "5.1").map((p) => p.message);
    expect(messages).toEqual([
      "the S3A connector lacks com.amazonaws:aws-java-sdk-bundle:1.12.262",
      expect.stringContaining("the S3A connector lacks org.apache.spark:spark-hadoop-cloud_2.12:3.3.1 (Spark's S3A committer bindings"),
    ]);
    expect(connectorProblems({ ...onlyAws, committer: "none" }, "5.1").map((p) => p.message)).toEqual([
      "the S3A connector lacks com.amazonaws:aws-java-sdk-bundle:1.12.262",
    ]);
  });

  it("is part of profile validation; every built-in profile carries the matching connector", () => {
    const doc = {
      ...structuredClone(BUILTIN_PROFILES.default),
      name: "old-aws",
      s3a: { connector: { packages: ["org.apache.hadoop:hadoop-aws:3.3.2", HDI51[1], HDI51[2]] } },
    };
    const checked = validateProfileDocument(doc);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems.map((p) => p.pointer)).toEqual(["/s3a/connector/packages/0"]);
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      expect(validateProfileDocument(profile).ok, profile.name).toBe(true);
      expect(profile.s3a).toEqual({ connector: { packages: HDI51 }, committer: "directory" });
    }
  });
});

describe("the connector and committer on the Livy batch", () => {
  const profile = { name: "default", s3a: BUILTIN_PROFILES.default.s3a };
  const data = { s3a: { endpoint: "https://s3.example.net", pathStyleAccess: true, credentialsSecret: "s3-keys", buckets: [] } };

  it("adds packages, committer and data.s3a conf to a step that touches S3A", () => {
    const { body } = buildLivyBatch(sparkStep({ args: ["--in", "s3a://b/in", "--out", "s3a://b/out"] }), {
      jobId: "j",
      attempt: 1,
      data,
      profile,
    });
    expect(body.conf).toMatchObject({
      "spark.jars.packages": HDI51.join(","),
      "spark.hadoop.fs.s3a.committer.name": "directory",
      "spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a": S3A_COMMITTER_FACTORY,
      "spark.sql.sources.commitProtocolClass": PATH_OUTPUT_COMMIT_PROTOCOL,
      "spark.hadoop.fs.s3a.endpoint": "https://s3.example.net",
    });
    expect(body.jars).toBeUndefined();
  });

  it("adds nothing to a step that does not touch S3A, even in a job with data.s3a", () => {
    const { body, secretRefs } = buildLivyBatch(sparkStep({ conf: { "spark.sql.shuffle.partitions": "8" } }), {
      jobId: "j",
      attempt: 1,
      data,
      profile,
    });
    expect(body.conf).toEqual({ "spark.sql.shuffle.partitions": "8" });
    expect(secretRefs).toEqual([]);
  });

  it("keeps the step's own packages and committer choice; appends jar connectors", () => {
    const step = sparkStep({
      file: "s3a://b/app.py",
      conf: { "spark.jars.packages": "io.delta:delta-core_2.12:2.3.0", "spark.hadoop.fs.s3a.committer.name": "magic" },
    });
    const { body } = buildLivyBatch(step, { jobId: "j", attempt: 1, data, profile });
    expect(body.conf!["spark.jars.packages"]).toBe(["io.delta:delta-core_2.12:2.3.0", ...HDI51].join(","));
    expect(body.conf!["spark.hadoop.fs.s3a.committer.name"]).toBe("magic");
    const jarsProfile = {
      name: "isolated",
      s3a: { connector: { jars: [`${LIB}/hadoop-aws-3.3.4.jar`, `${LIB}/aws-java-sdk-bundle-1.12.262.jar`] }, committer: "none" as const },
    };
    const built = buildLivyBatch(sparkStep({ file: "s3a://b/app.py", jars: [`${LIB}/hadoop-aws-3.3.4.jar`] }), {
      jobId: "j",
      attempt: 1,
      data,
      profile: jarsProfile,
    });
    expect(built.body.jars).toEqual([`${LIB}/hadoop-aws-3.3.4.jar`, `${LIB}/aws-java-sdk-bundle-1.12.262.jar`]);
    expect(built.body.conf!["spark.jars.packages"]).toBeUndefined();
    expect(built.body.conf!["spark.hadoop.fs.s3a.committer.name"]).toBeUndefined();
  });

  it("passes repositories for a mirror", () => {
    const mirror = { name: "mirror", s3a: { connector: { packages: HDI51, repositories: ["https://artifacts.example.net/maven"] } } };
    const { body } = buildLivyBatch(sparkStep({ file: "s3a://b/app.py" }), { jobId: "j", attempt: 1, data, profile: mirror });
    expect(body.conf!["spark.jars.repositories"]).toBe("https://artifacts.example.net/maven");
  });

  it("refuses to build a batch for an S3A step on a profile without a connector", () => {
    expect(() =>
      buildLivyBatch(sparkStep({ file: "s3a://b/app.py" }), { jobId: "j", attempt: 1, data, profile: { name: "bare" } }),
    ).toThrow("step 'ingest' uses s3a:// but profile 'bare' has no S3A connector: add s3a.connector to the profile");
  });

  it("committer conf per committer", () => {
    expect(committerConf("none")).toEqual({});
    expect(committerConf("magic")["spark.hadoop.fs.s3a.committer.magic.enabled"]).toBe("true");
    expect(committerConf("partitioned")["spark.hadoop.fs.s3a.committer.name"]).toBe("partitioned");
    expect(committerConf("directory")["spark.hadoop.fs.s3a.committer.magic.enabled"]).toBeUndefined();
  });
});

describe("refused offline on a profile without a connector", () => {
  const bare = { ...structuredClone(BUILTIN_PROFILES.default), name: "bare" };
  delete bare.s3a;
  const profiles = profileCatalog([bare]);
  const job = (profile: string, step: Record<string, unknown>) => ({
    name: "n",
    cluster: { profile },
    steps: [
      { id: "read", file: "abfss://c@a.dfs.core.windows.net/a.py", ...step },
      { id: "adls", file: "abfss://c@a.dfs.core.windows.net/b.py" },
    ],
  });

  it.each([
    ["file", { file: "s3a://b/a.py" }, "/steps/0/file"],
    ["an argument", { args: ["--in=s3a://b/in"] }, "/steps/0/args/0"],
    ["a conf value", { conf: { "spark.sql.warehouse.dir": "s3a://b/wh" } }, "/steps/0/conf/spark.sql.warehouse.dir"],
  ])("names the step and the profile setting when S3A is in %s", (_n, step, pointer) => {
    const doc = job("bare", step);
    const result = validateJobDocument(
      { ...doc, data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-keys" } } },
      { profiles },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        pointer,
        message: expect.stringContaining(
          "step 'read' uses s3a:// but profile 'bare' has no S3A connector: add s3a.connector to the profile",
        ),
      },
    ]);
    expect(
      validateJobDocument(
        { ...doc, data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-keys" } } },
        { profiles: profileCatalog() },
      ).ok,
    ).toBe(false); // 'bare' unknown there
    expect(
      validateJobDocument(
        { ...job("default", step), data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-keys" } } },
        { profiles },
      ).ok,
    ).toBe(true);
  });

  it("accepts a job without S3A on that profile", () => {
    expect(validateJobDocument(job("bare", {}), { profiles }).ok).toBe(true);
  });
});

describe("a step's own spark.redaction.regex", () => {
  const doc = (regex: string, file = "s3a://b/a.py") => ({
    name: "n",
    steps: [{ id: "s", file, conf: { "spark.redaction.regex": regex } }],
    data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-keys" } },
  });

  it("is accepted when it still hides the S3A credential keys", () => {
    for (const regex of ["(?i)secret|password|token|access[.]key", "(?i)secret|token|access.key|my-app-pass"]) {
      expect(validateJobDocument(doc(regex)).ok, regex).toBe(true);
    }
  });

  it("is refused when keys would reach Livy's log, or when it does not compile", () => {
    const weak = validateJobDocument(doc("(?i)password"));
    expect(weak.ok ? [] : weak.problems).toEqual([
      {
        pointer: "/steps/0/conf/spark.redaction.regex",
        message: expect.stringContaining("does not match the S3A credential keys (access.key, secret.key, session.token)"),
      },
    ]);
    const caseSensitive = validateJobDocument(doc("SECRET|TOKEN|ACCESS[.]KEY"));
    expect(caseSensitive.ok).toBe(false);
    const broken = validateJobDocument(doc("(secret"));
    expect(broken.ok ? [] : broken.problems.map((p) => p.message)).toEqual([expect.stringContaining("is not a valid regular expression")]);
  });

  it("does not matter for a step that gets no S3A secrets", () => {
    expect(validateJobDocument(doc("(?i)password", "abfss://c@a.dfs.core.windows.net/a.py")).ok).toBe(true);
  });
});
