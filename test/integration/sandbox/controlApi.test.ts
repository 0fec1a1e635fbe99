// The /_sandbox control API over HTTPS (what another process — e.g. a host running elsewhere — uses), and ARM's
// front-door checks (bearer token, api-version) in ARM's error shape.
import https from "node:https";
import { describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, TEST_START_MS, useTestSandbox } from "../../support/sandbox";
import { sparkClusterBody } from "./clusterBodies";

const env = useTestSandbox();

function call(
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  const { url, caPem } = env.current.sandbox;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    ...(auth ? { authorization: "Bearer control-test" } : {}),
    ...(text ? { "content-type": "application/json" } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = https.request(`${url}${path}`, { method, headers, ca: caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : undefined, headers: res.headers });
      });
    });
    req.on("error", reject);
    req.end(text);
  });
}

const clusterPath = (name: string): string =>
  `/subscriptions/sub-ctl/resourceGroups/${RG}/providers/Microsoft.HDInsight/clusters/${name}?api-version=2021-06-01`;

describe("sandbox: control API and ARM front door", () => {
  it("answers 401 AuthenticationFailed without a bearer token, for ARM and control paths", async () => {
    const arm = await call("GET", clusterPath("x1"), undefined, false);
    expect(arm.status).toBe(401);
    expect(arm.body).toMatchObject({ error: { code: "AuthenticationFailed" } });
    expect((await call("GET", "/_sandbox/clock", undefined, false)).status).toBe(401);
  });

  it("requires api-version like ARM", async () => {
    const r = await call("GET", `/subscriptions/sub-ctl/providers/Microsoft.HDInsight/clusters`);
    expect(r).toMatchObject({ status: 400, body: { error: { code: "MissingApiVersionParameter" } } });
    const bad = await call("GET", `/subscriptions/sub-ctl/providers/Microsoft.HDInsight/clusters?api-version=2099-01-01`);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "InvalidApiVersionParameter" } } });
    expect((await call("GET", `/subscriptions/sub-ctl/providers/Microsoft.HDInsight/clusters?api-version=2025-01-15-preview`)).status).toBe(
      200,
    );
  });

  it("reads and advances the manual clock, moving a cluster along", async () => {
    expect((await call("GET", "/_sandbox/clock")).body).toMatchObject({ nowMs: TEST_START_MS, mode: "manual" });
    const created = await call("PUT", clusterPath("jf-ctl-01"), sparkClusterBody());
    expect(created.status).toBe(200); // Clusters_Create lists 200 only
    expect(created.headers["azure-asyncoperation"]).toMatch(/\/azureasyncoperations\//);
    expect(created.headers["retry-after"]).toBeDefined();
    const next = await call("POST", "/_sandbox/clock", { toNextTimer: true });
    expect((next.body as { nowMs: number }).nowMs).toBe(TEST_START_MS + 60_000);
    await call("POST", "/_sandbox/clock", { advanceByMs: 20 * 60_000 });
    expect((await call("GET", clusterPath("jf-ctl-01"))).body).toMatchObject({ properties: { clusterState: "Running" } });
    const op = await call("GET", new URL(String(created.headers["azure-asyncoperation"])).pathname + "?api-version=2021-06-01");
    expect(op.body).toEqual({ status: "Succeeded" });
  });

  it("changes scenario settings, injects faults, fails and vanishes clusters, and logs requests", async () => {
    expect((await call("POST", "/_sandbox/settings", { provisioningDurationMs: 60_000 })).body).toMatchObject({
      provisioningDurationMs: 60_000,
    });
    expect((await call("POST", "/_sandbox/faults", { kind: "error", status: 500, method: "GET", pathContains: "jf-ctl-01" })).status).toBe(
      201,
    );
    expect((await call("GET", clusterPath("jf-ctl-01"))).status).toBe(500);
    expect((await call("POST", "/_sandbox/clusters/jf-ctl-02/fail", { code: "QuotaExceeded", message: "no cores" })).body).toEqual({
      applied: "nextCreate",
    });
    await call("PUT", clusterPath("jf-ctl-02"), sparkClusterBody());
    await call("POST", "/_sandbox/clock", { advanceByMs: 60_000 });
    expect((await call("GET", clusterPath("jf-ctl-02"))).body).toMatchObject({
      properties: { provisioningState: "Failed", errors: [{ code: "QuotaExceeded" }] },
    });
    expect((await call("POST", "/_sandbox/clusters/jf-ctl-01/vanish")).status).toBe(204);
    expect((await call("GET", clusterPath("jf-ctl-01"))).status).toBe(404);
    const log = (await call("GET", "/_sandbox/requests?component=arm")).body as {
      value: Array<{ method: string; status: number; principal: string }>;
    };
    expect(log.value.at(-1)).toMatchObject({ method: "GET", status: 404, principal: expect.stringMatching(/^token-/) });
  });

  it("exposes VM recordings and files, and resets everything", async () => {
    const vms = (await call("GET", "/_sandbox/vms")).body as { value: Array<{ name: string }> };
    expect(vms.value.map((v) => v.name)).toEqual(["dss-edge-01", "jupyter-edge-01"]);
    expect((await call("GET", "/_sandbox/vms/dss-edge-01/files?path=/etc/hosts")).body).toMatchObject({
      content: expect.stringContaining("localhost"),
    });
    expect((await call("GET", "/_sandbox/vms/dss-edge-01/recorded")).body).toEqual({ value: [] });
    expect((await call("POST", "/_sandbox/reset")).status).toBe(204);
    expect((await call("GET", clusterPath("jf-ctl-02"))).status).toBe(404);
  });
});
