// The host's HTTP front door (node:http on 127.0.0.1): HTTP-triggered functions under the route prefix, the
// Durable management API under /runtime/webhooks/durabletask/ (system key) and /durabletask/<token>/ (the
// client's RPC base URL, per-process token), and the host's admin endpoints under /admin/. Which function a path
// reaches is functionRoutes.ts; the request/response pair the Durable and admin handlers speak is plainHttp.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RegisteredFunction } from "./functionsCore";
import { findFunctionRoute, functionRoutes, type HttpFunctionRoute } from "./functionRoutes";
import { readBody, toRpcHttpRequest, writeRpcHttpResponse } from "./httpConversion";
import { invokeStreaming } from "./httpStream";
import { DURABLE_SYSTEM_KEY_NAME, presentedKey, type HostKeys } from "./keys";
import type { HostLogger } from "./log";
import { toPlain, writePlain, type AdminRoute, type PlainHttpHandler, type PlainHttpRequest, type PlainHttpResponse } from "./plainHttp";
import type { RpcHttpData } from "./rpcTypedData";
import type { TriggerInvoker } from "./triggerInvoker";
import type { ForegroundGate } from "./foreground";
import { HttpAdmission, type HttpAdmissionLimits } from "./httpAdmission";
import { serveDurableClientInProcess } from "./durableLoopback";

export interface HostHttpServerOptions {
  port: number;
  routePrefix: string;
  keys: HostKeys;
  logger: HostLogger;
  invoker: TriggerInvoker;
  adminRoutes: AdminRoute[];
  /** The Durable management API, mounted under /runtime/webhooks/durabletask/ (system key required). */
  durableHandler?: PlainHttpHandler;
  /** HTTP functions being answered hold it, so background invocations wait their turn (foreground.ts). */
  gate?: ForegroundGate;
  /** host.json's extensions.http request limits (httpAdmission.ts); none when omitted. */
  requestLimits?: HttpAdmissionLimits;
  /**
   * The app's durable client reaches the Durable paths in process, without a socket (durableLoopback.ts; default
   * true). Same handler, same key check; `false` keeps the loopback TCP round trip.
   */
  durableClientInProcess?: boolean;
}

export const DURABLE_WEBHOOK_PATH = "/runtime/webhooks/durabletask/";
/**
 * The extension's local RPC endpoint (LocalHttpListener, `rpcBaseUrl` of the client binding): the durable client
 * sends every operation there without a key. In Azure it is a loopback-only listener inside the worker; here it
 * shares the API's port, so it answers only under an unguessable per-process token (`/durabletask/<token>/…`,
 * checked by the management API; 404 otherwise) that only the app's durable clients are given.
 */
export const DURABLE_RPC_PATH = "/durabletask/";

function isDurablePath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.startsWith(DURABLE_WEBHOOK_PATH) || lower.startsWith(DURABLE_RPC_PATH);
}

/** Pending connections the kernel may queue for this server (node's default is 511). */
const LISTEN_BACKLOG = 4096;

/** Kestrel's default KeepAliveTimeout, which the Functions host keeps. */
const KEEP_ALIVE_TIMEOUT_MS = 130_000;

export class HostHttpServer {
  private readonly server: Server;
  private routes: HttpFunctionRoute[] = [];
  private proxyUri: string | undefined;
  private readonly admission: HttpAdmission | undefined;
  private stopLoopback: () => void = () => undefined;

  constructor(private readonly options: HostHttpServerOptions) {
    this.admission =
      options.requestLimits && HttpAdmission.needed(options.requestLimits) ? new HttpAdmission(options.requestLimits) : undefined;
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        options.logger.event("http.error", `Unhandled host error: ${err instanceof Error ? err.message : String(err)}`, {}, "error");
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    // Kestrel's keep-alive timeout (130 s), not node's 5 s: under load a client may pick an idle connection just
    // as node drops it, and the request dies with a reset instead of an answer (a 429 at worst).
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  }

  /** Builds the route table from the registered HTTP functions (throws on an unsupported template). */
  setFunctions(functions: RegisteredFunction[]): void {
    this.routes = functionRoutes(functions);
  }

  /** Switches HTTP functions to streaming through the library's proxy (app.setup({ enableHttpStream: true })). */
  setStreamingProxy(proxyUri: string | undefined): void {
    this.proxyUri = proxyUri;
  }

  /** HTTP function requests executing and waiting under host.json's request limits (zeros without limits). */
  requestStats(): { executing: number; waiting: number } {
    return this.admission?.stats ?? { executing: 0, waiting: 0 };
  }

