// Replays Microsoft's published REST examples (test/fixtures/azure-rest-api-specs) against the sandbox through
// the real Azure SDK pipeline (bearer auth, TLS with the sandbox CA, retries) and compares the reply's shape with
// the example's: same status class, every key of the example response present with the same JSON type.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { HDInsightManagementClient } from "@azure/arm-hdinsight";

const FIXTURES = join(__dirname, "..", "fixtures", "azure-rest-api-specs");

export interface Example {
  parameters: Record<string, unknown> & { parameters?: unknown };
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

/** A published example by its fixture path (e.g. "hdinsight-2021-06-01/GetLinuxHadoopCluster.json"). */
export function loadExample(file: string): Example {
  return JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as Example;
}

export interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Sends one ARM request through the SDK client's own pipeline (the path is relative to the sandbox root). */
export async function send(
  client: HDInsightManagementClient,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const request = createPipelineRequest({
    url: path.startsWith("https://") ? path : `${baseUrl}${path}`,
    method: method as "GET",
    headers: createHttpHeaders(body === undefined ? {} : { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await client.sendRequest(request);
  const text = response.bodyAsText ?? "";
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers.toJSON() };
}

export type StatusClass = "2xx" | "4xx" | "5xx";
export function statusClass(status: number): StatusClass {
  return status >= 500 ? "5xx" : status >= 400 ? "4xx" : "2xx";
}

function jsonType(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Key paths of `expected` missing from `actual` or of another JSON type. Arrays of objects with a `name` are
 * matched by name (roles, endpoints), other arrays element by element against the first actual element. A `null`
 * in the example says nothing about the type and is skipped. `except` lists dotted paths not compared.
 */
export function shapeDifferences(expected: unknown, actual: unknown, except: readonly string[] = [], at = ""): string[] {
  if (except.includes(at)) return [];
  if (expected === null) return [];
  if (jsonType(expected) !== jsonType(actual)) return [`${at || "(root)"}: expected ${jsonType(expected)}, got ${jsonType(actual)}`];
  if (Array.isArray(expected)) {
    const got = actual as unknown[];
    return expected.flatMap((item, i) => {
      const named = typeof item === "object" && item !== null && "name" in item ? (item as { name: unknown }).name : undefined;
      const match =
        named !== undefined
          ? got.find(
              (g) =>
                typeof g === "object" && g !== null && String((g as { name: unknown }).name).toLowerCase() === String(named).toLowerCase(),
            )
          : got[Math.min(i, got.length - 1)];
      const where = `${at}[${named !== undefined ? String(named) : i}]`;
      if (match === undefined) return [`${where}: missing`];
      return shapeDifferences(item, match, except, where);
    });
  }
  if (typeof expected === "object") {
    const got = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => {
      const where = at ? `${at}.${k}` : k;
      if (except.includes(where)) return [];
      if (!(k in got)) return v === null ? [] : [`${where}: missing`];
      return shapeDifferences(v, got[k], except, where);
    });
  }
  return [];
}

/** Keys the REST spec marks secret (x-ms-secret / format: password) or that carry credentials; none may come back. */
export const SECRET_KEYS = [
  "password",
  "domainUserPassword",
  "certificateData",
  "sshProfile",
  "configurations",
  "key",
  "saskey",
  "minInstanceCount",
  "scriptActions",
  "runAsPassword",
  "protectedParameters",
  "restAuthCredential.password",
] as const;

/** Dotted paths of secret keys present anywhere in `value`. */
export function secretPaths(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${at}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const where = at ? `${at}.${k}` : k;
    return [...((SECRET_KEYS as readonly string[]).includes(k) ? [where] : []), ...secretPaths(v, where)];
  });
}
