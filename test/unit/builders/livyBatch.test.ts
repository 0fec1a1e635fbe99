import { describe, expect, it } from "vitest";
import {
  buildLivyBatch,
  livyBatchName,
  LIVY_BATCH_NAME_MAX_LENGTH,
  resolveSecretRefs,
  S3A_CREDENTIALS_PROVIDERS,
  secretPlaceholder,
} from "../../../shared/builders/livyBatch";
import type { S3aDataAccess } from "../../../shared/model/job";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { sparkStep } from "./fixtures";

/** A profile with the built-in S3A connector and committer. */
const profile = { name: "default", s3a: BUILTIN_PROFILES.default.s3a };

const s3a: S3aDataAccess = {
  endpoint: "https://s3.example.net",
  region: "eu-west-1",
  pathStyleAccess: true,
  credentialsSecret: "s3-readonly",
  buckets: [],
};

describe("buildLivyBatch", () => {
  it("maps every step field to the CreateBatchRequest", () => {
    const step = sparkStep({
      file: "abfss://code@acct.dfs.core.windows.net/app.jar",
      className: "com.example.Main",
      args: ["--in", "a b", "$(id)"],
      jars: ["abfss://code@acct.dfs.core.windows.net/dep.jar"],
      pyFiles: ["abfss://code@acct.dfs.core.windows.net/lib.zip"],
      files: ["abfss://code@acct.dfs.core.windows.net/app.conf"],
      archives: ["abfss://code@acct.dfs.core.windows.net/env.tgz#env"],
      conf: { "spark.sql.shuffle.partitions": "64" },
      driverMemory: "4g",
      driverCores: 2,
      executorMemory: "8g",
      executorCores: 4,
      numExecutors: 10,
      queue: "batch",
    });
    const { body, secretRefs, warnings } = buildLivyBatch(step, { jobId: "job-1", attempt: 2, data: {}, profile });
    expect(body).toEqual({
      file: "abfss://code@acct.dfs.core.windows.net/app.jar",
      name: "job-1-ingest-2",
      className: "com.example.Main",
      args: ["--in", "a b", "$(id)"],
      jars: ["abfss://code@acct.dfs.core.windows.net/dep.jar"],
      pyFiles: ["abfss://code@acct.dfs.core.windows.net/lib.zip"],
      files: ["abfss://code@acct.dfs.core.windows.net/app.conf"],
      archives: ["abfss://code@acct.dfs.core.windows.net/env.tgz#env"],
      conf: { "spark.sql.shuffle.partitions": "64" },
      driverMemory: "4g",
      driverCores: 2,
      executorMemory: "8g",
      executorCores: 4,
      numExecutors: 10,
      queue: "batch",
    });
    expect(secretRefs).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("leaves out empty optional fields", () => {
    const { body } = buildLivyBatch(sparkStep({ args: [] }), {
      jobId: "j",
      attempt: 1,
      data: { adls: { accounts: [{ name: "x" }] } },
      profile,
    });
    expect(body).toEqual({ file: "abfss://code@jobflowlake.dfs.core.windows.net/ingest.py", name: "j-ingest-1" });
  });

  it("adds S3A conf with credentials by reference only", () => {
    const { body, secretRefs } = buildLivyBatch(sparkStep({ file: "s3a://bucket/report.py" }), {
      jobId: "j",
      attempt: 1,
      data: { s3a },
      profile: {
        name: "isolated",
        s3a: { connector: { jars: ["abfss://lib@acct.dfs.core.windows.net/hadoop-aws-3.3.4.jar"] }, committer: "none" },
      },
    });
    expect(body.conf).toEqual({
      "spark.hadoop.fs.s3a.endpoint": "https://s3.example.net",
      "spark.hadoop.fs.s3a.endpoint.region": "eu-west-1",
      "spark.hadoop.fs.s3a.path.style.access": "true",
      "spark.hadoop.fs.s3a.connection.ssl.enabled": "true",
      "spark.hadoop.fs.s3a.aws.credentials.provider": S3A_CREDENTIALS_PROVIDERS,
      "spark.hadoop.fs.s3a.access.key": "<secretRef:s3-readonly#accessKey>",
      "spark.hadoop.fs.s3a.secret.key": "<secretRef:s3-readonly#secretKey>",
      "spark.hadoop.fs.s3a.session.token": "<secretRef:s3-readonly#sessionToken>",
    });
    expect(body.jars).toEqual(["abfss://lib@acct.dfs.core.windows.net/hadoop-aws-3.3.4.jar"]);
    expect(secretRefs).toEqual([
      { confKey: "spark.hadoop.fs.s3a.access.key", secret: "s3-readonly", field: "accessKey" },
      { confKey: "spark.hadoop.fs.s3a.secret.key", secret: "s3-readonly", field: "secretKey" },
      { confKey: "spark.hadoop.fs.s3a.session.token", secret: "s3-readonly", field: "sessionToken", optional: true },
    ]);
  });

  it("scopes S3A conf per bucket and disables SSL for http endpoints", () => {
    const { body, secretRefs } = buildLivyBatch(sparkStep({ args: ["--in", "s3a://raw/x"] }), {
      jobId: "j",
      attempt: 1,
      profile,
      data: { s3a: { ...s3a, endpoint: "http://minio:9000", region: undefined, pathStyleAccess: false, buckets: ["raw", "ref"] } },
    });
    expect(body.conf!["spark.hadoop.fs.s3a.bucket.raw.endpoint"]).toBe("http://minio:9000");
    expect(body.conf!["spark.hadoop.fs.s3a.bucket.ref.connection.ssl.enabled"]).toBe("false");
    expect(body.conf!["spark.hadoop.fs.s3a.bucket.raw.path.style.access"]).toBe("false");
    expect(body.conf!["spark.hadoop.fs.s3a.endpoint"]).toBeUndefined();
    expect(Object.keys(body.conf!).some((k) => k.includes("region"))).toBe(false);
    expect(secretRefs.map((r) => r.confKey)).toContain("spark.hadoop.fs.s3a.bucket.ref.secret.key");
    expect(secretRefs).toHaveLength(6);
  });

  it("refuses step conf that would override generated S3A keys", () => {
    const step = sparkStep({ conf: { "spark.hadoop.fs.s3a.access.key": "AKIA-inline" } });
    expect(() => buildLivyBatch(step, { jobId: "j", attempt: 1, data: { s3a }, profile })).toThrow(/data.s3a/);
  });

  it("warns about s3a:// paths without a data.s3a section", () => {
    const { warnings } = buildLivyBatch(sparkStep({ file: "s3a://b/x.py" }), { jobId: "j", attempt: 1, data: {}, profile });
    expect(warnings).toHaveLength(1);
  });

  it("rejects attempt < 1", () => {
    expect(() => buildLivyBatch(sparkStep(), { jobId: "j", attempt: 0, data: {}, profile })).toThrow(/attempt/);
  });
});

describe("livyBatchName", () => {
  it("is <jobId>-<stepId>-<attempt> when short", () => {
    expect(livyBatchName("job", "step", 3)).toBe("job-step-3");
  });
  it("is bounded, unique and keeps the attempt when long", () => {
    const a = livyBatchName("j".repeat(90), "step-a", 1);
    const b = livyBatchName("j".repeat(90), "step-b", 1);
    expect(a.length).toBeLessThanOrEqual(LIVY_BATCH_NAME_MAX_LENGTH);
    expect(a).not.toBe(b);
    expect(a).toMatch(/-1$/);
    expect(livyBatchName("j".repeat(90), "step-a", 12)).toMatch(/-12$/);
  });
});

describe("resolveSecretRefs", () => {
  const { body, secretRefs } = buildLivyBatch(sparkStep({ file: "s3a://bucket/x.py" }), { jobId: "j", attempt: 1, data: { s3a }, profile });

  it("fills in values and drops an absent optional session token", () => {
    const resolved = resolveSecretRefs(body, secretRefs, { "s3-readonly": { accessKey: "AK", secretKey: "SK" } });
    expect(resolved.conf!["spark.hadoop.fs.s3a.access.key"]).toBe("AK");
    expect(resolved.conf!["spark.hadoop.fs.s3a.secret.key"]).toBe("SK");
    expect(resolved.conf!["spark.hadoop.fs.s3a.session.token"]).toBeUndefined();
    expect(body.conf!["spark.hadoop.fs.s3a.access.key"]).toBe(secretPlaceholder("s3-readonly", "accessKey"));
  });

  it("fills in a session token when present", () => {
    const resolved = resolveSecretRefs(body, secretRefs, { "s3-readonly": { accessKey: "AK", secretKey: "SK", sessionToken: "ST" } });
    expect(resolved.conf!["spark.hadoop.fs.s3a.session.token"]).toBe("ST");
  });

  it("fails without leaking values when a required field is missing", () => {
    expect(() => resolveSecretRefs(body, secretRefs, { "s3-readonly": { accessKey: "AK-VALUE" } })).toThrow(
      /s3-readonly has no field secretKey/,
    );
    try {
      resolveSecretRefs(body, secretRefs, { "s3-readonly": { accessKey: "AK-VALUE" } });
    } catch (err) {
      expect((err as Error).message).not.toContain("AK-VALUE");
    }
  });

  it("refuses refs that do not point at their placeholder, and leftover placeholders", () => {
    expect(() => resolveSecretRefs({ ...body, conf: { ...body.conf, "spark.hadoop.fs.s3a.access.key": "x" } }, secretRefs, {})).toThrow(
      /does not point/,
    );
    expect(() => resolveSecretRefs(body, [], {})).toThrow(/unresolved/);
  });

  it("leaves a body without secrets unchanged", () => {
    const plain = buildLivyBatch(sparkStep(), { jobId: "j", attempt: 1, data: {}, profile });
    expect(resolveSecretRefs(plain.body, plain.secretRefs, {})).toEqual(plain.body);
  });
});
