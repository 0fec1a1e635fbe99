// The cluster, edge and cost routes (functions/http/clusterRoutes.ts, costsRoute.ts) built by their factory on the
// in-memory fakes: who decides a delete, which edge operation starts, what a bad query names. Over real HTTP on the
// local host: test/integration/jobs/{clusters,edges,costs}.test.ts.
import { describe, expect, it } from "vitest";
import { TAG } from "../../../shared/builders/clusterRequest";
import { EVENT, ORCHESTRATION, clusterInstanceId } from "../../../shared/workflow/activities";
import { EDGE_VM, routeHarness } from "./harness";

describe("DELETE /api/clusters/{name} (clustersDelete)", () => {
  it("is 204 for a missing cluster and 409 for one Jobflow does not manage, deleting nothing", async () => {
    const h = routeHarness();
    expect((await h.call("clustersDelete", { path: "clusters/gone" })).status).toBe(204);
    h.cloud.clusters.put({ name: "theirs" });
    const res = await h.call("clustersDelete", { path: "clusters/theirs" });
    expect(res).toMatchObject({ status: 409, body: { title: "Not managed by Jobflow" } });
    expect(h.cloud.clusters.callsTo("beginDelete")).toEqual([]);
  });

  it("asks a live cluster orchestration to delete, and deletes directly when none runs", async () => {
    const h = routeHarness();
    h.cloud.clusters.put({ name: "jf-live", tags: { [TAG.managed]: "true" } });
    h.durable.put({ instanceId: clusterInstanceId("jf-live"), name: ORCHESTRATION.cluster, runtimeStatus: "Running" });
    expect((await h.call("clustersDelete", { path: "clusters/jf-live" })).status).toBe(202);
    expect(h.durable.raised).toEqual([
      {
        instanceId: clusterInstanceId("jf-live"),
        eventName: EVENT.clusterCommand,
        payload: { type: "delete", reason: "deleted through the API" },
      },
    ]);
    expect(h.cloud.clusters.callsTo("beginDelete")).toEqual([]);

    h.cloud.clusters.put({ name: "jf-orphan", tags: { [TAG.managed]: "true" } });
    expect((await h.call("clustersDelete", { path: "clusters/jf-orphan" })).status).toBe(202);
    expect(h.cloud.clusters.callsTo("beginDelete")).toEqual([["jf-orphan"]]);
  });
});

describe("GET /api/clusters (clustersList)", () => {
  it("lists the resource group's clusters with their lifecycle status, managed or not", async () => {
    const h = routeHarness();
    h.cloud.clusters.put({ name: "jf-a", tags: { [TAG.managed]: "true" } });
    h.cloud.clusters.put({ name: "other" });
    h.durable.put({
      instanceId: clusterInstanceId("jf-a"),
      name: ORCHESTRATION.cluster,
      runtimeStatus: "Running",
      customStatus: { phase: "idle", ledger: { events: [] } },
    });
    const res = await h.call("clustersList", { path: "clusters" });
    const rows = (res.body as { clusters: { name: string; managed: boolean; lifecycle: unknown }[] }).clusters;
    expect(rows.map((r) => [r.name, r.managed, r.lifecycle])).toEqual([
      ["jf-a", true, { phase: "idle" }],
      ["other", false, null],
    ]);
  });
});

describe("POST /api/edges/{name}/attach (edgesAttach)", () => {
  it("refuses an unknown VM (404), a body without a cluster (400), a cluster not running (409)", async () => {
    const h = routeHarness();
    expect((await h.call("edgesAttach", { path: "edges/nope/attach", body: { cluster: "c" } })).status).toBe(404);
    const noCluster = await h.call("edgesAttach", { path: `edges/${EDGE_VM}/attach`, body: {} });
    expect(noCluster).toMatchObject({ status: 400, body: { problems: [{ pointer: "/cluster" }] } });
    h.cloud.clusters.put({ name: "jf-new", clusterState: "InProgress" });
    expect((await h.call("edgesAttach", { path: `edges/${EDGE_VM}/attach`, body: { cluster: "jf-new" } })).status).toBe(409);
    expect(h.durable.started).toEqual([]);
  });

  it("starts an edge sync with the profile of the cluster's lifecycle and an operation id from the clock", async () => {
    const h = routeHarness();
    h.cloud.clock.set("2026-05-01T00:00:00.000Z");
    h.cloud.clusters.put({ name: "jf-b" });
    h.durable.put({
      instanceId: clusterInstanceId("jf-b"),
      name: ORCHESTRATION.cluster,
      runtimeStatus: "Running",
      input: { profileName: "spark-small" },
    });
    const res = await h.call("edgesAttach", { path: `edges/${EDGE_VM}/attach`, body: { cluster: "jf-b" } });
    const opId = `api-${Date.parse("2026-05-01T00:00:00.000Z").toString(36)}`;
    expect(res).toMatchObject({
      status: 202,
      body: { vm: EDGE_VM, mode: "attach", cluster: "jf-b", operationId: `edge-${EDGE_VM}-${opId}` },
    });
    expect(h.durable.started).toEqual([
      {
        name: ORCHESTRATION.edgeSync,
        instanceId: `edge-${EDGE_VM}-${opId}`,
        input: { vm: EDGE_VM, mode: "attach", requestedBy: "api", opId, clusterName: "jf-b", profileName: "spark-small" },
      },
    ]);
  });

  it("switches when the VM is attached to another cluster", async () => {
    const h = routeHarness();
    h.cloud.clusters.put({ name: "jf-c" });
    await h.deps.edges.put({ vm: EDGE_VM, clusterName: "jf-old", requestedBy: "api", updatedAt: "2026-01-01T00:00:00.000Z" });
    const res = await h.call("edgesAttach", { path: `edges/${EDGE_VM}/attach`, body: { cluster: "jf-c", profile: "default" } });
    expect(res.body).toMatchObject({ mode: "switch", cluster: "jf-c" });
  });
});

describe("GET /api/costs (costsReport)", () => {
  it("names every bad query parameter with its pointer", async () => {
    const h = routeHarness();
    const res = await h.call("costsReport", { path: "costs", query: { from: "yesterday", to: "2026-13-45", groupBy: "colour" } });
    expect(res.status).toBe(400);
    const pointers = (res.body as { problems: { pointer: string }[] }).problems.map((p) => p.pointer);
    expect(pointers).toEqual(["/query/to", "/query/from", "/query/groupBy"]);
  });

  it("defaults to the 30 days before the injected clock's now", async () => {
    const h = routeHarness();
    h.cloud.clock.set("2026-06-30T00:00:00.000Z");
    const res = await h.call("costsReport", { path: "costs" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: "2026-05-31T00:00:00.000Z", to: "2026-06-30T00:00:00.000Z" });
  });
});
