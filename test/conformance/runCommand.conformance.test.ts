// Conformance of the sandbox's managed Run Command (Microsoft.Compute virtualMachines/runCommands) with
// Microsoft's published example: GET has the example's keys, secrets (runAsPassword, protectedParameters) never
// come back, $expand=instanceView carries statuses, source.scriptUri and PATCH are accepted, and the output and
// error streams are written to outputBlobUri / errorBlobUri as append blobs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, TEST_SUBSCRIPTION as SUB, useTestSandbox } from "../support/sandbox";
import { loadExample, secretPaths, send, shapeDifferences, type Reply } from "./replay";

const env = useTestSandbox();
const VM = "dss-edge-01";
const v = "?api-version=2024-07-01";
const rc = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${VM}/runCommands/${name}`;
const call = (method: string, path: string, body?: unknown): Promise<Reply> =>
  send(env.current.hdinsight(), env.current.sandbox.url, method, path, body);

/** A loopback stand-in for Blob storage: serves scripts and records Append Blob writes (create + appendblock). */
const blobs = new Map<string, string>();
let blobBase = "";
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET") {
      const content = path === "/scripts/hello.sh" ? 'echo "from uri $GREETING"\n' : undefined;
      res.writeHead(content === undefined ? 404 : 200).end(content ?? "");
      return;
    }
    const append = (req.url ?? "").includes("comp=appendblock");
    if (!append) blobs.set(path, "");
    else blobs.set(path, (blobs.get(path) ?? "") + Buffer.concat(chunks).toString("utf8"));
    res.writeHead(201).end();
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  blobBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function finished(name: string): Promise<Reply> {
  await env.current.sandbox.control.runCommandsIdle();
  return call("GET", `${rc(name)}${v}&$expand=instanceView`);
}

describe("conformance: managed Run Command", () => {
  it("VirtualMachineRunCommand_Get.json: the example's keys, no runAsPassword / protectedParameters, statuses, blobs written", async () => {
    const ex = loadExample("compute-2024-07-01/VirtualMachineRunCommand_Get.json");
    const p = (ex.responses["200"].body as { properties: Record<string, unknown> }).properties;
    const body = {
      location: "westus",
      tags: { tag1: "value1", tag2: "value2" },
      properties: {
        source: { script: 'echo "hello $param1 $param2 ${#SECRET_TOKEN}"; echo oops >&2' },
        parameters: p.parameters,
        protectedParameters: [{ name: "SECRET_TOKEN", value: "s3cr3t-token" }],
        asyncExecution: false,
        treatFailureAsDeploymentFailure: false,
        runAsUser: "user1",
        runAsPassword: "RunAs-Passw0rd!",
        timeoutInSeconds: 3600,
        outputBlobUri: `${blobBase}/out/MyScriptoutput.txt`,
        errorBlobUri: `${blobBase}/out/MyScriptError.txt`,
      },
    };
    const put = await call("PUT", rc("myRunCommand") + v, body);
    expect([200, 201]).toContain(put.status);
    const got = await finished("myRunCommand");
    expect(got.status).toBe(200);
    expect(shapeDifferences(ex.responses["200"].body, got.body)).toEqual([]);
    expect(secretPaths(got.body)).toEqual([]);
    expect(JSON.stringify(got.body)).not.toMatch(/RunAs-Passw0rd|s3cr3t-token/);
    const view = (
      got.body as { properties: { instanceView: { executionState: string; statuses: Array<{ code: string; message: string }> } } }
    ).properties.instanceView;
    expect(view.executionState).toBe("Succeeded");
    expect(view.statuses.map((s) => s.code)).toEqual([
      "ProvisioningState/succeeded",
      "ComponentStatus/StdOut/succeeded",
      "ComponentStatus/StdErr/succeeded",
    ]);
    expect(blobs.get("/out/MyScriptoutput.txt")).toBe("hello value1 value2 12\n"); // the protected value reached the script
    expect(blobs.get("/out/MyScriptError.txt")).toBe("oops\n");
    const list = await call(
      "GET",
      `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${VM}/runCommands${v}`,
    );
    expect(secretPaths(list.body)).toEqual([]);
  });

  it("accepts source.scriptUri and runs the downloaded script", async () => {
    const put = await call("PUT", rc("fromUri") + v, {
      location: "westus",
      properties: { source: { scriptUri: `${blobBase}/scripts/hello.sh` }, parameters: [{ name: "GREETING", value: "hi" }] },
    });
    expect([200, 201]).toContain(put.status);
    const got = await finished("fromUri");
    expect(got.body).toMatchObject({
      properties: {
        source: { scriptUri: `${blobBase}/scripts/hello.sh` },
        instanceView: { executionState: "Succeeded", output: "from uri hi\n" },
      },
    });
  });

  it("a scriptUri that cannot be downloaded fails the run, not the request", async () => {
    await call("PUT", rc("badUri") + v, { location: "westus", properties: { source: { scriptUri: `${blobBase}/scripts/missing.sh` } } });
    const got = await finished("badUri");
    expect(got.body).toMatchObject({ properties: { instanceView: { executionState: "Failed" } } });
  });

  it("PATCH updates the run command (and re-runs it, as a changed PUT does)", async () => {
    await call("PUT", rc("patchMe") + v, { location: "westus", properties: { source: { script: "echo one" } } });
    await finished("patchMe");
    const patched = await call("PATCH", rc("patchMe") + v, { properties: { source: { script: "echo two" } } });
    expect([200, 201, 202]).toContain(patched.status);
    const got = await finished("patchMe");
    expect(got.body).toMatchObject({ properties: { source: { script: "echo two" }, instanceView: { output: "two\n" } } });
  });
});
