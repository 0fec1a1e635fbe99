// The jobflow CLI spawned as users run it (`node bin/jobflow.js …`) against a stub of our HTTP API.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobflowApi } from "../../../cli/apiClient";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { startStubApi, type StubApi } from "./stubApi";

const root = join(__dirname, "../../..");
let stub: StubApi;
let work: string;
const tempDirs: string[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` (default: a project folder without a discovery file) with only the given JOBFLOW_* variables. */
function jobflow(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("JOBFLOW_")) env[k] = v;
  Object.assign(env, options.env ?? { JOBFLOW_URL: stub.url, JOBFLOW_KEY: stub.key });
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, "bin/jobflow.js"), ...args], { cwd: options.cwd ?? work, env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI in this process (same `main` as bin/jobflow.js, output captured) — most cases, since a spawn costs
 * about a second; the spawned runs above cover the real entry point, exit codes and streams.
 */
async function inProcess(args: string[], env: Record<string, string> = { JOBFLOW_URL: stub.url, JOBFLOW_KEY: stub.key }): Promise<Run> {
  const out = memoryOutput();
  const code = await main(args, out, env);
  const text = (lines: string[]): string => (lines.length ? lines.join("\n") + "\n" : "");
  return { code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

function jobFile(name: string, content: unknown): string {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const doc = (name: string): unknown => ({
  name,
  cluster: { profile: "spark-small" },
  steps: [{ id: "ingest", type: "spark", file: "abfss://c@a.dfs.core.windows.net/i.py" }],
});

beforeAll(async () => {
  stub = await startStubApi({ acceptBearer: "token-from-entra" });
  work = mkdtempSync(join(tmpdir(), "jobflow-cli-it-"));
  tempDirs.push(work);
  writeFileSync(join(work, "package.json"), "{}");
});

afterAll(async () => {
  await stub.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("jobflow submit", () => {
  it("--wait follows the scripted job to success: progress lines, summary with cost, exit 0, the key sent", async () => {
    const r = await jobflow(["submit", jobFile("ok", doc("ok")), "--wait", "--interval-ms", "5"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("submitted job j-ok");
    expect(lines).toContain("2026-11-21 02:01:00Z  cluster jf-j-ok provisioning (Running)");
    expect(lines).toContain("2026-11-21 02:24:00Z  step ingest succeeded (attempt 1) after 3m00s");
    expect(lines).toContain("2026-11-21 02:33:00Z  job j-ok succeeded");
    expect(lines).toContain("job j-ok (nightly-sales) succeeded in 33m00s");
    expect(lines).toContain("  cost: 0.95 USD (78 node-minutes of jf-cluster; final; prices: retail-prices-api)");
    expect(r.stdout).not.toMatch(/sandbox \(virtual\) time/); // a deployment: real time
    const post = stub.requests.find((q) => q.method === "POST" && q.url === "/api/jobs" && q.body.includes('"ok"'));
    expect(post?.key).toBe(stub.key);
    expect(JSON.parse(post?.body ?? "")).toEqual(doc("ok"));
  });

  it("exits 3 when the job completes with failures (2 is a usage error) and 1 when it fails", async () => {
    const partial = await jobflow(["submit", jobFile("partial", doc("partial")), "--wait", "--interval-ms", "5"]);
    expect(partial.code).toBe(3);
    expect(partial.stdout).toContain("  step report failed: Livy batch dead: java.lang.OutOfMemoryError");
    const bad = await jobflow(["submit", jobFile("bad", doc("bad")), "--wait", "--interval-ms", "5", "--json"]);
    expect(bad.code).toBe(1);
    const result = JSON.parse(bad.stdout) as { id: string; exitCode: number; job: { state: string; error: string } };
    expect(result).toMatchObject({ id: "j-bad", exitCode: 1, job: { state: "failed", error: "step report failed (TERMINATE_CLUSTER)" } });
  });

  it("posts a bare EMR steps file as is", async () => {
    const steps = JSON.parse(readFileSync(join(root, "examples/emr-add-steps-cli.json"), "utf8")) as unknown;
    const r = await inProcess(["submit", jobFile("emr-steps", steps), "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: "j-emr", duplicate: false });
    expect(JSON.parse(stub.requests.filter((q) => q.url === "/api/jobs").at(-1)?.body ?? "")).toEqual(steps);
  });

  it("prints a problem+json 400 as one `pointer: message` line per problem (exit 1), or as JSON with --json", async () => {
    const file = jobFile("invalid", doc("invalid"));
    const human = await jobflow(["submit", file]);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe("");
    expect(human.stderr.trimEnd().split("\n")).toEqual([
      "jobflow: Invalid job document (HTTP 400)",
      "/steps/0/file: must have required property 'file'",
      "/cluster/profile: unknown profile 'huge' (known: default, spark-small)",
    ]);
    const json = await inProcess(["submit", file, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      status: 400,
      problems: [{ pointer: "/steps/0/file" }, { pointer: "/cluster/profile" }],
    });
  });

  it("says the key is wrong on a 401", async () => {
    const r = await inProcess(["status", "j-ok"], { JOBFLOW_URL: stub.url, JOBFLOW_KEY: "wrong" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unauthorized \(check JOBFLOW_KEY.*HTTP 401/);
  });
});

describe("jobflow with the local runtime's discovery file", () => {
  beforeAll(() => {
    stub.finishedJob("ok");
  });

  it("finds the API by itself and says that times are sandbox time", async () => {
    const project = mkdtempSync(join(tmpdir(), "jobflow-cli-local-"));
    tempDirs.push(project);
    writeFileSync(join(project, "package.json"), "{}");
    mkdirSync(join(project, ".data", "local"), { recursive: true });
    writeFileSync(
      join(project, ".data/local/jobflow-local.json"),
      JSON.stringify({
        apiUrl: stub.url,
        functionKey: stub.key,
        sandboxUrl: "https://127.0.0.1:1",
        sandboxCa: "/nowhere/ca.pem",
        clock: { mode: "scaled", speed: 60 },
      }),
    );
    mkdirSync(join(project, "jobs"));
    const r = await jobflow(["status", "j-ok"], { env: {}, cwd: join(project, "jobs") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("job      nightly-sales (j-ok)  succeeded  33m00s");
    expect(r.stdout).toContain("note: local runtime: timestamps are sandbox (virtual) time (scaled clock, 60× real time)");
  });

  it("without a discovery file or JOBFLOW_URL tells the user how to start one", async () => {
    const r = await jobflow(["clusters"], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("start the local runtime with `npm start`, or set JOBFLOW_URL and JOBFLOW_KEY");
    const json = await jobflow(["edges", "--json"], { env: {}, cwd: work });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { message: expect.stringContaining("npm start") } });
  });
});

describe("jobflow status, logs, cancel", () => {
  beforeAll(() => {
    stub.finishedJob("ok");
    stub.finishedJob("partial");
  });

  it("status --json is the job record; status lists jobs as a table", async () => {
    const one = await inProcess(["status", "j-ok", "--json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({ id: "j-ok", state: "succeeded", steps: [{ id: "ingest" }, { id: "report" }] });
    const list = await inProcess(["status", "--state", "succeeded"]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATE\s+SUBMITTED\s+ENDED\s+CLUSTER$/);
    expect(lines.slice(1).every((l) => / succeeded /.test(l))).toBe(true);
    expect(stub.requests.at(-1)?.url).toMatch(/^\/api\/jobs\?state=succeeded&limit=500$/);
    const missing = await inProcess(["status", "j-nope"]);
    expect(missing).toMatchObject({ code: 1, stderr: "jobflow: Not found: no job 'j-nope' (HTTP 404)\n" });
  });

  it("logs prints one step's attempt, or every step's last attempt; --json parses", async () => {
    const one = await inProcess(["logs", "j-partial", "report", "--attempt", "1"]);
    expect(one).toMatchObject({ code: 0, stdout: "log of report attempt 1\nline 2\n" });
    const all = await inProcess(["logs", "j-partial"]);
    expect(all.stdout.split("\n")).toEqual([
      "==> step ingest (attempt 1, succeeded) <==",
      "log of ingest attempt 1",
      "line 2",
      "",
      "==> step report (attempt 2, failed) <==",
      "log of report attempt 2",
      "line 2",
      "",
    ]);
    const json = await inProcess(["logs", "j-partial", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      jobId: "j-partial",
      logs: [
        { stepId: "ingest", attempt: 1, state: "succeeded", log: "log of ingest attempt 1\nline 2\n" },
        { stepId: "report", attempt: 2, state: "failed", log: "log of report attempt 2\nline 2\n" },
      ],
    });
    const usage = await inProcess(["logs", "j-partial", "--attempt", "1"]);
    expect(usage.code).toBe(2);
  });

  it("cancel posts the cancel request", async () => {
    const r = await inProcess(["cancel", "j-ok", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: "j-ok", cancelRequested: true });
    expect(stub.requests.at(-1)).toMatchObject({ method: "POST", url: "/api/jobs/j-ok/cancel" });
  });
});

describe("jobflow clusters and edges", () => {
  it("clusters follows pagination into one aligned table; --json parses", async () => {
    const r = await inProcess(["clusters"]);
    expect(r.stdout.trimEnd().split("\n")).toEqual([
      "NAME       STATE    PROVISIONING  MANAGED  LIFECYCLE         EXPIRES               CREATED",
      "jf-j-ok    Running  Succeeded     yes      ready (1 holder)  2026-11-21 14:01:00Z  2026-11-21 02:01:00Z",
      "hand-made  Running  Succeeded     no       -                 -                     -",
    ]);
    const json = JSON.parse((await inProcess(["clusters", "--json"])).stdout) as { clusters: { name: string }[] };
    expect(json.clusters.map((c) => c.name)).toEqual(["jf-j-ok", "hand-made"]);
  });

  it("clusters delete: requested, nothing to delete, refused for a cluster Jobflow does not manage", async () => {
    expect((await inProcess(["clusters", "delete", "jf-j-ok"])).stdout).toBe("delete requested for cluster jf-j-ok\n");
    expect(JSON.parse((await inProcess(["clusters", "delete", "gone", "--json"])).stdout)).toEqual({
      name: "gone",
      deleteRequested: false,
    });
    const refused = await inProcess(["clusters", "delete", "hand-made"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^jobflow: Not managed by Jobflow: cluster 'hand-made' has no jobflow-managed=true tag/);
  });

  it("edges lists VMs; attach --wait follows the operation to its end; detach without --wait returns at once", async () => {
    const list = await inProcess(["edges"]);
    expect(list.stdout.trimEnd().split("\n")).toEqual([
      "NAME             ATTACHED TO  BY   UPDATED",
      "dss-edge-01      jf-j-ok      api  2026-11-21 02:22:00Z",
      "jupyter-edge-01  -            -    -",
    ]);
    const attach = await inProcess(["edges", "attach", "dss-edge-01", "--cluster", "jf-j-ok", "--wait", "--interval-ms", "5"]);
    expect(attach.code).toBe(0);
    expect(attach.stdout.trimEnd().split("\n")).toEqual([
      "switch of dss-edge-01 to jf-j-ok (operation edge-dss-edge-01-attach):",
      "  starting",
      "  running",
      "  done",
      "switch of dss-edge-01 to jf-j-ok done: edge configured for jf-j-ok",
    ]);
    expect(stub.requests.find((q) => q.url === "/api/edges/dss-edge-01/attach")?.body).toBe('{"cluster":"jf-j-ok"}');
    const detach = await inProcess(["edges", "detach", "dss-edge-01", "--json"]);
    expect(JSON.parse(detach.stdout)).toMatchObject({ vm: "dss-edge-01", mode: "detach", operationId: "edge-dss-edge-01-detach" });
    const unknown = await inProcess(["edges", "attach", "nope", "--cluster", "c"]);
    expect(unknown.code).toBe(1);
    expect((await inProcess(["edges", "attach", "dss-edge-01"])).code).toBe(2); // --cluster missing
  });
});

describe("JobflowApi with Entra ID sign-in", () => {
  it("sends a bearer token from its token source instead of a function key", async () => {
    const api = new JobflowApi(
      { baseUrl: stub.url, auth: { kind: "entra", scope: "api://jobflow/.default" }, source: { kind: "env" } },
      { tokens: { getToken: async () => "token-from-entra" } },
    );
    expect((await api.listEdges()).map((e) => e.name)).toEqual(["dss-edge-01", "jupyter-edge-01"]);
    expect(stub.requests.at(-1)).toMatchObject({ authorization: "Bearer token-from-entra" });
    expect(stub.requests.at(-1)?.key).toBeUndefined();
  });
});
