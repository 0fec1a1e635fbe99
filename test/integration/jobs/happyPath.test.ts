// End to end on the embedded stack: POST a job → a cluster is created in the sandbox (real arm-hdinsight PUT),
// the step runs as a Livy batch on the sandbox gateway, its log lands in Blob, the job record says succeeded, and
// the cluster is deleted after its keep-warm time. Real SDK clients, real HTTP, virtual clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const job = {
  name: "smoke",
  cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
  steps: [{ id: "only", file: "abfss://code@jobflowlake.dfs.core.windows.net/only.py", args: ["--date", "2026-11-21"] }],
};

describe("a one-step job", () => {
  it("runs to success and leaves no cluster behind", async () => {
    const id = await stack.submit(job);
    await stack.runUntil(async () => ["succeeded", "failed", "cancelled", "completedWithFailures"].includes((await stack.job(id)).state), {
      what: "job finished",
    });
    const record = (await stack.job(id)) as unknown as {
      state: string;
      error?: string;
      cluster: { name: string };
      steps: { state: string; attempts: { logBlob?: string }[] }[];
    };
    expect(record.error).toBeUndefined();
    expect(record.state).toBe("succeeded");
    expect(record.steps[0].state).toBe("succeeded");
    const log = await stack.api(`/jobs/${id}/steps/only/log`);
    expect(log.status).toBe(200);
    expect((await log.text()).length).toBeGreaterThan(0);
    await stack.runUntil(
      async () => {
        const res = await stack.api("/clusters");
        const body = (await res.json()) as { clusters: unknown[] };
        return body.clusters.length === 0;
      },
      { what: "cluster deleted" },
    );
  }, 120_000);
});

describe("the OpenAPI document", () => {
  it("documents every HTTP route the app registers, with the job schema embedded", async () => {
    const res = await stack.api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: { JobDocument: { $schema?: string } } };
    };
    expect(doc.components.schemas.JobDocument.$schema).toContain("2020-12");
    const registered = stack.host.functions
      .filter((f) => f.trigger.type.toLowerCase() === "httptrigger")
      .flatMap((f) =>
        ((f.trigger.methods as string[] | undefined) ?? ["GET"]).map(
          (m) => `${m.toLowerCase()} /${String(f.trigger.route).replace(/\{\*+(\w+)\}/g, "{$1}")}`,
        ),
      )
      .filter((r) => !r.endsWith("/openapi.json"));
    expect(registered.length).toBeGreaterThan(20);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
  });
});
