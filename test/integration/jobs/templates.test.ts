// Parameters and templates end to end on the embedded stack: the parameterised example submitted with the CLI's
// `-p` runs with its placeholders rendered into the Livy bodies; an Airflow-templated EMR file posted as
// {job, parameters, logicalDate} renders with Airflow's names and runs; an unresolved placeholder or a ${…} is a
// 400 naming the placeholder and its pointer with nothing created; a schedule renders each run with Airflow's data
// interval (ds = the previous occurrence) and its parameter values.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { finish, record, runCli, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const root = join(__dirname, "../../..");
const example = (name: string): string => join(root, "examples", name);

interface RevealedBatch {
  request: { name?: string; file: string; args?: string[]; conf?: Record<string, string>; pyFiles?: string[] };
}

async function livyRequests(cluster: string): Promise<RevealedBatch["request"][]> {
  const res = await sandboxControl<{ batches: RevealedBatch[] }>(
    stack,
    "GET",
    `/gateway/batches?cluster=${encodeURIComponent(cluster)}&reveal=true`,
  );
  expect(res.status).toBe(200);
  return res.body.batches.map((b) => b.request);
}

const cli = (argv: string[]): ReturnType<typeof runCli> => runCli(stack, argv);

describe("a parameterised job", () => {
  it("submitted with `jobflow submit -p` runs with every placeholder rendered into the Livy body", async () => {
    const submitted = await cli(["submit", example("templated-daily-job.json"), "-p", "region=apac", "-p", "partitions=16", "--json"]);
    expect(submitted.errors).toEqual([]);
    expect(submitted.code).toBe(0);
    const id = (submitted.json as { id: string }).id;
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    const ds = new Date(r.submittedAt).toISOString().slice(0, 10); // a manual run: logical date = submission time
    expect(r.name).toBe(`daily-sales-${ds.replace(/-/g, "")}`);
    expect(r.parameters).toEqual({ lake: "jobflowdata", region: "apac", partitions: "16" });
    expect(r.steps[0].name).toBe(`aggregate apac ${ds}`);
    const [body] = await livyRequests(r.cluster.name as string);
    expect(body.file).toBe("abfss://code@jobflowdata.dfs.core.windows.net/jobs/aggregate_sales.py");
    expect(body.pyFiles).toEqual(["abfss://code@jobflowdata.dfs.core.windows.net/libs/sales_common.zip"]);
    expect(body.args).toEqual([
      "--input",
      `abfss://raw@jobflowdata.dfs.core.windows.net/sales/apac/${ds.replace(/-/g, "/")}/`,
      "--since",
      new Date(Date.parse(ds) - 6 * 86_400_000).toISOString().slice(0, 10),
      "--output",
      `abfss://curated@jobflowdata.dfs.core.windows.net/sales/apac/dt=${ds}/`,
      "--partitions",
      "16",
    ]);
    expect(body.conf).toMatchObject({ "spark.app.name": `daily-sales-apac-${ds.replace(/-/g, "")}`, "spark.sql.shuffle.partitions": "16" });
    expect(JSON.stringify(body)).not.toContain("{{");
  }, 120_000);

  it("refuses a bad value, an undeclared one and an unresolved placeholder with 400, naming each, creating nothing", async () => {
    const before = stack.host.engine?.query().length ?? 0;
    const job = JSON.parse(readFileSync(example("templated-daily-job.json"), "utf8")) as Record<string, unknown>;
    (job.steps as Record<string, unknown>[])[0].args = ["{{ params.missing }}", "--jar=${jarV}"];
    const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify({ job, parameters: { region: "mars", colour: "red" } }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { pointer: string; message: string }[] };
    expect(body.problems).toEqual([
      { pointer: "/parameters/colour", message: "is not a parameter of this job (declared: lake, region, partitions)" },
      { pointer: "/parameters/region", message: "the value of parameter 'region' 'mars' does not match the pattern emea|amer|apac" },
      {
        pointer: "/job/steps/0/args/0",
        message: "'{{ params.missing }}' is unresolved: 'missing' is not a declared parameter (declared: lake, region, partitions)",
      },
      {
        pointer: "/job/steps/0/args/1",
        message: expect.stringMatching(/^'\$\{jarV\}' is not a Jobflow placeholder: write \{\{ params.jarV \}\}/),
      },
    ]);
    expect(stack.host.engine?.query().length ?? 0).toBe(before);
  }, 60_000);
});

