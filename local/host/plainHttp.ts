// A framework-agnostic request/response pair, and its conversion from and to node:http. The Durable management
// API (durable/managementApi.ts via durableWiring.ts), the in-process durable client (durableLoopback.ts) and the
// admin endpoints (serviceBusAdmin.ts) speak it. Separate from httpServer.ts because those handlers know nothing
// of sockets: only httpServer.ts turns a node request into one and writes one back.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./httpConversion";

export interface PlainHttpRequest {
  method: string;
  /** Absolute URL as the caller used it. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface PlainHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type PlainHttpHandler = (req: PlainHttpRequest) => Promise<PlainHttpResponse>;

/** A host admin endpoint (master key required). `match` receives the path without query. */
export interface AdminRoute {
  method: string;
  pattern: RegExp;
  handle(req: PlainHttpRequest, match: RegExpExecArray): Promise<PlainHttpResponse> | PlainHttpResponse;
}

/** Reads a node request (its whole body as UTF-8; repeated headers joined by ", ") into a PlainHttpRequest. */
export async function toPlain(req: IncomingMessage, url: URL): Promise<PlainHttpRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { method: (req.method ?? "GET").toUpperCase(), url: url.toString(), headers, body: (await readBody(req)).toString("utf8") };
}

/** Writes a PlainHttpResponse (with its content-length) and ends the response. */
export function writePlain(res: ServerResponse, response: PlainHttpResponse): void {
  const body = response.body === undefined ? undefined : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
  res.writeHead(response.status, { ...response.headers, ...(body ? { "content-length": String(body.length) } : {}) });
  res.end(body);
}
