// S3A end to end on the embedded stack: the example job (keys by reference, a step reading and writing s3a://)
// runs on the default profile with the connector and committer on its S3A step only, its keys are filled in just
// before submission and appear in no log, record or event; on a profile without a connector the API refuses the
// same job with 400 naming the step and the fix, before any cluster is created.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import type { TestStack } from "../../support/stack";
import { createPuts, finish, sandboxControl, useStackPerFile } from "./jobHelpers";

const EXAMPLE = readFileSync(join(__dirname, "../../../examples/s3a-read-write.json"), "utf8");
const KEYS = ["LOCALPARTNERACCESSKEY", "local-partner-secret-key"]; // the sandbox's s3-partner secret (local/stack.ts)
const HDI51 =
  "org.apache.hadoop:hadoop-aws:3.3.4,com.amazonaws:aws-java-sdk-bundle:1.12.262,org.apache.spark:spark-hadoop-cloud_2.12:3.3.1";

let stack: TestStack;
useStackPerFile(
  (started) => (stack = started),
  () => {
    const profiles = mkdtempSync(join(tmpdir(), "jobflow-profiles-"));
    const bare: Record<string, unknown> = { ...structuredClone(BUILTIN_PROFILES.default), name: "no-s3a", description: "no S3A connector" };
    delete bare.s3a;
    writeFileSync(join(profiles, "no-s3a.json"), JSON.stringify(bare));
    return { settings: { JOBFLOW_PROFILES_PATH: profiles } };
  },
);

interface RevealedBatch {
  request: { name?: string; conf?: Record<string, string> };
}

describe("the S3A example on the embedded default", () => {
  it("runs end to end: connector + committer on the S3A step only, keys by reference, no key in any log", async () => {
    const id = await stack.submit(EXAMPLE);
    const r = await finish(stack, id);
    expect(r.error).toBeUndefined();
    expect(r.state).toBe("succeeded");
    const cluster = r.cluster.name as string;

    // What the "cluster" received (the sandbox's inspection, secrets revealed): the keys were filled in.
    const batches = (await sandboxControl<{ batches: RevealedBatch[] }>(stack, "GET", `/gateway/batches?cluster=${cluster}&reveal=true`))
      .body.batches;
    const curate = batches.find((b) => b.request.name?.includes("-curate-"))?.request.conf ?? {};
    const report = batches.find((b) => b.request.name?.includes("-report-"))?.request.conf ?? {};
    expect(curate).toMatchObject({
      "spark.jars.packages": HDI51,
      "spark.hadoop.fs.s3a.committer.name": "directory",
      "spark.sql.sources.commitProtocolClass": "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol",
      "spark.hadoop.fs.s3a.bucket.partner-feeds.access.key": KEYS[0],
      "spark.hadoop.fs.s3a.bucket.partner-feeds.secret.key": KEYS[1],
    });
    expect(curate["spark.hadoop.fs.s3a.bucket.partner-feeds.session.token"]).toBeUndefined(); // the secret has none
    expect(Object.keys(report).filter((k) => k.includes("s3a") || k.startsWith("spark.jars"))).toEqual([]);

    // The copied Livy log shows the command line, redacted; no key anywhere a user or operator can read.
    const logRes = await stack.api(`/jobs/${id}/steps/curate/log`);
    expect(logRes.status).toBe(200);
    const log = await logRes.text();
    expect(log).toContain(`'--conf' 'spark.jars.packages=${HDI51}'`);
    expect(log).toContain("'--conf' 'spark.hadoop.fs.s3a.bucket.partner-feeds.secret.key=*********(redacted)'");
    expect(log).toContain("'--conf' 'spark.hadoop.fs.s3a.committer.name=directory'");
    const visible = [
      log,
      await (await stack.api(`/jobs/${id}/steps/report/log`)).text(),
      JSON.stringify(await stack.job(id)),
      JSON.stringify(stack.events()),
    ];
    for (const text of visible) for (const key of KEYS) expect(text).not.toContain(key);
  }, 120_000);

  it("is refused with 400 on a profile without the connector, naming the step and the fix, creating nothing", async () => {
    const putsBefore = createPuts(stack).length;
    const doc = JSON.parse(EXAMPLE) as { cluster: { profile: string } };
    doc.cluster.profile = "no-s3a";
    const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify(doc), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { pointer: string; message: string }[] };
    expect(body.problems).toEqual([
      {
        pointer: "/steps/0/args/1",
        message: expect.stringContaining(
          "step 'curate' uses s3a:// but profile 'no-s3a' has no S3A connector: add s3a.connector to the profile",
        ),
      },
    ]);
    expect(createPuts(stack).length).toBe(putsBefore);
  }, 60_000);
});
