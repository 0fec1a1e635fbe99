import { describe, expect, it } from "vitest";
import { profileCatalog } from "../../../shared/profiles/catalog";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { DEFAULTS } from "../../../shared/spec/normalize";
import { jobSchemaJson } from "../../../shared/spec/jobSchema";
import { parseJobText, validateJobDocument, type ValidationResult } from "../../../shared/spec/validate";

const F = "abfss://code@acct.dfs.core.windows.net/app.py";
const ok = (r: ValidationResult) => {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.job;
};
const problemsOf = (r: ValidationResult) => (r.ok ? [] : r.problems);

describe("normalization defaults", () => {
  it("applies every documented default to a minimal document", () => {
    const job = ok(validateJobDocument({ name: "n", steps: [{ id: "a", file: F }] }));
    expect(job).toEqual({
      name: "n",
      cluster: { profile: "default", overrides: {}, reuse: "warm", keepWarmMinutes: 15, maxLifetimeMinutes: 720 },
      edges: [],
      maxConcurrentSteps: 1,
      steps: [
        {
          id: "a",
          name: "a",
          type: "spark",
          file: F,
          args: [],
          jars: [],
          pyFiles: [],
          files: [],
          archives: [],
          conf: {},
          dependsOn: [],
          actionOnFailure: "CANCEL_AND_WAIT",
          retries: 0,
        },
      ],
      data: {},
      notify: {},
      tags: {},
      source: "jobflow",
    });
    expect(DEFAULTS.keepWarmMinutes).toBe(15);
  });

  it("keeps given values and leaves absent optional fields absent", () => {
    const job = ok(
      validateJobDocument({
        name: "n",
        idempotencyKey: "k-1",
        edges: ["dss-edge-01"],
        maxConcurrentSteps: 2,
        cluster: { profile: "spark-small", reuse: "never", keepWarmMinutes: 0, maxLifetimeMinutes: 60, overrides: { workerCount: 6 } },
        steps: [
          {
            id: "a",
            name: "Alpha",
            file: F,
            args: ["x"],
            driverMemory: "2g",
            driverCores: 2,
            executorMemory: "4g",
            executorCores: 3,
            numExecutors: 5,
            queue: "etl",
            retries: 3,
            timeoutMinutes: 30,
            actionOnFailure: "CONTINUE",
            conf: { "spark.x": "1" },
          },
        ],
        notify: { webhook: "https://h.example.net/x" },
        tags: { team: "risk" },
      }),
    );
    expect(job.idempotencyKey).toBe("k-1");
    expect(job.cluster).toEqual({
      profile: "spark-small",
      overrides: { workerCount: 6 },
      reuse: "never",
      keepWarmMinutes: 0,
      maxLifetimeMinutes: 60,
    });
    expect(job.steps[0]).toMatchObject({
      name: "Alpha",
      driverMemory: "2g",
      driverCores: 2,
      executorMemory: "4g",
      executorCores: 3,
      numExecutors: 5,
      queue: "etl",
      retries: 3,
      timeoutMinutes: 30,
      actionOnFailure: "CONTINUE",
      conf: { "spark.x": "1" },
    });
    expect(job.notify.webhook).toBe("https://h.example.net/x");
    expect("className" in job.steps[0]).toBe(false);
  });

  it("rewrites s3:// and s3n:// to s3a:// in file and file lists, not in args", () => {
    const job = ok(
      validateJobDocument({
        name: "n",
        data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-keys" } },
        steps: [
          {
            id: "a",
            file: "s3://b/a.py",
            pyFiles: ["s3n://b/d.zip"],
            jars: ["s3://b/x.jar"],
            files: ["s3://b/f"],
            archives: ["s3://b/a.zip#env"],
            args: ["s3://b/in"],
          },
        ],
      }),
    );
    expect(job.steps[0]).toMatchObject({
      file: "s3a://b/a.py",
      pyFiles: ["s3a://b/d.zip"],
      jars: ["s3a://b/x.jar"],
      files: ["s3a://b/f"],
      archives: ["s3a://b/a.zip#env"],
      args: ["s3://b/in"],
    });
    expect(job.data.s3a).toEqual({ endpoint: "https://s3.example.net", credentialsSecret: "s3-keys", pathStyleAccess: false, buckets: [] });
  });

  it("defaults actionOnFailure to CONTINUE only for steps that may overlap another", () => {
    const job = ok(
      validateJobDocument({
        name: "n",
        maxConcurrentSteps: 2,
        steps: [
          { id: "a", file: F },
          { id: "b", file: F },
          { id: "c", file: F, dependsOn: ["a", "b"] },
        ],
      }),
    );
    expect(job.steps.map((s) => s.actionOnFailure)).toEqual(["CONTINUE", "CONTINUE", "CANCEL_AND_WAIT"]);
  });

  it("returns a job that shares nothing with the input", () => {
    const doc = { name: "n", steps: [{ id: "a", file: F, args: ["x"], conf: { "spark.a": "1" } }], tags: { t: "v" } };
    const job = ok(validateJobDocument(doc));
    job.steps[0].args.push("y");
    job.steps[0].conf["spark.b"] = "2";
    job.tags.u = "w";
    expect(doc).toEqual({ name: "n", steps: [{ id: "a", file: F, args: ["x"], conf: { "spark.a": "1" } }], tags: { t: "v" } });
  });
});

