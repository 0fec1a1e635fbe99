// The management API served over real HTTP (127.0.0.1, ephemeral port) and driven by the durable-functions
// SDK's own DurableClient (axios), with the binding data the host hands to durableClient inputs.
import { InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DurableManagementApi } from "../../../local/host/durable/managementApi";
import { makeEngine, type TestEngine } from "../../unit/durable/helpers";

let server: Server;
let api: DurableManagementApi;
let t: TestEngine;
let baseUrl: string;
const savedHostname = process.env.WEBSITE_HOSTNAME;

beforeAll(async () => {
  t = await makeEngine(
    {
      Hello: function* (context) {
        const name = yield context.df.waitForExternalEvent("name");
        context.df.setCustomStatus("greeting");
        return yield context.df.callActivity("Greet", name);
      },
    },
    { Greet: (name) => `Hello, ${String(name)}!` },
  );
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void api
        .handleManagementRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks) })
        .then((r) => {
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.WEBSITE_HOSTNAME = baseUrl.slice("http://".length);
  api = new DurableManagementApi({ engine: t.engine, baseUrl, systemKey: "local-key" });
});

afterAll(async () => {
  if (savedHostname === undefined) delete process.env.WEBSITE_HOSTNAME;
  else process.env.WEBSITE_HOSTNAME = savedHostname;
  await new Promise((resolve) => server.close(resolve));
});

function client(): ReturnType<typeof df.getClient> {
  const input = df.input.durableClient();
  const context = new InvocationContext({ functionName: "starter", options: { extraInputs: [input] } });
  context.extraInputs.set(input, api.clientBindingData());
  return df.getClient(context);
}

describe("durable management API through the SDK's DurableClient", () => {
  it("start, status (202 while running), raise event, complete (200), history", async () => {
    const c = client();
    const id = await c.startNew("Hello", { instanceId: "h1", input: { x: 1 } });
    expect(id).toBe("h1");
    await t.engine.runUntilIdle();
    const running = await c.getStatus("h1");
    expect(running.runtimeStatus).toBe("Running");
    expect(running.input).toEqual({ x: 1 });
    expect(running.createdTime.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    await c.raiseEvent("h1", "name", "Tokyo");
    await t.engine.runUntilIdle();
    const done = await c.getStatus("h1", { showHistory: true, showHistoryOutput: true });
    expect(done.runtimeStatus).toBe("Completed");
    expect(done.output).toBe("Hello, Tokyo!");
    expect(done.customStatus).toBe("greeting");
    // The extension names the field `historyEvents` (the SDK's DurableOrchestrationStatus reads `history`, so
    // like in Azure it stays undefined there): check the wire.
    const raw = await fetch(`${baseUrl}/durabletask/instances/h1?showHistory=true&showHistoryOutput=true`);
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as {
      historyEvents: { EventType: string; FunctionName?: string; Result?: unknown }[];
      createdTime: string;
    };
    expect(body.createdTime).toBe("2024-01-01T00:00:00Z");
    const history = body.historyEvents;
    expect(history.map((h) => h.EventType)).toEqual(["ExecutionStarted", "EventRaised", "TaskCompleted", "ExecutionCompleted"]);
    expect(history[2]).toMatchObject({ FunctionName: "Greet", Result: "Hello, Tokyo!" });
  });

  it("raw status codes: 202 + Location while running, 404 unknown, 409 duplicate start, 410 raise after completion, 501 rewind", async () => {
    const start = await fetch(`${baseUrl}/runtime/webhooks/durabletask/orchestrators/Hello/raw1?code=local-key`, {
      method: "POST",
      body: "",
    });
    expect(start.status).toBe(202);
    const payload = (await start.json()) as { statusQueryGetUri: string };
    expect(start.headers.get("location")).toBe(payload.statusQueryGetUri);
    await t.engine.runUntilIdle();
    const status = await fetch(payload.statusQueryGetUri);
    expect(status.status).toBe(202);
    expect(status.headers.get("retry-after")).toBe("5");
    expect((await fetch(`${baseUrl}/durabletask/orchestrators/Hello/raw1`, { method: "POST", body: "" })).status).toBe(409);
    expect((await fetch(`${baseUrl}/durabletask/instances/nope`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/durabletask/instances/raw1/raiseEvent/name`, { method: "POST", body: "not json" })).status).toBe(400);
    expect((await fetch(`${baseUrl}/durabletask/instances/raw1/rewind?reason=x`, { method: "POST" })).status).toBe(501);
    expect((await fetch(`${baseUrl}/durabletask/instances/raw1/terminate?reason=stop`, { method: "POST" })).status).toBe(202);
    expect((await fetch(`${baseUrl}/durabletask/instances/raw1/raiseEvent/name`, { method: "POST", body: '"x"' })).status).toBe(410);
    expect((await fetch(`${baseUrl}/durabletask/instances/raw1/terminate`, { method: "POST" })).status).toBe(410);
  });

  it("query by status with continuation-token paging, suspend/resume, terminate, purge", async () => {
    const c = client();
    const paged = new DurableManagementApi({ engine: t.engine, baseUrl, systemKey: "local-key", pageSize: 2 });
    api = paged; // the server now pages by 2
    for (let i = 0; i < 5; i++) await c.startNew("Hello", { instanceId: `q${i}` });
    await t.engine.runUntilIdle();
    const running = await c.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Running] });
    expect(
      running
        .map((s) => s.instanceId)
        .filter((id) => id.startsWith("q"))
        .sort(),
    ).toEqual(["q0", "q1", "q2", "q3", "q4"]);
    const prefix = await paged.handleManagementRequest({
      method: "GET",
      url: "/durabletask/instances/?instanceIdPrefix=q&top=10",
      headers: {},
    });
    expect((JSON.parse(prefix.body) as unknown[]).length).toBe(5);
    await c.suspend("q0", "pause");
    expect((await c.getStatus("q0")).runtimeStatus).toBe("Suspended");
    await c.resume("q0", "go");
    await c.terminate("q1", "bye");
    const terminated = await c.getStatus("q1");
    expect(terminated.runtimeStatus).toBe("Terminated");
    expect(terminated.output).toBe("bye");
    expect((await c.purgeInstanceHistory("q1")).instancesDeleted).toBe(1);
    expect((await c.purgeInstanceHistory("q1")).instancesDeleted).toBe(0);
    await expect(c.getStatus("q1")).rejects.toThrow(/404/);
  });

  it("createCheckStatusResponse uses the management URLs of the binding data", () => {
    const c = client();
    const response = c.createCheckStatusResponse(undefined, "abc");
    expect(response.status).toBe(202);
    expect(response.headers.get("Location")).toBe(
      `${baseUrl}/runtime/webhooks/durabletask/instances/abc?taskHub=TestHub&connection=Storage&code=local-key`,
    );
  });
});
