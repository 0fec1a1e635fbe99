// The S3A example through the CLI, offline: `plan` shows the connector and committer of its S3A step (and none
// for its ADLS-only step); on a profile without a connector `validate` and `plan` refuse it naming the fix.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";

const root = join(__dirname, "../../..");
const example = join(root, "examples", "s3a-read-write.json");
const HDI51 = [
  "org.apache.hadoop:hadoop-aws:3.3.4",
  "com.amazonaws:aws-java-sdk-bundle:1.12.262",
  "org.apache.spark:spark-hadoop-cloud_2.12:3.3.1",
];

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const out = memoryOutput();
  const code = await main(args, out);
  return { code, stdout: out.stdout.join("\n") };
}

describe("plan of the S3A example", () => {
  it("shows connector and committer for the S3A step, credentials as references only", async () => {
    const r = await cli("plan", example, "--json");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      batches: { stepId: string; s3a?: unknown; body: { conf?: Record<string, string> }; secretRefs: unknown[] }[];
    };
    const [curate, report] = plan.batches;
    expect(curate.s3a).toEqual({ via: "packages", connector: HDI51, committer: "directory" });
    expect(curate.body.conf?.["spark.jars.packages"]).toBe(HDI51.join(","));
    expect(curate.body.conf?.["spark.hadoop.fs.s3a.bucket.partner-feeds.secret.key"]).toBe("<secretRef:s3-partner#secretKey>");
    expect(curate.secretRefs).toHaveLength(3);
    expect(report.s3a).toBeUndefined();
    expect(report.secretRefs).toEqual([]);
    const text = await cli("plan", example);
    expect(text.stdout).toContain(`S3A: connector (packages) ${HDI51.join(", ")}; committer directory`);
  });
});

describe("the S3A example on a profile without a connector", () => {
  const dir = mkdtempSync(join(tmpdir(), "jobflow-s3a-cli-"));
  const bare: Record<string, unknown> = { ...structuredClone(BUILTIN_PROFILES.default), name: "no-s3a" };
  delete bare.s3a;
  writeFileSync(join(dir, "no-s3a.json"), JSON.stringify(bare));
  const job = join(mkdtempSync(join(tmpdir(), "jobflow-s3a-job-")), "job.json");
  writeFileSync(job, JSON.stringify({ ...JSON.parse(readFileSync(example, "utf8")), cluster: { profile: "no-s3a" } }));
  const expected = "/steps/0/args/1: step 'curate' uses s3a:// but profile 'no-s3a' has no S3A connector: add s3a.connector to the profile";

  it("is refused by validate and plan, offline, with the fix named", async () => {
    for (const command of ["validate", "plan"]) {
      const r = await cli(command, job, "--profiles", dir);
      expect(r.code, command).toBe(1);
      expect(r.stdout.split("\n")).toEqual([expect.stringContaining(expected)]);
    }
  });
});