describe("rules", () => {
  it("accepts stopping actions on steps that cannot overlap, even with maxConcurrentSteps > 1 (DESIGN sketch)", () => {
    const job = ok(
      validateJobDocument({
        name: "nightly",
        maxConcurrentSteps: 2,
        steps: [
          { id: "ingest", file: F, actionOnFailure: "TERMINATE_CLUSTER" },
          { id: "report", file: F, dependsOn: ["ingest"], actionOnFailure: "CONTINUE" },
        ],
      }),
    );
    expect(job.steps[0].actionOnFailure).toBe("TERMINATE_CLUSTER");
  });

  it("accepts any action when steps run one at a time", () => {
    ok(
      validateJobDocument({
        name: "n",
        steps: [
          { id: "a", file: F, actionOnFailure: "TERMINATE_CLUSTER" },
          { id: "b", file: F, actionOnFailure: "CANCEL_AND_WAIT" },
        ],
      }),
    );
  });

  it("names at most three overlapping peers in the concurrency problem", () => {
    const steps = ["a", "b", "c", "d", "e"].map((id) => ({ id, file: F }));
    steps[0] = { ...steps[0], actionOnFailure: "TERMINATE_CLUSTER" } as (typeof steps)[0];
    const p = problemsOf(validateJobDocument({ name: "n", maxConcurrentSteps: 5, steps }));
    expect(p).toHaveLength(1);
    expect(p[0].message).toContain("'b', 'c', 'd' and 1 more");
  });

  it("reports every problem at once (schema and semantic together)", () => {
    const p = problemsOf(
      validateJobDocument({
        name: "bad name",
        cluster: { profile: "nope" },
        steps: [
          { id: "a", file: F, dependsOn: ["zz"] },
          { id: "a", file: "ftp://x", retries: 99 },
        ],
      }),
    );
    expect(p.map((x) => x.pointer).sort()).toEqual([
      "/cluster/profile",
      "/name",
      "/steps/0/dependsOn/0",
      "/steps/1/file",
      "/steps/1/id",
      "/steps/1/retries",
    ]);
  });

  it("checks edges against the registered VMs when given", () => {
    const doc = { name: "n", edges: ["dss-edge-01", "rogue-vm"], steps: [{ id: "a", file: F }] };
    expect(validateJobDocument(doc).ok).toBe(true);
    const p = problemsOf(validateJobDocument(doc, { knownEdges: ["dss-edge-01", "jupyter-edge-01"] }));
    expect(p).toEqual([
      { pointer: "/edges/1", message: "edge VM 'rogue-vm' is not registered (registered: dss-edge-01, jupyter-edge-01)" },
    ]);
  });

  it("uses the given profile catalog", () => {
    const custom = { ...BUILTIN_PROFILES["spark-small"], name: "gpu-large" };
    const doc = { name: "n", cluster: { profile: "gpu-large" }, steps: [{ id: "a", file: F }] };
    expect(validateJobDocument(doc).ok).toBe(false);
    expect(validateJobDocument(doc, { profiles: profileCatalog([custom]) }).ok).toBe(true);
  });

  it("honours a smaller document size limit and strips a UTF-8 BOM", () => {
    const text = JSON.stringify({ name: "n", steps: [{ id: "a", file: F }] });
    expect(parseJobText("\uFEFF" + text).ok).toBe(true);
    expect(problemsOf(parseJobText(text, { maxDocumentBytes: 20 }))[0].message).toContain("limit");
  });

  it("counts multi-byte characters against the size limit", () => {
    const text = JSON.stringify({ name: "n", steps: [{ id: "a", file: F }], tags: { t: "é".repeat(200) } });
    expect(text.length).toBeLessThan(400);
    expect(parseJobText(text, { maxDocumentBytes: 400 }).ok).toBe(false);
  });
});

describe("schema export", () => {
  it("is plain JSON Schema 2020-12 with descriptions, closed objects and a step bound", () => {
    const schema = jobSchemaJson() as {
      $schema: string;
      additionalProperties: boolean;
      properties: Record<string, { description?: string; maxItems?: number }>;
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.steps.maxItems).toBe(256);
    for (const [name, field] of Object.entries(schema.properties)) expect(field.description, name).toBeTruthy();
  });
});
