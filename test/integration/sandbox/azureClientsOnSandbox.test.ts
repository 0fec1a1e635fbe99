// Jobflow's own cloud clients (shared/cloud/azure) against the sandbox: only endpoint, credential and CA change.
import { describe, expect, it } from "vitest";
import { createHDInsightClusters } from "../../../shared/cloud/azure/hdinsightClusters";
import { createEdgeRunCommands } from "../../../shared/cloud/azure/edgeRunCommands";
import { staticCredential, TEST_RESOURCE_GROUP as RG, TEST_SUBSCRIPTION, useTestSandbox } from "../../support/sandbox";
import { sparkClusterBody } from "./clusterBodies";

const MINUTE = 60_000;
const env = useTestSandbox();

function clients() {
  const common = {
    endpoint: env.current.sandbox.url,
    caPem: env.current.sandbox.caPem,
    credential: staticCredential("jobflow-app"),
    subscriptionId: TEST_SUBSCRIPTION,
    resourceGroup: RG,
    retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
    retryOn429: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  };
  return { clusters: createHDInsightClusters(common), edges: createEdgeRunCommands(common) };
}

describe("sandbox: Jobflow's Azure clients", () => {
  it("creates, tags, lists and deletes a cluster with one request per begin call", async () => {
    const { clusters } = clients();
    const since = env.current.sandbox.control.requests().at(-1)?.seq ?? 0;
    await clusters.beginCreate("jf-app-01", sparkClusterBody({ tags: { "jobflow-job": "j1" } }));
    await clusters.beginCreate("jf-app-01", sparkClusterBody({ tags: { "jobflow-job": "j1" } })); // idempotent
    expect(env.current.sandbox.control.requests({ sinceSeq: since }).map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 200", "PUT 200"]);
    expect((await clusters.get("jf-app-01"))?.clusterState).toBe("Accepted");
    await env.current.sandbox.control.advanceBy(21 * MINUTE);
    const running = await clusters.get("jf-app-01");
    expect(running).toMatchObject({ provisioningState: "Succeeded", clusterState: "Running", tags: { "jobflow-job": "j1" } });
    await clusters.updateTags("jf-app-01", { "jobflow-job": "j1", "jobflow-keep": "true" });
    expect((await clusters.list({ tagFilter: { "jobflow-keep": "true" } })).map((c) => c.name)).toEqual(["jf-app-01"]);
    await clusters.beginDelete("jf-app-01");
    await env.current.sandbox.control.advanceBy(6 * MINUTE);
    expect(await clusters.get("jf-app-01")).toBeUndefined();
    await clusters.beginDelete("jf-app-01"); // gone already: still success
  });

  it("absorbs a 429 without Retry-After with our retry policy, and reports ThrottledError when it persists", async () => {
    const { clusters } = clients();
    await clusters.beginCreate("jf-app-02", sparkClusterBody());
    const since = env.current.sandbox.control.requests().at(-1)?.seq ?? 0;
    env.current.sandbox.control.addFault({ kind: "throttle", retryAfterSeconds: null, count: 2, pathContains: "/clusters/jf-app-02" });
    expect((await clusters.get("jf-app-02"))?.name).toBe("jf-app-02");
    expect(env.current.sandbox.control.requests({ sinceSeq: since }).map((r) => r.status)).toEqual([429, 429, 200]);

    env.current.sandbox.control.addFault({ kind: "throttle", retryAfterSeconds: null, count: 10, pathContains: "/clusters/jf-app-02" });
    await expect(clusters.get("jf-app-02")).rejects.toMatchObject({ name: "ThrottledError" });
    env.current.sandbox.control.clearFaults();
  });

  it("runs an edge script through EdgeRunCommands and reads its outcome", async () => {
    const { edges } = clients();
    expect((await edges.getVm("dss-edge-01"))?.name).toBe("dss-edge-01");
    expect(await edges.getVm("no-such-vm")).toBeUndefined();
    await edges.beginRun("dss-edge-01", "attach-jf-app-02", {
      script: 'echo "attaching $CLUSTER"; test -n "$TOKEN"',
      parameters: { CLUSTER: "jf-app-02" },
      protectedParameters: { TOKEN: "s3cr3t" },
      timeoutInSeconds: 60,
    });
    await env.current.sandbox.control.runCommandsIdle();
    const status = await edges.get("dss-edge-01", "attach-jf-app-02");
    expect(status).toMatchObject({ executionState: "Succeeded", exitCode: 0 });
    expect(status?.output).toContain("attaching jf-app-02");
    await edges.beginDelete("dss-edge-01", "attach-jf-app-02");
    await env.current.sandbox.control.runCommandsIdle();
    expect(await edges.get("dss-edge-01", "attach-jf-app-02")).toBeUndefined();
  });
});