describe("an Airflow-templated EMR file", () => {
  it("posted with parameters and a logical date renders with Airflow's names and runs", async () => {
    const steps = JSON.parse(readFileSync(example("emr-airflow-templated.json"), "utf8")) as unknown;
    const res = await stack.api("/jobs", {
      method: "POST",
      body: JSON.stringify({ job: steps, parameters: { bucket: "etl-code" }, logicalDate: "2026-11-20" }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.steps.map((s) => s.name)).toEqual(["extract_20261120", "publish_20261120"]);
    const bodies = await livyRequests(r.cluster.name as string);
    expect(bodies.map((b) => b.file)).toEqual(["s3a://etl-code/jobs/extract.py", "s3a://etl-code/jars/publish.jar"]);
    expect(bodies[0].args).toEqual(["--date", "2026-11-20", "--since", "2026-11-13", "--out", "s3a://etl-code/staged/2026/11/20/"]);
    expect(bodies[0].conf?.["spark.app.name"]).toBe("extract-2026-11-20");
    expect(bodies[1].args).toEqual(["2026-11-20T00:00:00+00:00", "manual__2026-11-20T00:00:00+00:00"]);
  }, 120_000);
});

describe("a schedule with parameters", () => {
  it("renders each run with Airflow's data interval (ds = the previous occurrence) and the schedule's values", async () => {
    const job = {
      name: "nightly-{{ ds_nodash }}",
      parameters: { table: { pattern: "[a-z_]+" } },
      cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
      steps: [
        {
          id: "load",
          file: "abfss://code@jobflowlake.dfs.core.windows.net/load.py",
          args: ["{{ params.table }}", "{{ data_interval_start }}", "{{ data_interval_end }}", "{{ run_id }}"],
        },
      ],
    };
    const bad = await stack.api("/schedules", { method: "POST", body: JSON.stringify({ cron: "0 0 * * *", timezone: "UTC", job }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { pointer: string }[] }).problems.map((p) => p.pointer)).toEqual([
      "/job/parameters/table",
      "/job/steps/0/args/0",
    ]);
    const created = await stack.api("/schedules", {
      method: "POST",
      body: JSON.stringify({ cron: "0 0 * * *", timezone: "UTC", job, parameters: { table: "orders" } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    type View = { runs: { occurrence: string; outcome: string; jobId?: string }[] };
    const view = async (): Promise<View> => (await (await stack.api(`/schedules/${id}`)).json()) as View;
    await stack.runUntil(async () => (await view()).runs.length >= 1, { what: "first occurrence", maxVirtualMs: 30 * 3_600_000 });
    const [run] = (await view()).runs;
    expect(run.outcome).toBe("submitted");
    expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBe(204);
    const r = await finish(stack, run.jobId as string);
    const end = run.occurrence; // midnight UTC
    const start = new Date(Date.parse(end) - 86_400_000);
    const ts = (d: Date): string => d.toISOString().replace(/\.000Z$/, "+00:00");
    expect(r.name).toBe(`nightly-${start.toISOString().slice(0, 10).replace(/-/g, "")}`);
    const [body] = await livyRequests(r.cluster.name as string);
    expect(body.args).toEqual(["orders", ts(start), ts(new Date(end)), `scheduled__${ts(start)}`]);
    expect((await record(stack, r.id)).parameters).toEqual({ table: "orders" });
  }, 180_000);
});
