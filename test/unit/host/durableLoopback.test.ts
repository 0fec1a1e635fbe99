// durableLoopback.ts: the real durable-functions DurableClient, pointed at an origin where nothing listens, reaches
// the registered handler in process (same method, URL, body; the SDK parses the answer as it would off the wire),
// and goes back to the socket (connection refused) once the registration is stopped.
import * as df from "durable-functions";
import { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { durableClientBindingData } from "../../../local/host/durable/managementUrls";
import { serveDurableClientInProcess, type LoopbackHandler } from "../../../local/host/durableLoopback";

// Port 9 (discard) on loopback: nothing listens there, so only the in-process path can answer.
const ORIGIN = "http://127.0.0.1:9";

function clientFor(origin: string): df.DurableClient {
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(
    input,
    durableClientBindingData({ baseUrl: origin, taskHub: "hub", connectionName: "Storage", systemKey: "sys", rpcToken: "tok" }),
  );
  return df.getClient(context);
}

describe("durable client in process", () => {
  it("serves startNew and getStatus through the handler, without a socket, until stopped", async () => {
    const seen: Parameters<LoopbackHandler>[0][] = [];
    const served = serveDurableClientInProcess(ORIGIN, async (req) => {
      seen.push(req);
      if (req.method === "POST") {
        return { status: 202, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: "inst-1" }) };
      }
      const at = "2024-01-01T00:00:00Z";
      const status = {
        name: "orch",
        instanceId: "inst-1",
        runtimeStatus: "Running",
        input: { a: 1 },
        customStatus: null,
        output: null,
        createdTime: at,
        lastUpdatedTime: at,
      };
      return { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(status) };
    });
    expect(served.active).toBe(true);
    const client = clientFor(ORIGIN);
    expect(await client.startNew("orch", { instanceId: "inst-1", input: { a: 1 } })).toBe("inst-1");
    const status = await client.getStatus("inst-1");
    expect(status.runtimeStatus).toBe("Running");
    expect(seen[0]).toMatchObject({ method: "POST", url: `${ORIGIN}/durabletask/tok/orchestrators/orch/inst-1`, body: '{"a":1}' });
    expect(seen[0]?.headers["content-type"]).toMatch(/application\/json/);
    expect(seen[1]).toMatchObject({ method: "GET" });
    expect(seen[1]?.url.startsWith(`${ORIGIN}/durabletask/tok/instances/inst-1`)).toBe(true);

    served.stop();
    await expect(clientFor(ORIGIN).startNew("orch", { instanceId: "inst-2" })).rejects.toThrow();
    expect(seen).toHaveLength(2);
  });

  it("hands an error status to the SDK as the wire would (a conflict is the SDK's error, not a transport one)", async () => {
    const served = serveDurableClientInProcess(ORIGIN, async () => ({
      status: 409,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Message: "An Orchestration instance with the status Running already exists." }),
    }));
    try {
      await expect(clientFor(ORIGIN).startNew("orch", { instanceId: "dup" })).rejects.toThrow(/already exists|409/);
    } finally {
      served.stop();
    }
  });

  it("sends a request the handler declines (undefined) over the socket", async () => {
    let asked = 0;
    const served = serveDurableClientInProcess(ORIGIN, async () => {
      asked++;
      return undefined;
    });
    try {
      // Nothing listens on the origin: only the socket path can fail this way.
      await expect(clientFor(ORIGIN).startNew("orch", { instanceId: "x" })).rejects.toThrow(/ECONNREFUSED|connect/i);
      expect(asked).toBe(1);
    } finally {
      served.stop();
    }
  });
});
