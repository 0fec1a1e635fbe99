// The real @azure/arm-hdinsight client behind HDInsightClusters, against a local HTTPS server: retries (Retry-After,
// bare 429 via our policy, 503), 404 semantics, begin-only long-running operations, paging, error names.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GetTokenOptions } from "@azure/identity";
import { createHDInsightClusters } from "../../../shared/cloud/azure/hdinsightClusters";
import { StaticTokenCredential } from "../../../shared/cloud/credentials";
import type { HDInsightClusters } from "../../../shared/cloud/clusters";
import { json, startHttpsTestServer, type HttpsTestServer, type ReceivedRequest } from "../../support/httpsTestServer";

const SUB = "00000000-0000-0000-0000-000000000001";
const RG = "rg1";
const clusterPath = (name: string, rg = RG): string =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.HDInsight/clusters/${name}`;

function clusterBody(name: string, tags: Record<string, string> = {}, state = "Running"): object {
  return {
    id: clusterPath(name),
    name,
    type: "Microsoft.HDInsight/clusters",
    location: "westeurope",
    tags,
    properties: {
      clusterVersion: "5.1.3000.0",
      clusterDefinition: { kind: "spark" },
      provisioningState: "Succeeded",
      clusterState: state,
      createdDate: "2026-11-21T10:00:00Z",
      connectivityEndpoints: [
        { name: "SSH", protocol: "TCP", location: `${name}-ssh.azurehdinsight.net`, port: 22 },
        { name: "HTTPS", protocol: "TCP", location: `${name}.azurehdinsight.net`, port: 443 },
      ],
      errors: [],
    },
  };
}

/** Answers the listed responses in order, then repeats the last one. */
function sequence(...steps: ((req: ReceivedRequest, res: import("node:http").ServerResponse) => void)[]) {
  let i = 0;
  return (req: ReceivedRequest, res: import("node:http").ServerResponse): void => {
    const step = steps[Math.min(i, steps.length - 1)];
    i++;
    step(req, res);
  };
}

describe("HDInsightClusters over @azure/arm-hdinsight", () => {
  let server: HttpsTestServer;
  let clusters: HDInsightClusters;
  const scopes: string[][] = [];

  beforeAll(async () => {
    server = await startHttpsTestServer();
    const credential = new StaticTokenCredential("test-token");
    const recording = {
      getToken: async (s: string | string[], _options?: GetTokenOptions) => {
        scopes.push(Array.isArray(s) ? s : [s]);
        return credential.getToken();
      },
    };
    clusters = createHDInsightClusters({
      endpoint: server.url,
      credential: recording,
      caPem: server.caPem,
      subscriptionId: SUB,
      resourceGroup: RG,
      retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
      retryOn429: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("gets a cluster as our ClusterInfo, with a bearer token for the ARM scope over TLS with our CA", async () => {
    server.setHandler((_req, res) => json(res, 200, clusterBody("c1", { "jobflow-managed": "true" })));
    const info = await clusters.get("c1");
    expect(info).toMatchObject({
      name: "c1",
      resourceGroup: RG,
      location: "westeurope",
      tags: { "jobflow-managed": "true" },
      provisioningState: "Succeeded",
      clusterState: "Running",
      clusterVersion: "5.1.3000.0",
      gatewayEndpoint: "c1.azurehdinsight.net",
      sshEndpoint: "c1-ssh.azurehdinsight.net",
      errors: [],
    });
    expect(server.requests[0].url).toBe(`${clusterPath("c1")}?api-version=2021-06-01`);
    expect(server.requests[0].headers.authorization).toBe("Bearer test-token");
    expect(scopes.at(-1)).toEqual(["https://management.azure.com/.default"]);
  });

  it("returns undefined for a cluster ARM does not know (404)", async () => {
    server.setHandler((_req, res) => json(res, 404, { error: { code: "ResourceNotFound", message: "not found" } }));
    expect(await clusters.get("missing")).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 429 that carries Retry-After (the SDK's throttling strategy)", async () => {
    server.setHandler(
      sequence(
        (_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }, { "retry-after": "0" }),
        (_req, res) => json(res, 200, clusterBody("c1")),
      ),
    );
    expect((await clusters.get("c1"))?.name).toBe("c1");
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 429 WITHOUT Retry-After with our bounded backoff", async () => {
    server.setHandler(
      sequence(
        (_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }),
        (_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }),
        (_req, res) => json(res, 200, clusterBody("c1")),
      ),
    );
    expect((await clusters.get("c1"))?.name).toBe("c1");
    expect(server.requests).toHaveLength(3);
  });

  it("gives up on endless bare 429s after its bound with a ThrottledError", async () => {
    server.setHandler((_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }));
    await expect(clusters.get("c1")).rejects.toMatchObject({ name: "ThrottledError", statusCode: 429 });
    expect(server.requests).toHaveLength(4); // 1 + retryOn429.maxRetries
  });

  it("reports retryAfterInMs when throttling with Retry-After outlasts the SDK retries", async () => {
    server.setHandler((_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "x" } }, { "retry-after-ms": "7" }));
    await expect(clusters.get("c1")).rejects.toMatchObject({ name: "ThrottledError", retryAfterInMs: 7 });
    expect(server.requests).toHaveLength(3); // 1 + retryOptions.maxRetries; our policy leaves hinted 429s alone
  });

  it("retries a 503 and maps a persistent one to TransientError", async () => {
    server.setHandler(
      sequence(
        (_req, res) => json(res, 503, { error: { code: "ServiceUnavailable", message: "busy" } }),
        (_req, res) => json(res, 200, clusterBody("c1")),
      ),
    );
    expect((await clusters.get("c1"))?.name).toBe("c1");
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.setHandler((_req, res) => json(res, 503, { error: { code: "ServiceUnavailable", message: "busy" } }));
    await expect(clusters.get("c1")).rejects.toMatchObject({ name: "TransientError", statusCode: 503 });
    expect(server.requests).toHaveLength(3);
  });

  it("maps 401/403 to AuthError", async () => {
    server.setHandler((_req, res) => json(res, 403, { error: { code: "AuthorizationFailed", message: "no" } }));
    await expect(clusters.get("c1")).rejects.toMatchObject({ name: "AuthError", code: "AuthorizationFailed" });
  });

  it("beginCreate sends only the PUT and returns while ARM is still provisioning", async () => {
    server.setHandler((req, res) => {
      if (req.method === "PUT") {
        json(
          res,
          200,
          { ...clusterBody("c2"), properties: { provisioningState: "InProgress", clusterState: "Accepted" } },
          {
            "azure-asyncoperation": `${server.url}${clusterPath("c2")}/azureasyncoperations/create?api-version=2021-06-01`,
          },
        );
      } else json(res, 500, {});
    });
    await clusters.beginCreate("c2", { location: "westeurope", properties: { clusterDefinition: {} } });
    expect(server.requests.map((r) => r.method)).toEqual(["PUT"]);
    expect(JSON.parse(server.requests[0].body)).toMatchObject({ location: "westeurope" });
  });

  it("beginCreate of a cluster that already exists (409) is accepted", async () => {
    server.setHandler((req, res) => {
      if (req.method === "PUT") json(res, 409, { error: { code: "Conflict", message: "exists" } });
      else json(res, 200, clusterBody("c2"));
    });
    await clusters.beginCreate("c2", { location: "westeurope", properties: { clusterDefinition: {} } });
    expect(server.requests.map((r) => r.method)).toEqual(["PUT", "GET"]);
  });

  it("beginDelete sends only the DELETE; a missing cluster (404) is success", async () => {
    server.setHandler((_req, res) => json(res, 202, undefined, { location: `${server.url}${clusterPath("c1")}/operationresults/op1` }));
    await clusters.beginDelete("c1");
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE"]);

    server.requests.length = 0;
    server.setHandler((_req, res) => json(res, 404, { error: { code: "ResourceNotFound", message: "gone" } }));
    await expect(clusters.beginDelete("c1")).resolves.toBeUndefined();
    await expect(clusters.beginDelete("c1", { resourceGroup: "other" })).resolves.toBeUndefined();
    expect(server.requests[1].url.startsWith(clusterPath("c1", "other"))).toBe(true);
  });

  it("lists every page (nextLink) and filters by tags", async () => {
    const listPath = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.HDInsight/clusters`;
    server.setHandler((req, res) => {
      if (req.url.includes("page=2")) {
        json(res, 200, { value: [clusterBody("c3", { "jobflow-managed": "true" })] });
      } else {
        json(res, 200, {
          value: [clusterBody("c1", { "jobflow-managed": "true" }), clusterBody("c2", { team: "x" })],
          nextLink: `${server.url}${listPath}?api-version=2021-06-01&page=2`,
        });
      }
    });
    const all = await clusters.list();
    expect(all.map((c) => c.name)).toEqual(["c1", "c2", "c3"]);
    const managed = await clusters.list({ tagFilter: { "jobflow-managed": "true" } });
    expect(managed.map((c) => c.name)).toEqual(["c1", "c3"]);
  });

  it("updateTags PATCHes the tags and returns the cluster; NotFoundError when it is gone", async () => {
    server.setHandler((req, res) => {
      if (req.method === "PATCH") json(res, 200, clusterBody("c1", JSON.parse(req.body).tags));
      else json(res, 500, {});
    });
    const info = await clusters.updateTags("c1", { "jobflow-idle-minutes": "15" });
    expect(info.tags).toEqual({ "jobflow-idle-minutes": "15" });
    expect(server.requests[0].method).toBe("PATCH");

    server.setHandler((_req, res) => json(res, 404, { error: { code: "ResourceNotFound", message: "gone" } }));
    await expect(clusters.updateTags("c1", {})).rejects.toMatchObject({ name: "NotFoundError" });
  });
});
