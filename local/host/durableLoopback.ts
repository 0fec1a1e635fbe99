// The durable client's calls to this host, served in process. durable-functions' DurableClient sends every
// operation (startNew, getStatus, raiseEvent…) as an HTTP request to the binding's rpcBaseUrl — in Azure the
// extension's loopback listener inside the same worker. Here that listener is this very process, so each call paid
// twice for a socket round trip on one event loop (request written and parsed, response written and parsed: about
// a quarter of a `POST /api/jobs`). An axios adapter (axios's documented transport hook) on the SDK's own axios
// hands a request whose origin is a running local host straight to that host's Durable handler — the same method,
// URL, headers and body, the same key check and management API, the same response parsing by the SDK; only the
// socket is skipped. Any other URL goes through axios's own adapter unchanged, and an app whose durable-functions
// does not resolve from here keeps the socket (correct, only slower).
import { createRequire } from "node:module";
import { STATUS_CODES } from "node:http";

/** Serves one request of the durable client (the host's Durable paths); undefined = not one: send it over the socket. */
export type LoopbackHandler = (req: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; headers?: Record<string, string>; body?: string | Buffer } | undefined>;

/** The part of axios's module this uses (durable-functions bundles its own axios; no types imported from it). */
interface AxiosConfig {
  url?: string;
  baseURL?: string;
  params?: unknown;
  method?: string;
  data?: unknown;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  validateStatus?: ((status: number) => boolean) | null;
}
interface AxiosModule {
  defaults: { adapter?: unknown };
  getUri(config: AxiosConfig): string;
  getAdapter(adapters: unknown): (config: AxiosConfig) => Promise<unknown>;
  AxiosHeaders: new (headers?: Record<string, string>) => unknown;
  AxiosError: new (message: string, code: string, config: AxiosConfig, request: unknown, response: unknown) => Error;
}

const hosts = new Map<string, LoopbackHandler>();
let installed: "yes" | "unavailable" | undefined;

/** The axios instance durable-functions requires (its own copy), or undefined when it does not resolve from here. */
function durableFunctionsAxios(): AxiosModule | undefined {
  try {
    const fromSdk = createRequire(require.resolve("durable-functions/package.json"));
    return fromSdk("axios") as AxiosModule;
  } catch {
    return undefined;
  }
}

function install(): boolean {
  if (installed) return installed === "yes";
  const axios = durableFunctionsAxios();
  if (!axios || typeof axios.getAdapter !== "function") {
    installed = "unavailable";
    return false;
  }
  const fallback = axios.getAdapter(axios.defaults.adapter);
  // DurableClient instances copy the defaults when they are made (axios.create), after the host is listening.
  axios.defaults.adapter = (config: AxiosConfig) => {
    // DurableClient passes absolute URLs without params; axios.getUri would merge the whole config again for it.
    const url =
      typeof config.url === "string" && config.baseURL === undefined && config.params === undefined ? config.url : axios.getUri(config);
    const handler = hosts.get(originOf(url));
    return handler ? serve(axios, handler, url, config, fallback) : fallback(config);
  };
  installed = "yes";
  return true;
}

function originOf(url: string): string {
  const scheme = url.indexOf("://");
  const slash = url.indexOf("/", scheme + 3);
  return slash < 0 ? url : url.slice(0, slash);
}

async function serve(
  axios: AxiosModule,
  handler: LoopbackHandler,
  url: string,
  config: AxiosConfig,
  fallback: (config: AxiosConfig) => Promise<unknown>,
): Promise<unknown> {
  const headers: Record<string, string> = {};
  const raw = typeof config.headers?.toJSON === "function" ? config.headers.toJSON() : (config.headers ?? {});
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && value !== null && value !== false) headers[name.toLowerCase()] = String(value);
  }
  const body =
    typeof config.data === "string" ? config.data : config.data === undefined || config.data === null ? "" : JSON.stringify(config.data);
  const result = await handler({ method: (config.method ?? "get").toUpperCase(), url, headers, body });
  if (!result) return fallback(config);
  const responseBody = result.body === undefined ? "" : Buffer.isBuffer(result.body) ? result.body.toString("utf8") : result.body;
  const response = {
    data: responseBody,
    status: result.status,
    statusText: STATUS_CODES[result.status] ?? "",
    headers: new axios.AxiosHeaders(lowerCaseKeys(result.headers ?? {})),
    config,
    request: {},
  };
  // What axios's own adapters do with the status (settle): resolve when validateStatus accepts it, else reject.
  if (!config.validateStatus || config.validateStatus(result.status)) return response;
  const code = result.status >= 500 ? "ERR_BAD_RESPONSE" : "ERR_BAD_REQUEST";
  throw new axios.AxiosError(`Request failed with status code ${result.status}`, code, config, {}, response);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/**
 * Serves the durable client's requests to `origin` (e.g. http://127.0.0.1:7071) in process until the returned
 * function is called. False when durable-functions' axios cannot be reached: the client then uses the socket.
 */
export function serveDurableClientInProcess(origin: string, handler: LoopbackHandler): { active: boolean; stop: () => void } {
  if (!install()) return { active: false, stop: () => undefined };
  hosts.set(origin, handler);
  return {
    active: true,
    stop: () => {
      if (hosts.get(origin) === handler) hosts.delete(origin);
    },
  };
}
