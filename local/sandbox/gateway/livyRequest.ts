// Validation of Livy 0.7's CreateBatchRequest (POST /batches), the way Livy's Jackson binding and
// BatchSession.create reject bad bodies: 400 with a message naming the problem.
import { isRecord } from "./httpUtil";

export interface CreateBatchRequest {
  file: string;
  proxyUser?: string;
  className?: string;
  args?: string[];
  jars?: string[];
  pyFiles?: string[];
  files?: string[];
  driverMemory?: string;
  driverCores?: number;
  executorMemory?: string;
  executorCores?: number;
  numExecutors?: number;
  archives?: string[];
  queue?: string;
  name?: string;
  /** Spark conf; Livy binds it as Map[String, String], so scalar values are kept as strings. */
  conf?: Record<string, string>;
}

const stringFields = ["file", "proxyUser", "className", "driverMemory", "executorMemory", "queue", "name"] as const;
const listFields = ["args", "jars", "pyFiles", "files", "archives"] as const;
const intFields = ["driverCores", "executorCores", "numExecutors"] as const;
const knownFields = new Set<string>([...stringFields, ...listFields, ...intFields, "conf"]);

/** Thrown for a body Livy would refuse with 400; `message` is Livy's style of explanation. */
export class LivyBadRequest extends Error {
  override name = "LivyBadRequest";
}

/** Parses and validates a POST /batches body; throws LivyBadRequest on anything Livy 0.7 would refuse. */
export function parseCreateBatchRequest(text: string): CreateBatchRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new LivyBadRequest(`Unexpected character in request body: ${(e as Error).message}`);
  }
  if (!isRecord(body)) throw new LivyBadRequest("Request body must be a JSON object.");
  for (const key of Object.keys(body)) {
    // Jackson's default FAIL_ON_UNKNOWN_PROPERTIES: e.g. `env` is not a field of 0.7's CreateBatchRequest.
    if (!knownFields.has(key)) {
      throw new LivyBadRequest(
        `Unrecognized field "${key}" (class org.apache.livy.server.batch.CreateBatchRequest), not marked as ignorable`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of stringFields) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw new LivyBadRequest(`Field "${key}" must be a string.`);
    out[key] = v;
  }
  for (const key of listFields) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      throw new LivyBadRequest(`Field "${key}" must be a list of strings.`);
    }
    out[key] = [...(v as string[])];
  }
  for (const key of intFields) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isInteger(v)) throw new LivyBadRequest(`Field "${key}" must be an int.`);
    out[key] = v;
  }
  if (body.conf !== undefined && body.conf !== null) {
    if (!isRecord(body.conf)) throw new LivyBadRequest('Field "conf" must be a map of key=val.');
    const conf: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.conf)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        throw new LivyBadRequest(`Spark conf value of "${k}" must be a string.`);
      }
      conf[k] = String(v);
    }
    out.conf = conf;
  }
  // BatchSession.create: `require(request.file != null, "File is required.")`.
  if (typeof out.file !== "string" || out.file.length === 0) throw new LivyBadRequest("File is required.");
  return out as unknown as CreateBatchRequest;
}

/** Conf keys whose values are credentials: redacted in the control endpoint's inspection unless `reveal=true`. */
export function isSecretConfKey(key: string): boolean {
  const k = key.toLowerCase();
  return (
    k.endsWith(".secret.key") ||
    k.endsWith(".access.key") ||
    k.endsWith(".session.token") ||
    k.includes("password") ||
    k.includes("secret") ||
    k.startsWith("fs.azure.sas.") ||
    k.endsWith(".account.key") ||
    /\.key\.[^.]+\.(dfs|blob)\.core\.windows\.net$/.test(k)
  );
}

/** A copy of `conf` with secret-looking values replaced (for inspection output). */
export function redactConf(conf: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!conf) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) out[k] = isSecretConfKey(k) ? "***" : v;
  return out;
}
