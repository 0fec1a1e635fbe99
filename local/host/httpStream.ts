// HTTP streaming (`app.setup({ enableHttpStream: true })`), as the host does it since v4.28: the invocation
// request carries only metadata, while the raw HTTP request is forwarded to the library's own proxy server
// (`HttpUri` from getCapabilities) with an `x-ms-invocation-id` header; the library writes the response there and
// the host pipes it back to the caller. Bodies stream both ways without buffering.
import { randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { RegisteredFunction } from "./functionsCore";
import { flattenHeaders, flattenQuery } from "./httpConversion";
import type { RpcTypedData } from "./rpcTypedData";
import type { TriggerInvoker } from "./triggerInvoker";

export interface StreamInvocation {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  registration: RegisteredFunction;
  invoker: TriggerInvoker;
  /** The library's proxy base URL (worker capability `HttpUri`). */
  proxyUri: string;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "x-ms-invocation-id"]);

/** Runs one streamed HTTP invocation; resolves when the response has been written (or failed with 500). */
export async function invokeStreaming(s: StreamInvocation): Promise<void> {
  const invocationId = randomUUID();
  const headers = flattenHeaders(s.req);
  // Route parameters travel as top-level trigger metadata entries (the library reads them from there).
  const triggerMetadata: Record<string, RpcTypedData> = {
    Headers: { json: JSON.stringify(headers) },
    Query: { json: JSON.stringify(flattenQuery(s.url)) },
  };
  for (const [name, value] of Object.entries(s.params)) triggerMetadata[name] = { string: value };

  const target = new URL(s.url.pathname + s.url.search, s.proxyUri);
  const proxyReq = httpRequest(target, {
    method: s.req.method,
    headers: {
      ...s.req.headers,
      "x-ms-invocation-id": invocationId,
      "x-forwarded-host": s.url.host,
      "x-forwarded-proto": s.url.protocol.replace(/:$/, ""),
    },
  });
  const responded = new Promise<void>((resolve) => {
    proxyReq.on("response", (proxyRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(proxyRes.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      s.res.writeHead(proxyRes.statusCode ?? 200, out);
      proxyRes.pipe(s.res);
      s.res.on("close", resolve);
    });
  });
  proxyReq.on("error", () => undefined); // destroyed on failure below; the caller gets the host's answer
  s.req.pipe(proxyReq);

  let hasResult = true;
  try {
    await s.invoker(s.registration, {
      invocationId,
      triggerData: {
        http: { method: s.req.method ?? "GET", url: s.url.toString(), headers, query: flattenQuery(s.url), params: s.params },
      },
      triggerMetadata,
      inspectResult: (result) => {
        hasResult = result !== null && result !== undefined;
      },
    });
  } catch {
    proxyReq.destroy();
    if (!s.res.headersSent) s.res.writeHead(500).end();
    return;
  }
  if (!hasResult) {
    // The library sends nothing to its proxy for "no response": the host answers for it.
    proxyReq.destroy();
    if (!s.res.headersSent) s.res.writeHead(204).end();
    return;
  }
  await responded;
}
