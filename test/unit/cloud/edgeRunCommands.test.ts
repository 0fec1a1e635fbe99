// The real @azure/arm-compute (modular) client behind EdgeRunCommands, against a local HTTPS server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEdgeRunCommands } from "../../../shared/cloud/azure/edgeRunCommands";
import { StaticTokenCredential } from "../../../shared/cloud/credentials";
import type { EdgeRunCommands } from "../../../shared/cloud/runCommands";
import { json, startHttpsTestServer, type HttpsTestServer } from "../../support/httpsTestServer";

const SUB = "00000000-0000-0000-0000-000000000002";
const RG = "edges";
const vmPath = (vm: string): string => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${vm}`;

describe("EdgeRunCommands over @azure/arm-compute 24.1.0", () => {
  let server: HttpsTestServer;
  let runCommands: EdgeRunCommands;

  beforeAll(async () => {
    server = await startHttpsTestServer();
    runCommands = createEdgeRunCommands({
      endpoint: server.url,
      credential: new StaticTokenCredential("t"),
      caPem: server.caPem,
      subscriptionId: SUB,
      resourceGroup: RG,
      retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
      retryOn429: { maxRetries: 2, retryDelayInMs: 5 },
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("beginRun looks up the VM's location once, sends only the PUT with named and protected parameters", async () => {
    server.setHandler((req, res) => {
      if (req.method === "GET" && req.url.startsWith(`${vmPath("edge1")}?`)) {
        json(res, 200, {
          id: vmPath("edge1"),
          name: "edge1",
          location: "northeurope",
          properties: { provisioningState: "Succeeded", vmId: "abc" },
        });
      } else if (req.method === "PUT") {
        json(
          res,
          201,
          { name: "sync-1", location: "northeurope", properties: { provisioningState: "Creating" } },
          {
            "azure-asyncoperation": `${server.url}/subscriptions/${SUB}/providers/Microsoft.Compute/locations/northeurope/operations/op1`,
          },
        );
      } else json(res, 500, {});
    });
    const request = {
      script: 'echo "$CLUSTER"',
      parameters: { CLUSTER: "c1" },
      protectedParameters: { SAS_URL: "https://secret" },
      timeoutInSeconds: 600,
    };
    await runCommands.beginRun("edge1", "sync-1", request);
    await runCommands.beginRun("edge1", "sync-2", request);
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "PUT", "PUT"]);
    const put = server.requests[1];
    expect(put.url).toBe(`${vmPath("edge1")}/runCommands/sync-1?api-version=2026-03-01`);
    expect(JSON.parse(put.body)).toEqual({
      location: "northeurope",
      properties: {
        source: { script: 'echo "$CLUSTER"' },
        parameters: [{ name: "CLUSTER", value: "c1" }],
        protectedParameters: [{ name: "SAS_URL", value: "https://secret" }],
        asyncExecution: true,
        treatFailureAsDeploymentFailure: false,
        timeoutInSeconds: 600,
      },
    });
  });

  it("maps 409 (another operation in progress) to ConflictError and a missing VM to NotFoundError", async () => {
    server.setHandler((_req, res) =>
      json(res, 409, { error: { code: "Conflict", message: "Run command extension execution is in progress." } }),
    );
    await expect(runCommands.beginRun("edge1", "sync-3", { script: "true", location: "westeurope" })).rejects.toMatchObject({
      name: "ConflictError",
      statusCode: 409,
    });
    server.setHandler((_req, res) => json(res, 404, { error: { code: "ResourceNotFound", message: "no vm" } }));
    await expect(runCommands.beginRun("nope", "sync-1", { script: "true" })).rejects.toMatchObject({ name: "NotFoundError" });
  });

  it("get reads the instance view ($expand=instanceView); 404 → undefined", async () => {
    server.setHandler((_req, res) =>
      json(res, 200, {
        name: "sync-1",
        location: "northeurope",
        properties: {
          provisioningState: "Succeeded",
          instanceView: {
            executionState: "Failed",
            exitCode: 3,
            output: "out",
            error: "err",
            startTime: "2026-11-21T10:00:00Z",
            endTime: "2026-11-21T10:01:00Z",
          },
        },
      }),
    );
    expect(await runCommands.get("edge1", "sync-1")).toEqual({
      name: "sync-1",
      provisioningState: "Succeeded",
      executionState: "Failed",
      executionMessage: undefined,
      exitCode: 3,
      output: "out",
      error: "err",
      startTime: "2026-11-21T10:00:00.000Z",
      endTime: "2026-11-21T10:01:00.000Z",
    });
    expect(server.requests[0].url).toContain("%24expand=instanceView");

    server.setHandler((_req, res) => json(res, 404, { error: { code: "NotFound", message: "no" } }));
    expect(await runCommands.get("edge1", "gone")).toBeUndefined();
  });

  it("beginDelete sends only the DELETE; 404 is success; bare 429 is retried", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      if (calls === 1) json(res, 429, { error: { code: "TooManyRequests", message: "x" } });
      else
        json(res, 202, undefined, {
          location: `${server.url}/subscriptions/${SUB}/providers/Microsoft.Compute/locations/x/operations/op2`,
        });
    });
    await runCommands.beginDelete("edge1", "sync-1");
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);

    server.setHandler((_req, res) => json(res, 404, { error: { code: "NotFound", message: "no" } }));
    await expect(runCommands.beginDelete("edge1", "sync-1")).resolves.toBeUndefined();
  });

  it("getVm returns undefined for a missing VM", async () => {
    server.setHandler((_req, res) => json(res, 404, { error: { code: "ResourceNotFound", message: "no" } }));
    expect(await runCommands.getVm("ghost")).toBeUndefined();
  });
});
