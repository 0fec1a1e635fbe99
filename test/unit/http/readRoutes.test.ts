// The validate, timeline and health routes (functions/http/validateRoute.ts, jobTimelineRoute.ts, metaRoutes.ts)
// built by their factories on the in-memory fakes: the validation path POST /api/jobs shares, the step graph from
// the orchestration's input, the configuration health reports. Over real HTTP: test/integration/jobs/happyPath,
// test/integration/console/browser.test.ts.
import { readFileSync } from "node:fs";
import { HttpRequest } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { createMetaRoutes } from "../../../functions/http/routes";
import { clusterInstanceId } from "../../../shared/workflow/activities";
import { at, baseRecord } from "../cli/jobRecords";
import { EDGE_VM, routeHarness } from "./harness";

const example = (name: string): unknown => JSON.parse(readFileSync(`examples/${name}`, "utf8"));

describe("POST /api/jobs/validate (jobsValidate)", () => {
  it("plans a valid document with the built-ins of the injected clock, creating nothing", async () => {
    const h = routeHarness();
    h.cloud.clock.set("2026-11-21T08:00:00.000Z");
    const res = await h.call("jobsValidate", { path: "jobs/validate", body: example("pyspark-single-step.json") });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, plan: expect.any(Object) });
    expect(JSON.stringify(res.body)).toContain("word-count");
    expect(h.submitted).toEqual([]);
    expect(h.durable.started).toEqual([]);
  });

  it("names every problem with its JSON pointer (unknown profile, unknown edge VM)", async () => {
    const h = routeHarness();
    const job = example("pyspark-single-step.json") as { cluster: { profile: string }; edges?: unknown };
    job.cluster.profile = "no-such-profile";
    job.edges = [{ vm: "not-registered" }];
    const res = await h.call("jobsValidate", { path: "jobs/validate", body: job });
    expect(res.status).toBe(400);
    const pointers = (res.body as { problems: { pointer: string }[] }).problems.map((p) => p.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/cluster/profile"]));
    expect(pointers.some((p) => p.startsWith("/edges"))).toBe(true);
  });
});

describe("GET /api/jobs/{id}/timeline (jobsTimeline)", () => {
  it("draws the step graph from the orchestration's input and the cluster's lifecycle from its status", async () => {
    const h = routeHarness();
    const cluster = { name: "jf-t1", profile: "default", reuse: "never" as const, readyAt: at(10) };
    await h.deps.jobs.save(baseRecord("j-t", { state: "running", cluster, startedAt: at(11) }));
    h.durable.put({
      instanceId: "j-t",
      name: "jobRun",
      runtimeStatus: "Running",
      input: { job: { steps: [{ id: "ingest" }, { id: "report", dependsOn: ["ingest"] }] } },
    });
    h.durable.put({
      instanceId: clusterInstanceId("jf-t1"),
      name: "clusterLifecycle",
      runtimeStatus: "Running",
      customStatus: { phase: "running" },
    });
    const res = await h.call("jobsTimeline", { path: "jobs/j-t/timeline" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: "j-t",
      graph: [{ id: "ingest" }, { id: "report", dependsOn: ["ingest"] }],
      cluster: { name: "jf-t1", lifecycle: { phase: "running" } },
    });
    const events = (res.body as { events: { type: string }[] }).events.map((e) => e.type);
    expect(events).toEqual(["job.submitted", "cluster.acquired", "job.started"]);
    expect((await h.call("jobsTimeline", { path: "jobs/nope/timeline" })).status).toBe(404);
  });
});

describe("GET /api/health (health)", () => {
  it("reports the target, resource group and edge VMs of the configuration it was built with", async () => {
    const h = routeHarness();
    const res = await createMetaRoutes(h.deps).health(new HttpRequest({ method: "GET", url: "https://jobflow.test/api/health" }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body as string)).toEqual({
      status: "ok",
      target: "local",
      resourceGroup: h.config.resourceGroup,
      edges: [EDGE_VM],
    });
  });
});