  /** Starts listening on 127.0.0.1; resolves with the base URL (`http://127.0.0.1:<port>`). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      // A deep accept queue (the kernel caps it at net.core.somaxconn): when a burst outruns the host, connections
      // wait there to be read and answered (or refused with 429 by the request limits) instead of overflowing it —
      // an overflow shows up at the client as connect timeouts and resets.
      this.server.listen(this.options.port, "127.0.0.1", LISTEN_BACKLOG, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (this.options.durableClientInProcess !== false) {
      this.stopLoopback = serveDurableClientInProcess(origin, async (plain) => {
        const url = new URL(plain.url);
        // Only the Durable paths are served in process; anything else the client may call goes over the socket.
        return isDurablePath(url.pathname) ? this.serveDurable(plain, url) : undefined;
      }).stop;
    }
    return origin;
  }

  /** Stops accepting requests and closes idle keep-alive connections. */
  async close(): Promise<void> {
    this.stopLoopback();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const key = presentedKey(req.headers, url);

    if (isDurablePath(path)) {
      return writePlain(res, await this.serveDurable(await toPlain(req, url), url));
    }
    if (path === "/" && (method === "GET" || method === "HEAD")) {
      // The console is an HTTP function under the route prefix; `/` of the local runtime leads there (it signs in).
      const prefix = this.options.routePrefix.replace(/^\/+|\/+$/g, "");
      return void res.writeHead(302, { location: `${prefix === "" ? "" : `/${prefix}`}/console/` }).end();
    }
    if (path.toLowerCase().startsWith("/admin/")) {
      const candidates = this.options.adminRoutes.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
      if (candidates.length === 0) return void res.writeHead(404).end();
      const hit = candidates.find((x) => x.r.method === method);
      if (!hit || !hit.m) return void res.writeHead(405, { allow: candidates.map((x) => x.r.method).join(", ") }).end();
      if (!this.options.keys.authorizeAdmin(key)) return void res.writeHead(401).end();
      return writePlain(res, await hit.r.handle(await toPlain(req, url), hit.m));
    }
    await this.dispatchFunction(req, res, url, method, key);
  }

  /**
   * The Durable management API and the client's RPC path, for a request read from a socket or handed over in
   * process by the app's durable client (durableLoopback.ts): the same system-key check and handler either way.
   */
  private async serveDurable(plain: PlainHttpRequest, url: URL): Promise<PlainHttpResponse> {
    const handler = this.options.durableHandler;
    if (!handler) return { status: 404 };
    const isWebhook = url.pathname.toLowerCase().startsWith(DURABLE_WEBHOOK_PATH);
    if (isWebhook && !this.options.keys.authorizeSystem(DURABLE_SYSTEM_KEY_NAME, presentedKey(plain.headers, url))) return { status: 401 };
    return handler(plain);
  }

  private async dispatchFunction(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    key: string | undefined,
  ): Promise<void> {
    const prefix = this.options.routePrefix.replace(/^\/+|\/+$/g, "");
    let path = url.pathname;
    if (prefix !== "") {
      const lower = path.toLowerCase();
      const p = `/${prefix.toLowerCase()}`;
      if (lower !== p && !lower.startsWith(`${p}/`)) return void res.writeHead(404).end();
      path = path.slice(p.length);
    }
    const hit = findFunctionRoute(this.routes, method, path);
    if (hit.kind === "notFound") return void res.writeHead(404).end();
    if (hit.kind === "methodNotAllowed") return void res.writeHead(405, { allow: hit.allow.join(", ") }).end();
    const { registration } = hit.route;
    if (!this.options.keys.authorizeFunction(hit.route.authLevel, registration.name, key)) {
      this.options.logger.event("http.unauthorized", `401 for ${method} ${url.pathname}`, { functionName: registration.name });
      return void res.writeHead(401).end();
    }
    let release: (() => void) | undefined;
    if (this.admission) {
      const admitted = this.admission.admit();
      if (!admitted) {
        // maxOutstandingRequests reached: refuse at once rather than queue without bound (the host's 429).
        this.options.logger.event(
          "http.throttled",
          `429 for ${method} ${url.pathname}: maxOutstandingRequests reached`,
          { functionName: registration.name },
          "warning",
        );
        return void res.writeHead(429, { "retry-after": "1" }).end();
      }
      release = await admitted;
    }
    const leave = this.options.gate?.enter();
    try {
      await this.answerFunction(req, res, url, hit.params, registration);
    } finally {
      leave?.();
      release?.();
    }
  }

  private async answerFunction(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    params: Record<string, string>,
    registration: RegisteredFunction,
  ): Promise<void> {
    if (this.proxyUri) {
      const { invoker } = this.options;
      return invokeStreaming({ req, res, url, params, registration, invoker, proxyUri: this.proxyUri });
    }
    const body = await readBody(req);
    const http = toRpcHttpRequest(req, url, body, params);
    let output: RpcHttpData | undefined;
    try {
      const response = await this.options.invoker(registration, { triggerData: { http } });
      output = (response.returnValue as { http?: RpcHttpData } | undefined)?.http ?? undefined;
    } catch {
      // The function failed (already logged by the invocation pipeline): the host answers 500 with no body.
      return void res.writeHead(500).end();
    }
    writeRpcHttpResponse(res, output);
  }
}
