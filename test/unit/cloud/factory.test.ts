// createCloudClients: clients are built lazily from the configuration; a missing setting fails at first use with
// a ValidationError naming it; injected publishers/secret stores win; the gateway URL comes from the template.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StaticTokenCredential } from "../../../shared/cloud/credentials";
import type { CloudEvent, EventPublisher } from "../../../shared/cloud/events";
import { createCloudClients } from "../../../shared/cloud/factory";
import { loadConfig } from "../../../shared/config";
import { json, startHttpsTestServer, type HttpsTestServer } from "../../support/httpsTestServer";

describe("createCloudClients", () => {
  let server: HttpsTestServer;
  beforeAll(async () => {
    server = await startHttpsTestServer((_req, res) => json(res, 200, { from: 0, total: 0, sessions: [] }));
  });
  afterAll(async () => server.close());

  it("builds nothing up front and names the missing setting at first use", () => {
    const cloud = createCloudClients(loadConfig({ JOBFLOW_TARGET: "local" }), { credential: new StaticTokenCredential() });
    expect(() => cloud.events).toThrow(/JOBFLOW_SERVICE_BUS_NAMESPACE/);
    expect(() => cloud.secrets).toThrow(/JOBFLOW_KEY_VAULT_URL/);
    expect(() => cloud.blobs).toThrow(/JOBFLOW_STORAGE_CONNECTION_STRING/);
    expect(cloud.clusters).toBe(cloud.clusters); // built once, cached
  });

  it("uses injected events and secrets implementations", async () => {
    const published: CloudEvent[] = [];
    const events: EventPublisher = { publish: async (e) => void published.push(...e) };
    const cloud = createCloudClients(loadConfig({ JOBFLOW_TARGET: "local" }), {
      credential: new StaticTokenCredential(),
      events,
      secrets: {
        getSecret: async (name) => `value-of-${name}`,
        getSecretVersion: async (name) => ({ value: `value-of-${name}`, version: "v1" }),
      },
    });
    await cloud.events.publish([{ specversion: "1.0", id: "1", source: "/jobflow/jobs/j1", type: "jobflow.job.succeeded" }]);
    expect(published.map((e) => e.id)).toEqual(["1"]);
    expect(await cloud.secrets.getSecret("x")).toBe("value-of-x");
  });

  it("points Livy at the cluster's gateway from JOBFLOW_GATEWAY_URL_TEMPLATE", async () => {
    const config = loadConfig({ JOBFLOW_TARGET: "local", JOBFLOW_GATEWAY_URL_TEMPLATE: `${server.url}/gw/{cluster}/` });
    const cloud = createCloudClients(config, { credential: new StaticTokenCredential(), caPem: server.caPem });
    await cloud.livy("c9", { username: "admin", password: "p" }).listBatches();
    expect(server.requests.at(-1)?.url).toBe("/gw/c9/livy/batches");
  });
});
