// Livy and Ambari/YARN clients over core-rest-pipeline against a local HTTPS "gateway": basic auth, CSRF header,
// 404 semantics, retries, binary download.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ClusterGatewayInfo } from "../../../shared/cloud/ambari";
import { createClusterGatewayInfo } from "../../../shared/cloud/azure/ambariClient";
import { createLivyClient } from "../../../shared/cloud/azure/livyClient";
import type { LivyClient } from "../../../shared/cloud/livy";
import { json, startHttpsTestServer, type HttpsTestServer } from "../../support/httpsTestServer";

const credentials = { username: "admin", password: "Pa$$w0rd-with:colon" };
const expectedAuth = `Basic ${Buffer.from("admin:Pa$$w0rd-with:colon").toString("base64")}`;

describe("gateway clients (Livy, Ambari, YARN)", () => {
  let server: HttpsTestServer;
  let livy: LivyClient;
  let gateway: ClusterGatewayInfo;

  beforeAll(async () => {
    server = await startHttpsTestServer();
    const options = {
      gatewayUrl: `${server.url}/gateway/c1/`,
      credentials,
      caPem: server.caPem,
      retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
      retryOn429: { maxRetries: 2, retryDelayInMs: 5 },
    };
    livy = createLivyClient(options);
    gateway = createClusterGatewayInfo(options);
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("submits a batch with basic auth, JSON body and X-Requested-By", async () => {
    server.setHandler((_req, res) => json(res, 201, { id: 7, state: "starting", appId: null, appInfo: { driverLogUrl: null }, log: [] }));
    const batch = await livy.submitBatch({ file: "abfss://code@acct.dfs.core.windows.net/app.py", args: ["--date", "2026-11-21"] });
    expect(batch).toMatchObject({ id: 7, state: "starting" });
    const req = server.requests[0];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/gateway/c1/livy/batches");
    expect(req.headers.authorization).toBe(expectedAuth);
    expect(req.headers["x-requested-by"]).toBeTruthy();
    expect(req.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(req.body)).toEqual({ file: "abfss://code@acct.dfs.core.windows.net/app.py", args: ["--date", "2026-11-21"] });
  });

  it("getBatch: the batch, or undefined once Livy forgot it (404)", async () => {
    server.setHandler((req, res) =>
      req.url.endsWith("/7")
        ? json(res, 200, { id: 7, state: "running", appId: "application_1_0001" })
        : json(res, 404, { msg: "Session '8' not found." }),
    );
    expect(await livy.getBatch(7)).toMatchObject({ id: 7, state: "running", appId: "application_1_0001" });
    expect(await livy.getBatch(8)).toBeUndefined();
  });

  it("getBatchLog passes from/size and normalises the answer", async () => {
    server.setHandler((_req, res) => json(res, 200, { id: 7, from: 10, total: 12, log: ["a", "b"] }));
    expect(await livy.getBatchLog(7, { from: 10, size: 2 })).toEqual({ id: 7, from: 10, total: 12, log: ["a", "b"] });
    expect(server.requests[0].url).toBe("/gateway/c1/livy/batches/7/log?from=10&size=2");
  });

  it("listBatches returns the sessions", async () => {
    server.setHandler((_req, res) => json(res, 200, { from: 0, total: 1, sessions: [{ id: 1, state: "success" }] }));
    expect(await livy.listBatches()).toEqual({ from: 0, total: 1, sessions: [{ id: 1, state: "success" }] });
  });

  it("deleteBatch sends DELETE with X-Requested-By; 404 is success", async () => {
    server.setHandler((_req, res) => json(res, 200, { msg: "deleted" }));
    await livy.deleteBatch(7);
    expect(server.requests[0]).toMatchObject({ method: "DELETE", url: "/gateway/c1/livy/batches/7" });
    expect(server.requests[0].headers["x-requested-by"]).toBeTruthy();
    server.setHandler((_req, res) => json(res, 404, { msg: "not found" }));
    await expect(livy.deleteBatch(7)).resolves.toBeUndefined();
  });

  it("retries bare 429, 429 with Retry-After and 503; maps what is left", async () => {
    let n = 0;
    server.setHandler((_req, res) => {
      n++;
      if (n === 1) json(res, 429, {});
      else if (n === 2) json(res, 429, {}, { "retry-after": "0" });
      else if (n === 3) json(res, 503, {});
      else json(res, 200, { id: 1, state: "success" });
    });
    expect(await livy.getBatch(1)).toMatchObject({ state: "success" });
    expect(server.requests).toHaveLength(4);

    server.setHandler((_req, res) => json(res, 401, { message: "bad credentials" }));
    await expect(livy.getBatch(1)).rejects.toMatchObject({ name: "AuthError", statusCode: 401 });
    server.setHandler((_req, res) => json(res, 502, {}));
    await expect(livy.listBatches()).rejects.toMatchObject({ name: "TransientError" });
  });

  it("submitBatch retries only refusals (429, 503), never an answer after which Livy may have started the batch", async () => {
    let n = 0;
    server.setHandler((_req, res) => {
      n++;
      if (n === 1) json(res, 503, {});
      else if (n === 2) json(res, 429, {});
      else json(res, 201, { id: 3, state: "starting" });
    });
    expect((await livy.submitBatch({ file: "x" })).id).toBe(3);
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST", "POST"]);

    for (const status of [500, 502, 504]) {
      server.requests.length = 0;
      server.setHandler((_req, res) => json(res, status, {}));
      await expect(livy.submitBatch({ file: "x" })).rejects.toMatchObject({ name: "TransientError", statusCode: status });
      expect(server.requests).toHaveLength(1);
    }

    server.requests.length = 0;
    server.setHandler((_req, res) => json(res, 429, {}, { "retry-after": "120" }));
    await expect(livy.submitBatch({ file: "x" })).rejects.toMatchObject({ name: "ThrottledError", retryAfterInMs: 120_000 });
    expect(server.requests).toHaveLength(1);
  });

  it("a 400 from Livy surfaces with Livy's message and no credentials in it", async () => {
    server.setHandler((_req, res) => json(res, 400, { msg: "Missing Required Header for CSRF protection." }));
    const err = (await livy.submitBatch({ file: "x" }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain("CSRF");
    expect(err.message).not.toContain(credentials.password);
    expect(JSON.stringify(err)).not.toContain(expectedAuth);
  });

  it("downloads the Ambari client config bundle as bytes", async () => {
    const tarGz = gzipSync(Buffer.from("core-site.xml contents \u0000\u00ff binary"));
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-gzip" });
      res.end(tarGz);
    });
    const bytes = await gateway.downloadClientConfigBundle("c1");
    expect(Buffer.compare(bytes, tarGz)).toBe(0);
    expect(server.requests[0].url).toBe("/gateway/c1/api/v1/clusters/c1/components?format=client_config_tar");
    expect(server.requests[0].headers.authorization).toBe(expectedAuth);
  });

  it("YARN: {apps:null} is no apps; metrics are numbers", async () => {
    server.setHandler((_req, res) => json(res, 200, { apps: null }));
    expect(await gateway.runningApps()).toEqual([]);
    expect(server.requests[0].url).toBe("/gateway/c1/yarnui/ws/v1/cluster/apps?states=RUNNING,ACCEPTED");

    server.setHandler((_req, res) => json(res, 200, { apps: { app: [{ id: "application_1_0001", state: "RUNNING" }] } }));
    expect(await gateway.runningApps()).toEqual([{ id: "application_1_0001", state: "RUNNING" }]);

    server.setHandler((_req, res) => json(res, 200, { clusterMetrics: { appsRunning: 1, appsPending: 2, activeNodes: 4 } }));
    expect(await gateway.metrics()).toMatchObject({ appsRunning: 1, appsPending: 2, activeNodes: 4, appsSubmitted: 0 });
  });
});
