// A tiny HTTPS host for the gateway and Key Vault emulators, standing in for the sandbox's server in their tests:
// /gateway/{cluster}/… → gateway.handle, /keyvault/… → keyVault.handle, /_sandbox/{gateway|keyvault}/… → control.
// Clusters are a plain map the test fills (what the ARM side would hold); the clock is a manual VirtualClock.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import selfsigned from "selfsigned";
import { VirtualClock } from "../../local/clock/virtualClock";
import type { SandboxClusterView, SandboxComponentDeps } from "../../local/sandbox/contracts";
import { createGateway, type SandboxGateway } from "../../local/sandbox/gateway";
import { createKeyVault, type SandboxKeyVault } from "../../local/sandbox/keyvault";

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  component: "gateway" | "keyvault";
}

export interface GatewayHarness {
  /** "https://127.0.0.1:PORT". */
  url: string;
  /** PEM of the self-signed server certificate (its own CA). */
  caPem: string;
  clock: VirtualClock;
  clusters: Map<string, SandboxClusterView>;
  requestLog: LoggedRequest[];
  gateway: SandboxGateway;
  keyVault: SandboxKeyVault;
  /** Folder holding gateway/ and keyvault/ data folders. */
  dataDir: string;
  /** Saves and recreates both components from their data folders (a sandbox restart; the clock keeps going). */
  restart(): Promise<void>;
  /** HTTPS request to the harness that trusts its certificate. */
  request(method: string, path: string, options?: HarnessRequestOptions): Promise<HarnessResponse>;
  close(): Promise<void>;
}

export interface HarnessRequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Basic auth credentials. */
  basic?: { username: string; password: string };
}

export interface HarnessResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

/** A running cluster view with gateway credentials `admin` / `Sandbox-Pa55word!`. */
export function runningCluster(name: string, runningSinceMs: number): SandboxClusterView {
  return { name, state: "running", gatewayUsername: "admin", gatewayPassword: "Sandbox-Pa55word!", clusterVersion: "5.1", runningSinceMs };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startGatewayHarness(options: { startMs?: number } = {}): Promise<GatewayHarness> {
  const generated = selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    days: 2,
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-gateway-"));
  const clock = new VirtualClock({ mode: "manual", startMs: options.startMs ?? Date.parse("2026-11-21T10:00:00Z") });
  const clusters = new Map<string, SandboxClusterView>();
  const requestLog: LoggedRequest[] = [];
  const deps = (sub: string): SandboxComponentDeps => ({
    clock,
    dataDir: join(dataDir, sub),
    lookupCluster: (name) => clusters.get(name),
    logRequest: (entry) => requestLog.push(entry),
  });
  let gateway = createGateway(deps("gateway"));
  let keyVault = createKeyVault(deps("keyvault"));

  const server = https.createServer({ key: generated.private, cert: generated.cert }, (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = req.url ?? "/";
      const qIndex = url.indexOf("?");
      const path = qIndex < 0 ? url : url.slice(0, qIndex);
      const query = qIndex < 0 ? "" : url.slice(qIndex);
      const parts = path.split("/");
      if (parts[1] === "gateway" && parts[2]) {
        return gateway.handle(req, res, decodeURIComponent(parts[2]), `/${parts.slice(3).join("/")}${query}`);
      }
      if (parts[1] === "keyvault") return keyVault.handle(req, res, `/${parts.slice(2).join("/")}${query}`);
      if (parts[1] === "_sandbox" && (parts[2] === "gateway" || parts[2] === "keyvault")) {
        const text = await readAll(req);
        const body: unknown = text.length > 0 ? JSON.parse(text) : undefined;
        const component = parts[2] === "gateway" ? gateway : keyVault;
        return component.control(req, res, `/${parts.slice(3).join("/")}${query}`, body);
      }
      res.writeHead(404).end();
    })().catch((e: Error) => {
      if (!res.headersSent) res.writeHead(500).end(e.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const agent = new https.Agent({ ca: generated.cert, keepAlive: false });

  const request = (method: string, path: string, o: HarnessRequestOptions = {}): Promise<HarnessResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...o.headers };
      if (o.basic) headers.authorization = `Basic ${Buffer.from(`${o.basic.username}:${o.basic.password}`).toString("base64")}`;
      if (o.body !== undefined) headers["content-length"] = String(Buffer.byteLength(o.body));
      const req = https.request(`${url}${path}`, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString("utf8"),
            json: <T>() => JSON.parse(body.toString("utf8")) as T,
          });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(o.body);
    });

  return {
    url,
    caPem: generated.cert,
    clock,
    clusters,
    requestLog,
    get gateway() {
      return gateway;
    },
    get keyVault() {
      return keyVault;
    },
    dataDir,
    async restart() {
      await gateway.save();
      await keyVault.save();
      gateway = createGateway(deps("gateway"));
      keyVault = createKeyVault(deps("keyvault"));
    },
    request,
    async close() {
      await gateway.save();
      await keyVault.save();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
