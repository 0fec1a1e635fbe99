// RpcTypedData: the value envelope of the worker protocol (one of string/json/bytes/int/double/http/…). The host
// builds trigger inputs in this shape and decodes return values from it, as the Functions host does over gRPC.
import { JsonText } from "./durable/payloadJson";

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: { value?: string | null } | null;
  path?: { value?: string | null } | null;
  expires?: { value?: { seconds?: number | null; nanos?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: "none" | "lax" | "strict" | "explicitNone" | null;
  maxAge?: { value?: number | null } | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  query?: Record<string, string> | null;
  statusCode?: string | null;
  cookies?: RpcHttpCookie[] | null;
  enableContentNegotiation?: boolean | null;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

const isSet = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** Encodes a JS value the way @azure/functions' toRpcTypedData does (string/bytes/int/double/json). */
export function toRpcTypedData(value: unknown): RpcTypedData | null | undefined {
  if (value === null || value === undefined) return value;
  if (typeof value === "string") return { string: value };
  if (Buffer.isBuffer(value)) return { bytes: value };
  if (ArrayBuffer.isView(value)) return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  if (value instanceof ArrayBuffer) return { bytes: new Uint8Array(value) };
  if (typeof value === "number") return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

/**
 * Activity input as the Durable extension delivers it (memo §5): the SDK already JSON-encoded string inputs
 * (processInput), so strings travel as `{string}` (the library's tryJsonParse removes that layer), everything
 * else as `{json}`.
 */
export function activityInputTypedData(input: unknown): RpcTypedData {
  if (typeof input === "string") return { string: input };
  if (input instanceof JsonText) return { json: input.text }; // serialized by the engine already
  return { json: JSON.stringify(input === undefined ? null : input) };
}

/**
 * Decodes a function's return value with host semantics: a string stays a string (no JSON parsing), json is
 * parsed, numbers stay numbers, bytes become a base64 string, nothing becomes null.
 */
export function fromReturnTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return null;
  if (isSet(data.string)) return data.string;
  if (isSet(data.json)) return JSON.parse(data.json) as unknown;
  if (isSet(data.int)) return data.int;
  if (isSet(data.double)) return data.double;
  if (isSet(data.bytes)) return Buffer.from(data.bytes).toString("base64");
  if (isSet(data.stream)) return Buffer.from(data.stream).toString("base64");
  return null;
}

/** Raw bytes of an HTTP body envelope (string bodies as UTF-8). */
export function bodyBytes(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (isSet(data.bytes)) return Buffer.from(data.bytes);
  if (isSet(data.stream)) return Buffer.from(data.stream);
  if (isSet(data.string)) return Buffer.from(data.string, "utf8");
  if (isSet(data.json)) return Buffer.from(data.json, "utf8");
  if (isSet(data.int)) return Buffer.from(String(data.int), "utf8");
  if (isSet(data.double)) return Buffer.from(String(data.double), "utf8");
  return Buffer.alloc(0);
}
