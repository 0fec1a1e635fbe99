// Helpers for the policy integration tests: signed requests as an allowed caller, a 127.0.0.1 webhook receiver,
// the sandbox's control API and hand-made clusters created through the real arm-hdinsight client.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { HDInsightManagementClient, type ClusterCreateParametersExtended } from "@azure/arm-hdinsight";
import { main } from "../../../cli/main";
import { LOCAL_RESOURCE_GROUP, LOCAL_SECRETS, LOCAL_SUBSCRIPTION } from "../../../local/stack";
import { signedHeaders } from "../../../shared/policies/webhookSignature";
import { staticCredential } from "../../support/sandbox";
import type { TestStack } from "../../support/stack";

export const CALLER = "airflow";
export const CALLER_SECRET = "test-caller-secret-0123456789";
export const NOTIFY_SECRET = "test-notify-secret-9876543210";

/** Stack options: one allowed caller, its secret and the notify secret seeded in the Key Vault emulator. */
export function policyStackOptions(settings: Record<string, string> = {}) {
  return {
    settings: { JOBFLOW_WEBHOOK_CALLERS: CALLER, ...settings },
    sandbox: { seedSecrets: { ...LOCAL_SECRETS, [`webhook-${CALLER}`]: CALLER_SECRET, "webhook-notify": NOTIFY_SECRET } },
  };
}

/** POSTs `body` to the API signed as CALLER at the stack's virtual time (or with the given headers). */
export async function signedPost(
  stack: TestStack,
  path: string,
  body: unknown,
  options: { secret?: string; caller?: string; atMs?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers =
    options.headers ?? signedHeaders(options.secret ?? CALLER_SECRET, options.caller ?? CALLER, options.atMs ?? stack.clock.nowMs(), text);
  return stack.api(path, { method: "POST", body: text, headers: { "content-type": "application/json", ...headers } });
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  /** `127.0.0.1:<port>`: the entry for JOBFLOW_WEBHOOK_ALLOW_HOSTS. */
  hostPort: string;
  received: ReceivedRequest[];
  /** Status to answer per path (default 200). */
  statusFor: Map<string, number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const statusFor = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(statusFor.get(path) ?? 200, { "content-type": "text/plain" });
      res.end(statusFor.get(path) && statusFor.get(path) !== 200 ? "<html>junk</html>" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    received,
    statusFor,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A request to the sandbox control API (/_sandbox/…), bearer-authenticated like ARM. */
export async function sandboxControl(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const token = (await staticCredential().getToken("https://management.azure.com/.default"))?.token ?? "";
  const url = new URL(`${stack.sandbox.url}/_sandbox${path}`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method, ca: stack.sandbox.caPem, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = raw;
          try {
            parsed = JSON.parse(raw);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    if (text) req.write(text);
    req.end();
  });
}

export function armClient(stack: TestStack): HDInsightManagementClient {
  return new HDInsightManagementClient(staticCredential(), LOCAL_SUBSCRIPTION, {
    endpoint: stack.sandbox.url,
    tlsOptions: { ca: stack.sandbox.caPem },
    credentialScopes: ["https://management.azure.com/.default"],
    retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
}

/** A hand-made Spark cluster (as a team would create it in the portal), gateway login admin + the local gateway secret. */
export function handMadeClusterBody(tags: Record<string, string>): ClusterCreateParametersExtended {
  const os = { linuxOperatingSystemProfile: { username: "sshuser", password: LOCAL_SECRETS["cluster-ssh-password"] } };
  return {
    location: "westeurope",
    tags,
    properties: {
      clusterVersion: "5.1",
      osType: "Linux",
      tier: "Standard",
      minSupportedTlsVersion: "1.2",
      clusterDefinition: {
        kind: "spark",
        componentVersion: { Spark: "3.3" },
        configurations: {
          gateway: {
            "restAuthCredential.isEnabled": true,
            "restAuthCredential.username": "admin",
            "restAuthCredential.password": LOCAL_SECRETS["cluster-gateway-password"],
          },
        },
      },
      storageProfile: {
        storageaccounts: [{ name: "teamdata.blob.core.windows.net", isDefault: true, container: "team", key: "storage-key" }],
      },
      computeProfile: {
        roles: [
          { name: "headnode", targetInstanceCount: 2, hardwareProfile: { vmSize: "Standard_E8_V3" }, osProfile: os },
          { name: "workernode", targetInstanceCount: 2, hardwareProfile: { vmSize: "Standard_E8_V3" }, osProfile: os },
          { name: "zookeepernode", targetInstanceCount: 3, hardwareProfile: { vmSize: "Standard_A2_V2" }, osProfile: os },
        ],
      },
    },
  };
}

/** Sends the create PUT only (the sandbox provisions over virtual time; tests poll with runUntil). */
export async function createHandMadeCluster(stack: TestStack, name: string, tags: Record<string, string>): Promise<void> {
  await armClient(stack).clusters.beginCreate(LOCAL_RESOURCE_GROUP, name, handMadeClusterBody(tags));
}

export async function clusterNames(stack: TestStack): Promise<Map<string, { clusterState: string; tags: Record<string, string> }>> {
  const out = new Map<string, { clusterState: string; tags: Record<string, string> }>();
  for await (const c of armClient(stack).clusters.listByResourceGroup(LOCAL_RESOURCE_GROUP)) {
    out.set(c.name as string, { clusterState: c.properties?.clusterState ?? "", tags: (c.tags ?? {}) as Record<string, string> });
  }
  return out;
}

/** Runs the `jobflow` CLI in-process against the stack; returns exit code and captured stdout/stderr lines. */
export async function cli(stack: TestStack, argv: string[]): Promise<{ code: number; lines: string[]; errors: string[]; json?: unknown }> {
  const lines: string[] = [];
  const errors: string[] = [];
  let json: unknown;
  const out = { line: (t: string) => void lines.push(t), error: (t: string) => void errors.push(t), json: (v: unknown) => void (json = v) };
  const code = await main(argv, out, { JOBFLOW_URL: stack.apiUrl.replace(/\/api$/, ""), JOBFLOW_KEY: stack.functionKey });
  return { code, lines, errors, json };
}
