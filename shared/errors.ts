// Typed errors recognised by `name`, never by `instanceof` (several copies of a module, or errors crossing the
// Durable activity boundary as plain messages, break instanceof).

export type JobflowErrorName =
  | "ValidationError" // bad input: carries every problem
  | "NotFoundError" // the resource does not exist (a delete of a missing thing is not an error, see contracts)
  | "ConflictError" // the resource is in a state that forbids the operation (e.g. one run command per VM)
  | "ThrottledError" // 429 that could not be absorbed by retries; retryAfterInMs says when to come back
  | "TransientError" // 5xx / network error that retries did not absorb
  | "AuthError" // 401/403
  | "CloudOperationFailedError" // a long-running cloud operation ended in Failed (message from the cloud)
  | "TimeoutError";

export interface Problem {
  /** RFC 6901 JSON pointer into the submitted document ("" = the whole document). */
  pointer: string;
  message: string;
}

export class JobflowError extends Error {
  readonly code?: string;
  readonly statusCode?: number;
  readonly retryAfterInMs?: number;
  readonly problems?: Problem[];
  constructor(
    name: JobflowErrorName,
    message: string,
    extra: { code?: string; statusCode?: number; retryAfterInMs?: number; problems?: Problem[]; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = name;
    this.code = extra.code;
    this.statusCode = extra.statusCode;
    this.retryAfterInMs = extra.retryAfterInMs;
    this.problems = extra.problems;
  }
}

export function isErrorNamed(err: unknown, name: JobflowErrorName): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === name;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
