// The one place where SDK/HTTP errors become Jobflow's named errors (shared/errors.ts). Callers recognise errors by
// `name`. The raw SDK error is deliberately NOT attached as `cause`: it carries the request, whose headers may hold
// a bearer token or basic credentials, and errors end up in logs and Durable history.
import { systemClock, type Clock } from "../../clock";
import { JobflowError, type JobflowErrorName } from "../../errors";
import { headerLookup, retryAfterInMs } from "./retryAfter";

const JOBFLOW_NAMES: ReadonlySet<string> = new Set<JobflowErrorName>([
  "ValidationError",
  "NotFoundError",
  "ConflictError",
  "ThrottledError",
  "TransientError",
  "AuthError",
  "CloudOperationFailedError",
  "TimeoutError",
]);

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "REQUEST_SEND_ERROR",
  "UND_ERR_SOCKET",
]);

/** Service Bus error codes (ServiceBusError.code) and what they mean for us. */
const SERVICE_BUS_CODES: Record<string, JobflowErrorName> = {
  MessagingEntityNotFound: "NotFoundError",
  UnauthorizedAccess: "AuthError",
  ServiceBusy: "ThrottledError",
  ServiceTimeout: "TransientError",
  ServiceCommunicationProblem: "TransientError",
  MessagingEntityAlreadyExists: "ConflictError",
};

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  retryable?: unknown;
  response?: { headers?: unknown; status?: unknown };
}

export function nameForStatus(status: number): JobflowErrorName | undefined {
  if (status === 404 || status === 410) return "NotFoundError";
  if (status === 409 || status === 412) return "ConflictError";
  if (status === 429) return "ThrottledError";
  if (status === 401 || status === 403) return "AuthError";
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return "TransientError";
  return undefined;
}

/**
 * Maps any error thrown by an SDK client or our gateway pipeline to a named JobflowError. Errors that are already
 * Jobflow errors, aborts, and errors with no Jobflow meaning (e.g. a 400 RestError) are returned unchanged.
 * `context` says what we were doing ("get cluster c1"); it must not contain secrets.
 */
export function mapAzureError(err: unknown, context: string, clock: Clock = systemClock): unknown {
  if (err === null || typeof err !== "object") return err;
  const e = err as ErrorShape;
  if (typeof e.name === "string" && (JOBFLOW_NAMES.has(e.name) || e.name === "AbortError")) return err;
  const message = typeof e.message === "string" ? e.message : String(err);
  const code = typeof e.code === "string" ? e.code : undefined;
  const status = typeof e.statusCode === "number" ? e.statusCode : typeof e.response?.status === "number" ? e.response.status : undefined;

  let name: JobflowErrorName | undefined;
  if (status !== undefined) name = nameForStatus(status);
  else if (code !== undefined && NETWORK_CODES.has(code)) name = "TransientError";
  else if (e.name === "ServiceBusError" && code !== undefined) {
    name = SERVICE_BUS_CODES[code] ?? (e.retryable === true ? "TransientError" : undefined);
  }
  if (name === undefined) return err;

  const retryAfter =
    name === "ThrottledError" || name === "TransientError" ? retryAfterInMs(headerLookup(e.response?.headers), clock.nowMs()) : undefined;
  const statusText = status === undefined ? "" : ` (HTTP ${status}${code ? ` ${code}` : ""})`;
  return new JobflowError(name, `${context}: ${message}${statusText}`, {
    code,
    statusCode: status,
    retryAfterInMs: retryAfter,
  });
}

/** Runs `fn`, rethrowing whatever it throws through mapAzureError. */
export async function withMappedErrors<T>(context: string, fn: () => Promise<T>, clock?: Clock): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapAzureError(err, context, clock);
  }
}

/** True when `err` (raw or mapped) means "the thing does not exist". */
export function isNotFound(err: unknown): boolean {
  const mapped = mapAzureError(err, "");
  return typeof mapped === "object" && mapped !== null && (mapped as { name?: unknown }).name === "NotFoundError";
}
