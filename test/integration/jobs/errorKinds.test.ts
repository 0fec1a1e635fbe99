// Issue 11 §6: failures keep their kind across the Durable boundary. A create that ARM refuses (403) is not
// retried and the job says ARM refused it (not "being deleted"); a cluster deleted behind Jobflow's back while a
// step runs is reported as such (not "Livy batch 0 ended missing").
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

describe("a create refused by ARM", () => {
  it("is not retried and the job says ARM refused it", async () => {
    stack.sandbox.control.addFault({
      kind: "error",
      status: 403,
      method: "PUT",
      pathContains: "/providers/Microsoft.HDInsight/clusters/",
      count: 1,
    });
    const id = await stack.submit(jobDoc("refused", [{ id: "s", seconds: 60 }]));
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/refused by Azure/);
    expect(r.error).toMatch(/403/);
    expect(r.error).not.toMatch(/being deleted/);
    const puts = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((x) => x.method === "PUT" && x.path.endsWith(`/clusters/${r.cluster.name as string}`));
    expect(puts.map((p) => p.status)).toEqual([403]); // once: a permanent failure is never retried
  }, 120_000);
});

describe("a cluster that vanishes mid-step", () => {
  it("fails the step saying the cluster is gone", async () => {
    const id = await stack.submit(jobDoc("vanishing", [{ id: "s", seconds: 3600 }]));
    await stack.runUntil(async () => (await stack.job(id)).state === "running", { what: "job running" });
    const name = ((await stack.job(id)) as unknown as { cluster: { name: string } }).cluster.name;
    stack.sandbox.control.vanishCluster(name);
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.steps[0]?.error).toMatch(new RegExp(`cluster ${name} no longer exists`));
    expect(r.steps[0]?.error).not.toMatch(/ended missing/);
    expect((await clusters(stack)).map((c) => c.name)).not.toContain(name);
  }, 120_000);
});

describe("the HTTP API under Azure failures", () => {
  it("answers 503 (not 500) when ARM keeps failing, and logs the 5xx", async () => {
    stack.sandbox.control.addFault({
      kind: "error",
      status: 503,
      retryAfterSeconds: 0,
      method: "GET",
      pathContains: "/providers/Microsoft.HDInsight/clusters",
      count: 20,
    });
    const res = await stack.api("/clusters");
    stack.sandbox.control.clearFaults();
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(stack.logs().some((l) => l.includes("api.error") && l.includes("clusters") && l.includes("503"))).toBe(true);
  }, 120_000);

  it("answers 429 when ARM keeps throttling", async () => {
    stack.sandbox.control.addFault({
      kind: "throttle",
      retryAfterSeconds: 0,
      method: "GET",
      pathContains: "/providers/Microsoft.HDInsight/clusters",
      count: 40,
    });
    const res = await stack.api("/clusters");
    stack.sandbox.control.clearFaults();
    expect(res.status).toBe(429);
    expect(((await res.json()) as { title: string }).title).toMatch(/Throttled/);
  }, 120_000);
});
