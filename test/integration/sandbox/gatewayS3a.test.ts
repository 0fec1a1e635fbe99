// The sandbox's Livy checks S3A like Spark would: s3a:// without the connector on the batch's jars/packages dies
// with ClassNotFoundException S3AFileSystem, a connector of other versions than the cluster's Hadoop dies with
// NoSuchMethodError, and the batch log shows the spark-submit command line with Spark's redaction applied.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runningCluster, startGatewayHarness, type GatewayHarness } from "../../support/gatewayHarness";
import { javaRegex, redactSparkConf } from "../../../local/sandbox/gateway/sparkSubmit";

const auth = { username: "admin", password: "Sandbox-Pa55word!" };
const csrf = { "x-requested-by": "jobflow", "content-type": "application/json" };
const HDI51 =
  "org.apache.hadoop:hadoop-aws:3.3.4,com.amazonaws:aws-java-sdk-bundle:1.12.262,org.apache.spark:spark-hadoop-cloud_2.12:3.3.1";
const LIB = "abfss://libs@acct.dfs.core.windows.net/s3a";
const KEY = "AKIACANARY0000000001";
const SECRET = "canary/Secret+Value/0123456789abcdefghij";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.gateway.reset();
  h.clusters.clear();
  h.clusters.set("jf-s3", runningCluster("jf-s3", Date.parse("2026-11-21T09:40:00Z")));
});

/** Submits a batch, lets it run to its end, returns its final state and full log. */
async function run(body: Record<string, unknown>): Promise<{ state: string; log: string[] }> {
  const posted = await h.request("POST", "/gateway/jf-s3/livy/batches", {
    basic: auth,
    headers: csrf,
    body: JSON.stringify({ name: "b", ...body }),
  });
  expect(posted.status).toBe(201);
  const { id } = posted.json<{ id: number }>();
  await h.clock.advanceBy(300_000); // past the default 120 s run, within Livy's 600 s retention
  const state = (await h.request("GET", `/gateway/jf-s3/livy/batches/${id}/state`, { basic: auth })).json<{ state: string }>().state;
  const log = (await h.request("GET", `/gateway/jf-s3/livy/batches/${id}/log?size=-1`, { basic: auth })).json<{ log: string[] }>().log;
  return { state, log };
}

const reads = { file: "abfss://code@acct.dfs.core.windows.net/job.py", args: ["--in", "s3a://feeds/day/"] };

describe("S3A on the sandbox's class path", () => {
  it("dies with ClassNotFoundException S3AFileSystem when s3a:// is used without the connector", async () => {
    for (const body of [
      reads,
      { file: "s3a://feeds/job.py" },
      { file: "abfss://c@a.dfs.core.windows.net/j.py", conf: { "spark.sql.warehouse.dir": "s3a://feeds/wh" } },
    ]) {
      const { state, log } = await run(body);
      expect(state).toBe("dead");
      expect(log).toContain(
        'Exception in thread "main" java.lang.RuntimeException: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found',
      );
      expect(log.at(-1)).toBe(
        "User class threw exception: java.lang.RuntimeException: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found",
      );
    }
  });

  it("dies with NoClassDefFoundError when hadoop-aws comes without the AWS SDK bundle", async () => {
    const { state, log } = await run({ ...reads, jars: [`${LIB}/hadoop-aws-3.3.4.jar`] });
    expect(state).toBe("dead");
    expect(log.join("\n")).toContain("java.lang.NoClassDefFoundError: com/amazonaws/AmazonClientException");
  });

  it("dies with NoSuchMethodError when the connector does not match the cluster's Hadoop 3.3.4", async () => {
    for (const packages of [
      "org.apache.hadoop:hadoop-aws:3.3.6,com.amazonaws:aws-java-sdk-bundle:1.12.367",
      "org.apache.hadoop:hadoop-aws:3.3.4,com.amazonaws:aws-java-sdk-bundle:1.11.901",
    ]) {
      const { state, log } = await run({ ...reads, conf: { "spark.jars.packages": packages } });
      expect(state).toBe("dead");
      expect(log.some((l) => l.startsWith('Exception in thread "main" java.lang.NoSuchMethodError: '))).toBe(true);
      expect(log.join("\n")).toMatch(
        /on HDInsight 5\.1 \(Hadoop 3\.3\.4, which needs hadoop-aws 3\.3\.4 \+ aws-java-sdk-bundle 1\.12\.262\)/,
      );
    }
  });

  it("runs with the matching connector, as packages or as jars, and a batch without s3a:// needs none", async () => {
    expect((await run({ ...reads, conf: { "spark.jars.packages": HDI51 } })).state).toBe("success");
    expect((await run({ ...reads, jars: [`${LIB}/hadoop-aws-3.3.4.jar`, `${LIB}/aws-java-sdk-bundle-1.12.262.jar`] })).state).toBe(
      "success",
    );
    expect(
      (
        await run({
          file: "abfss://code@acct.dfs.core.windows.net/job.py",
          conf: { "spark.hadoop.fs.s3a.endpoint": "https://s3.example.net" },
        })
      ).state,
    ).toBe("success");
  });
});

