// The jobs routes (functions/http/jobsRoutes.ts, repairRoute.ts) built by their factory on in-memory fakes: the
// route logic — status codes, problem+json with pointers, what is read, started or raised — without a host. Over
// real HTTP on the local host: test/integration/jobs/{happyPath,cancel,repair,submitPaths}.test.ts.
import { describe, expect, it } from "vitest";
import { EVENT, clusterInstanceId } from "../../../shared/workflow/activities";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { baseRecord } from "../cli/jobRecords";
import { routeHarness } from "./harness";

describe("POST /api/jobs (jobsSubmit)", () => {
  it("answers 202 with the status URL as Location, passing the body text to the submit path", async () => {
    const h = routeHarness();
    const res = await h.call("jobsSubmit", { path: "jobs", body: { name: "x" } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: "job-1", statusUrl: "https://jobflow.test/api/jobs/job-1", duplicate: false });
    expect(res.headers.location).toBe("https://jobflow.test/api/jobs/job-1");
    expect(h.submitted).toEqual([{ body: '{"name":"x"}' }]);
  });

  it("answers 200 for a duplicate (same idempotency key) and 400 naming every problem", async () => {
    const h = routeHarness();
    h.answerNextSubmit({ ok: true, jobId: "same", duplicate: true });
    expect((await h.call("jobsSubmit", { path: "jobs", body: {} })).status).toBe(200);
    const problems = [
      { pointer: "/steps", message: "required" },
      { pointer: "/cluster/profile", message: "unknown profile" },
    ];
    h.answerNextSubmit({ ok: false, problems });
    const bad = await h.call("jobsSubmit", { path: "jobs", body: {} });
    expect(bad.status).toBe(400);
    expect(bad.headers["content-type"]).toBe("application/problem+json");
    expect(bad.body).toMatchObject({ title: "Invalid job document", detail: "2 problem(s); nothing was created", problems });
  });

  it("refuses a body over 256 KiB with 413 before the submit path sees it", async () => {
    const h = routeHarness();
    const res = await h.call("jobsSubmit", { path: "jobs", body: "x".repeat(256 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(h.submitted).toEqual([]);
  });
});

describe("GET /api/jobs (jobsList)", () => {
  it("names every unknown state and a bad limit with its pointer", async () => {
    const h = routeHarness();
    const res = await h.call("jobsList", { path: "jobs", query: { state: "running,nope,late" } });
    expect(res.status).toBe(400);
    expect((res.body as { problems: { pointer: string; message: string }[] }).problems.map((p) => p.message.split(" ")[0])).toEqual([
      "'nope'",
      "'late'",
    ]);
    const limit = await h.call("jobsList", { path: "jobs", query: { limit: "0" } });
    expect(limit.body).toMatchObject({ problems: [{ pointer: "/query/limit" }] });
  });

  it("lists the records of the wanted states from the store", async () => {
    const h = routeHarness();
    await h.deps.jobs.save(baseRecord("j-run", { state: "running" }));
    await h.deps.jobs.save(baseRecord("j-ok", { state: "succeeded" }));
    const res = await h.call("jobsList", { path: "jobs", query: { state: "running" } });
    expect(res.status).toBe(200);
    expect((res.body as { jobs: { id: string; state: string }[] }).jobs.map((j) => [j.id, j.state])).toEqual([["j-run", "running"]]);
    const all = await h.call("jobsList", { path: "jobs" });
    expect((all.body as { jobs: { id: string }[] }).jobs.map((j) => j.id).sort()).toEqual(["j-ok", "j-run"]);
  });
});

describe("GET /api/jobs/{id} (jobsGet)", () => {
  it("is 404 for an unknown job and 'queued' for an accepted job without a record yet", async () => {
    const h = routeHarness();
    expect((await h.call("jobsGet", { path: "jobs/nope" })).status).toBe(404);
    h.durable.put({ instanceId: "j-new", name: "jobRun", runtimeStatus: "Pending" });
    const res = await h.call("jobsGet", { path: "jobs/j-new" });
    expect(res).toMatchObject({ status: 200, body: { id: "j-new", state: "queued" } });
  });

  it("says a finished job's cluster is still being torn down, from the cluster orchestration's status", async () => {
    const h = routeHarness();
    const cluster: JobRecord["cluster"] = { name: "jf-c1", profile: "default", reuse: "never" };
    await h.deps.jobs.save(baseRecord("j-done", { state: "succeeded", cluster }));
    h.durable.put({
      instanceId: clusterInstanceId("jf-c1"),
      name: "clusterLifecycle",
      runtimeStatus: "Running",
      customStatus: { phase: "deleting", teardown: { deleteAttempts: 2, deleteFailures: 1 } },
    });
    const res = await h.call("jobsGet", { path: "jobs/j-done" });
    expect(res.status).toBe(200);
    expect((res.body as JobRecord).cluster).toMatchObject({
      name: "jf-c1",
      teardown: { state: "pending", deleteAttempts: 2, deleteFailures: 1 },
    });
  });
});

describe("POST /api/jobs/{id}/cancel (jobsCancel)", () => {
  it("raises the cancel event stamped with the injected clock", async () => {
    const h = routeHarness();
    h.cloud.clock.set("2026-03-04T05:06:07.000Z");
    await h.deps.jobs.save(baseRecord("j1", { state: "running" }));
    const res = await h.call("jobsCancel", { path: "jobs/j1/cancel" });
    expect(res).toMatchObject({ status: 202, body: { id: "j1", cancelRequested: true } });
    expect(h.durable.raised).toEqual([{ instanceId: "j1", eventName: EVENT.cancel, payload: { requestedAt: "2026-03-04T05:06:07.000Z" } }]);
  });

  it("refuses a finished job (409) and an unknown one (404) without raising anything", async () => {
    const h = routeHarness();
    await h.deps.jobs.save(baseRecord("j2", { state: "failed" }));
    expect((await h.call("jobsCancel", { path: "jobs/j2/cancel" })).status).toBe(409);
    expect((await h.call("jobsCancel", { path: "jobs/zz/cancel" })).status).toBe(404);
    expect(h.durable.raised).toEqual([]);
  });
});

describe("GET /api/jobs/{id}/steps/{stepId}/log (jobsStepLog)", () => {
  it("serves the copied log from the logs container, and 404 while it is not copied yet", async () => {
    const h = routeHarness();
    const attempt = { attempt: 1, batchId: 3, startedAt: "2026-01-01T00:00:00.000Z", logBlob: "j3/ingest/1.log" };
    await h.deps.jobs.save(baseRecord("j3", { steps: [{ id: "ingest", name: "ingest", state: "succeeded", attempts: [attempt] }] }));
    await h.cloud.blobs.putText(h.config.containers.logs, "j3/ingest/1.log", "line 1\nline 2\n");
    const res = await h.call("jobsStepLog", { path: "jobs/j3/steps/ingest/log" });
    expect(res).toMatchObject({ status: 200, body: "line 1\nline 2\n" });
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await h.call("jobsStepLog", { path: "jobs/j3/steps/ingest/log", query: { attempt: "2" } })).status).toBe(404);
    expect((await h.call("jobsStepLog", { path: "jobs/j3/steps/other/log" })).status).toBe(404);
  });
});

describe("POST /api/jobs/{id}/repair (jobsRepair)", () => {
  it("names the bad field of the body with its pointer, before reading anything", async () => {
    const h = routeHarness();
    const res = await h.call("jobsRepair", { path: "jobs/j4/repair", body: { steps: ["a"], force: true } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ problems: [{ pointer: "/force", message: "is not a known field (allowed: steps)" }] });
    expect((await h.call("jobsRepair", { path: "jobs/j4/repair", body: { steps: "a" } })).body).toMatchObject({
      problems: [{ pointer: "/steps" }],
    });
  });

  it("is 404 for an unknown job and 409 for a running one, starting nothing", async () => {
    const h = routeHarness();
    expect((await h.call("jobsRepair", { path: "jobs/j5/repair" })).status).toBe(404);
    await h.deps.jobs.save(baseRecord("j5", { state: "running" }));
    h.durable.put({ instanceId: "j5", name: "jobRun", runtimeStatus: "Running", input: {} });
    const res = await h.call("jobsRepair", { path: "jobs/j5/repair" });
    expect(res).toMatchObject({ status: 409, body: { title: "Job is running" } });
    expect(h.durable.started).toEqual([]);
  });
});
