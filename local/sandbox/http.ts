// Small HTTP helpers shared by the sandbox's ARM routes: body reading, JSON replies and ARM's error envelope.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body the sandbox accepts (ARM caps request bodies at 4 MB too). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type Headers = Record<string, string | number>;

/** Reads the whole body; rejects bodies over 4 MB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ArmError(413, "RequestEntityTooLarge", "The request body is too large.");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty body is `undefined`; malformed JSON is ARM's 400 InvalidRequestContent. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (e) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: ${(e as Error).message}`,
    );
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** An error that becomes ARM's `{"error":{"code","message"}}` reply. Thrown by route handlers. */
export class ArmError extends Error {
  override readonly name = "ArmError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ code: string; message: string; target?: string }>,
    readonly headers: Headers = {},
  ) {
    super(message);
  }
}

export function isArmError(e: unknown): e is ArmError {
  return e instanceof Error && e.name === "ArmError";
}

export function sendArmError(res: ServerResponse, error: ArmError, extraHeaders: Headers = {}): void {
  const body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  sendJson(res, error.status, body, { ...extraHeaders, ...error.headers, "x-ms-failure-cause": "gateway" });
}

/** Base URL the client used to reach us (https://127.0.0.1:PORT), for absolute links such as nextLink. */
export function requestBaseUrl(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host ? `https://${host}` : fallback;
}