describe("the spark-submit command line in the Livy log", () => {
  const conf = {
    "spark.jars.packages": HDI51,
    "spark.hadoop.fs.s3a.bucket.feeds.access.key": KEY,
    "spark.hadoop.fs.s3a.bucket.feeds.secret.key": SECRET,
    "spark.hadoop.fs.s3a.bucket.feeds.session.token": "canary-session-token",
    "spark.hadoop.fs.s3a.bucket.feeds.endpoint": "https://s3.example.net",
  };

  it("shows every --conf with secret-looking values redacted, as Spark's default spark.redaction.regex does", async () => {
    const { state, log } = await run({ ...reads, className: "com.example.Main", conf });
    expect(state).toBe("success");
    const line = log.find((l) => l.startsWith("Running '/usr/hdp/current/spark3-client/bin/spark-submit'"));
    expect(line).toBeDefined();
    expect(line).toContain("'--class' 'com.example.Main'");
    expect(line).toContain(`'--conf' 'spark.jars.packages=${HDI51}'`);
    expect(line).toContain("'--conf' 'spark.hadoop.fs.s3a.bucket.feeds.secret.key=*********(redacted)'");
    expect(line).toContain("'--conf' 'spark.hadoop.fs.s3a.bucket.feeds.access.key=*********(redacted)'");
    expect(line).toContain("'--conf' 'spark.hadoop.fs.s3a.bucket.feeds.endpoint=https://s3.example.net'");
    expect(line).toMatch(/'--in' 's3a:\/\/feeds\/day\/'$/);
    for (const secret of [KEY, SECRET, "canary-session-token"]) expect(log.join("\n")).not.toContain(secret);
  });

  it("applies the batch's own spark.redaction.regex, like Spark", async () => {
    const { log } = await run({ ...reads, conf: { ...conf, "spark.redaction.regex": "(?i)endpoint" } });
    const line = log.find((l) => l.startsWith("Running ")) ?? "";
    expect(line).toContain("spark.hadoop.fs.s3a.bucket.feeds.endpoint=*********(redacted)");
    expect(line).toContain(SECRET); // a weaker regex lets keys through: Spark does the same
  });

  it("redacts by key or by value and reads Java inline flags", () => {
    expect(redactSparkConf({ "spark.x": "my-password-is", "spark.y": "plain" })).toEqual({
      "spark.x": "*********(redacted)",
      "spark.y": "plain",
    });
    expect(javaRegex("(?i)SECRET")?.test("x.secret.key")).toBe(true);
    expect(javaRegex("SECRET")?.test("x.secret.key")).toBe(false);
    expect(javaRegex("(")).toBeUndefined();
  });
});
