// node:http request/response ⇄ RpcHttpData, the shapes the Functions host exchanges with the worker.
import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyBytes, type RpcHttpCookie, type RpcHttpData } from "./rpcTypedData";

/** Reads a request body completely (the non-streaming mode of the worker protocol). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Headers as a flat record; repeated headers joined by ", " (cookies by "; "), as ASP.NET's header dictionary. */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(name === "cookie" ? "; " : ", ") : value;
  }
  return headers;
}

/** Query parameters as a flat record; repeated names joined by "," (StringValues.ToString()). */
export function flattenQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(",");
  return query;
}

export function toRpcHttpRequest(req: IncomingMessage, url: URL, body: Buffer, params: Record<string, string>): RpcHttpData {
  return {
    method: req.method ?? "GET",
    url: url.toString(),
    headers: flattenHeaders(req),
    query: flattenQuery(url),
    params,
    body: body.length > 0 ? { bytes: body } : undefined,
  };
}

/** Writes the function's HTTP output; `undefined` (no response set) becomes 204 No Content. */
export function writeRpcHttpResponse(res: ServerResponse, http: RpcHttpData | undefined): void {
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const status = Number(http.statusCode ?? 200) || 200;
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const cookies = (http.cookies ?? []).map(formatSetCookie);
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  const body = bodyBytes(http.body);
  res.statusCode = status;
  if (!res.hasHeader("content-length") && status !== 204 && status !== 304) res.setHeader("content-length", body.length);
  res.end(status === 204 || status === 304 ? undefined : body);
}

/** RpcHttpCookie → one Set-Cookie header value (RFC 6265 attributes). */
export function formatSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ""}=${cookie.value ?? ""}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === "number") parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  const maxAge = cookie.maxAge?.value;
  if (typeof maxAge === "number") parts.push(`Max-Age=${maxAge}`);
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  if (cookie.sameSite === "lax") parts.push("SameSite=Lax");
  else if (cookie.sameSite === "strict") parts.push("SameSite=Strict");
  else if (cookie.sameSite === "explicitNone") parts.push("SameSite=None");
  return parts.join("; ");
}
