// RFC 9457 problem+json responses; validation problems carry every problem with its JSON pointer.
import type { HttpResponseInit } from "@azure/functions";
import type { Problem } from "../../shared/errors";

export function problem(status: number, title: string, detail?: string, problems?: Problem[]): HttpResponseInit {
  const body: Record<string, unknown> = { type: "about:blank", title, status };
  if (detail) body.detail = detail;
  if (problems) body.problems = problems;
  return { status, headers: { "content-type": "application/problem+json" }, body: JSON.stringify(body) };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

/**
 * A thrown error as problem+json, by its Jobflow name (shared/errors.ts): auth errors → 401/403, throttling → 429
 * (with Retry-After when Azure said when), transient cloud failures → 503, anything else unexpected → 500.
 */
export function errorResponse(err: unknown): HttpResponseInit {
  const e = (err ?? {}) as { name?: string; statusCode?: number; retryAfterInMs?: number };
  const name = e.name;
  const message = err instanceof Error ? err.message : String(err);
  if (name === "ValidationError") return problem(400, "Invalid request", message, (err as { problems?: Problem[] }).problems);
  if (name === "NotFoundError") return problem(404, "Not found", message);
  if (name === "ConflictError") return problem(409, "Conflict", message);
  if (name === "AuthError") return e.statusCode === 401 ? problem(401, "Unauthorized", message) : problem(403, "Forbidden", message);
  if (name === "ThrottledError") {
    const res = problem(429, "Throttled by Azure, try again later", message);
    if (typeof e.retryAfterInMs === "number")
      res.headers = { ...(res.headers as Record<string, string>), "retry-after": String(Math.max(1, Math.ceil(e.retryAfterInMs / 1000))) };
    return res;
  }
  if (name === "TransientError" || name === "TimeoutError")
    return problem(503, "Azure is temporarily unavailable, try again later", message);
  return problem(500, "Internal error", message);
}

/** Pagination: `?limit=` (1–500, default 100) and an opaque `continuationToken` (the next offset). */
export function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; continuationToken?: string } {
  const limit = Math.min(500, Math.max(1, Number(query.get("limit") ?? 100) || 100));
  const offset = Math.max(0, Number(query.get("continuationToken") ?? 0) || 0);
  const slice = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { items: slice, continuationToken: String(offset + limit) } : { items: slice };
}
