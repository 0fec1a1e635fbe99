// Error kinds across the Durable boundary (issue 11 §6). An activity classifies its failure once; permanent and
// not-found failures come back as a value (so the Durable retry policy never retries them), transient and throttled
// ones are thrown with their kind in the message (the retry policy retries them; the orchestration can still tell
// them apart afterwards). Deterministic: imported by orchestrations.

export type FailureKind = "permanent" | "throttled" | "transient" | "notFound";

const KINDS: readonly FailureKind[] = ["permanent", "throttled", "transient", "notFound"];

/** What a classified activity returns instead of throwing a permanent or not-found failure. */
export interface ActivityFailure {
  activityFailure: { kind: FailureKind; errorName: string; message: string; statusCode?: number };
}

export function isActivityFailure(value: unknown): value is ActivityFailure {
  const f = (value as { activityFailure?: { kind?: unknown } } | null)?.activityFailure;
  return typeof f === "object" && f !== null && KINDS.includes(f.kind as FailureKind);
}

interface ErrorLike {
  name?: unknown;
  statusCode?: unknown;
  code?: unknown;
}

/** Programming and parse errors: retrying the same input gives the same failure. */
const PERMANENT_JS_ERRORS = new Set(["TypeError", "SyntaxError", "RangeError", "ReferenceError"]);

/**
 * The kind of an error, from its Jobflow name (shared/errors.ts) or HTTP status: 404/NotFound → notFound;
 * 429/Throttled → throttled; 5xx, 408, timeouts, network, conflicts (a state that may change: a busy VM, a lock)
 * → transient; validation, auth (401/403), other 4xx, a cloud operation that ended Failed, programming errors
 * → permanent; anything unrecognised → transient (the retry policy decides, as before).
 */
export function failureKind(err: unknown): FailureKind {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  if (name === "NotFoundError" || status === 404 || status === 410) return "notFound";
  if (name === "ThrottledError" || status === 429) return "throttled";
  if (name === "TransientError" || name === "TimeoutError" || name === "ConflictError") return "transient";
  if (name === "ValidationError" || name === "AuthError" || name === "CloudOperationFailedError") return "permanent";
  if (status !== undefined) {
    if (status === 408 || status === 409 || status === 412 || status >= 500) return "transient";
    if (status >= 400) return "permanent";
  }
  if (PERMANENT_JS_ERRORS.has(name)) return "permanent";
  return "transient";
}

/** The message prefix a thrown (retryable) classified failure carries: "[transient] …" / "[throttled] …". */
export function kindTag(kind: FailureKind): string {
  return `[${kind}]`;
}

/** The kind of a failure that reached the orchestration (a thrown activity error or a returned ActivityFailure). */
export function kindOfFailure(err: unknown): FailureKind | undefined {
  if (isActivityFailure(err)) return err.activityFailure.kind;
  const named = (err as { kind?: unknown } | null)?.kind;
  if (typeof named === "string" && KINDS.includes(named as FailureKind)) return named as FailureKind;
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : "";
  const m = /\[(permanent|throttled|transient|notFound)\]/.exec(message);
  return m ? (m[1] as FailureKind) : undefined;
}

/** Thrown inside an orchestration for a returned ActivityFailure: name "ActivityFailedError", `kind` to branch on. */
export class ActivityFailedError extends Error {
  readonly kind: FailureKind;
  readonly errorName: string;
  readonly statusCode?: number;
  constructor(activity: string, failure: ActivityFailure["activityFailure"]) {
    super(`${kindTag(failure.kind)} ${activity}: ${failure.message}`);
    this.name = "ActivityFailedError";
    this.kind = failure.kind;
    this.errorName = failure.errorName;
    this.statusCode = failure.statusCode;
  }
}

/** Marker in the message of a cluster gateway login rejected even after a re-read: the cluster gets drained. */
export const GATEWAY_REJECTED = "gateway credential rejected";

/**
 * The readable part of a failure that reached an orchestration: without the SDK's "Activity function 'x' failed:"
 * wrapper and details, the kind tag and the activity name.
 */
export function failureText(err: unknown): string {
  if (isActivityFailure(err)) return err.activityFailure.message;
  const text = err instanceof Error ? err.message : String(err);
  return (text.split(" \n ")[0] ?? text)
    .replace(/^Activity function '[^']*' failed: /, "")
    .replace(/^\[(permanent|throttled|transient|notFound)\] ([A-Za-z]+: )?/, "")
    .split("\n")[0] as string;
}
