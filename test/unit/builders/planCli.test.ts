// `jobflow plan` end to end: spawns the real CLI (node bin/jobflow.js) on the examples.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isValidClusterName } from "../../../shared/builders/clusterName";
import { EDGE_SYNC_SCRIPT } from "../../../shared/builders/edgeSyncScript";
import { sha256Hex } from "../../../shared/builders/sha256";

const ROOT = join(__dirname, "../../..");
const AT = "2026-11-21T10:00:00Z";

function jobflow(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin/jobflow.js"), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

interface PlanJson {
  ok: boolean;
  job: { name: string; source: string; steps: number; edges: string[] };
  cluster: {
    name: string;
    reuse: string;
    profile: { hash: string };
    createRequest: { tags: Record<string, string>; properties: Record<string, unknown> };
  };
  batches: { stepId: string; body: { name: string; file: string; conf?: Record<string, string> }; secretRefs: { confKey: string }[] }[];
  edges: {
    script: { sha256: string; lengthInBytes: number; text: string };
    commands: { vm: string; parameters: { name: string; value: string }[]; protectedParameters: { name: string; value: unknown }[] }[];
  };
}

describe("jobflow plan", () => {
  it("plans every example (job documents and both EMR forms) as one JSON document each", async () => {
    const examples = [
      "pyspark-single-step.json",
      "dag-adls-s3a.json",
      "emr-add-steps-cli.json",
      "emr-api-stepconfig.json",
      "edge-vm-job.json",
    ];
    const runs = await Promise.all(examples.map((f) => jobflow(["plan", `examples/${f}`, "--json", "--at", AT])));
    for (const [i, run] of runs.entries()) {
      expect(run.stderr, examples[i]).toBe("");
      expect(run.code, examples[i]).toBe(0);
      const plan = JSON.parse(run.stdout) as PlanJson;
      expect(plan.ok).toBe(true);
      expect(isValidClusterName(plan.cluster.name)).toBe(true);
      expect(plan.cluster.createRequest.tags["jobflow-managed"]).toBe("true");
      expect(plan.cluster.createRequest.tags["jobflow-created-at"]).toBe("2026-11-21T10:00:00.000Z");
      expect(plan.batches).toHaveLength(plan.job.steps);
      expect(plan.edges.script.sha256).toBe(sha256Hex(EDGE_SYNC_SCRIPT));
      expect(plan.edges.script.text).toBe(EDGE_SYNC_SCRIPT);
      expect(plan.edges.commands.map((c) => c.vm)).toEqual(plan.job.edges);
      expect(run.stdout).not.toContain("plan-placeholder"); // the stand-in passwords never leave the builder
      const secretRefs = run.stdout.match(/"secretRef": "[^"]+"/g) ?? [];
      expect(secretRefs.length).toBeGreaterThanOrEqual(4); // gateway + ssh per role
    }
    const byName = Object.fromEntries(runs.map((r, i) => [examples[i], JSON.parse(r.stdout) as PlanJson]));
    expect(byName["emr-add-steps-cli.json"].job.source).toBe("emr-cli");
    expect(byName["emr-api-stepconfig.json"].job.source).toBe("emr-api");
    const dag = byName["dag-adls-s3a.json"];
    expect(dag.batches.map((b) => b.body.name)).toEqual([
      "nightly-sales-2026-11-21-ingest-orders-1",
      "nightly-sales-2026-11-21-ingest-partner-feed-1",
      "nightly-sales-2026-11-21-report-1",
    ]);
    expect(dag.batches[1].secretRefs.map((r) => r.confKey)).toContain("spark.hadoop.fs.s3a.bucket.partner-feeds.secret.key");
    expect(dag.batches[1].body.conf!["spark.hadoop.fs.s3a.bucket.partner-feeds.access.key"]).toBe("<secretRef:s3-readonly#accessKey>");
    const edge = byName["edge-vm-job.json"].edges.commands[0];
    expect(edge.parameters).toContainEqual({ name: "JF_CLUSTER_NAME", value: byName["edge-vm-job.json"].cluster.name });
    expect(edge.protectedParameters).toEqual([{ name: "JF_BUNDLE_URL", value: { secretRef: "bundle-url" } }]);
  });

  it("prints a readable plan with the edge script once", async () => {
    const run = await jobflow(["plan", "examples/edge-vm-job.json", "--at", AT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("HDInsight create request");
    expect(run.stdout).toContain('"secretRef": "cluster-gateway-password"');
    expect(run.stdout).toContain("dss-edge-01: run command jobflow-attach-");
    expect(run.stdout).toContain('JF_BUNDLE_URL={"secretRef":"bundle-url"} (protected)');
    expect(run.stdout.match(/^ {2}\| set -euo pipefail$/gm)).toHaveLength(1);
    expect(run.stdout).toContain(`sha256 ${sha256Hex(EDGE_SYNC_SCRIPT)}`);
  });

  it("reports problems with exit 1 and usage errors with exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-plan-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "x", cluster: { profile: "no-such-profile" }, steps: [] }));
    const [invalid, missing, usage, badAt] = await Promise.all([
      jobflow(["plan", bad, "--json"]),
      jobflow(["plan", join(dir, "nope.json")]),
      jobflow(["plan"]),
      jobflow(["plan", "examples/pyspark-single-step.json", "--at", "yesterday"]),
    ]);
    expect(invalid.code).toBe(1);
    const report = JSON.parse(invalid.stdout) as { ok: boolean; problems: { pointer: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("cannot read");
    expect(usage.code).toBe(2);
    expect(badAt.code).toBe(2);
  });
});
