// The reaper's routes built from RouteDeps (functions/policies/reaperRoutes.ts through createApiRoutes) on the
// in-memory fakes: POST /reaper/run deletes an orphaned Jobflow cluster (only reports it with dryRun) and
// GET /reaper/decisions lists the audited decisions. test/integration/policies/reaper*.test.ts run them over HTTP.
import { describe, expect, it } from "vitest";
import { putOrphanCluster } from "../policies/reaperFixtures";
import { routeHarness } from "./harness";

function withOrphan(): ReturnType<typeof routeHarness> {
  const h = routeHarness();
  putOrphanCluster(h.cloud, "jf-orphan");
  return h;
}

describe("reaper routes from RouteDeps", () => {
  it("runs the reaper on request: a dry run only reports, a real run deletes the orphan and its decisions are listed", async () => {
    const h = withOrphan();
    const dry = await h.call("reaperRun", { path: "reaper/run", body: { dryRun: true } });
    expect(dry.status).toBe(200);
    expect((dry.body as { decisions: { clusterName: string; action: string }[] }).decisions).toEqual([
      expect.objectContaining({ clusterName: "jf-orphan", action: "delete" }),
    ]);
    expect(h.cloud.clusters.callsTo("beginDelete")).toEqual([]);
    const real = await h.call("reaperRun", { path: "reaper/run", body: {} });
    expect(real.status).toBe(200);
    expect(h.cloud.clusters.callsTo("beginDelete").map((args) => args[0])).toEqual(["jf-orphan"]);
    const listed = await h.call("reaperDecisions", { path: "reaper/decisions", query: { cluster: "jf-orphan" } });
    expect(listed.status).toBe(200);
    const decisions = (listed.body as { decisions: { clusterName: string }[] }).decisions;
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => d.clusterName === "jf-orphan")).toBe(true);
  });
});
