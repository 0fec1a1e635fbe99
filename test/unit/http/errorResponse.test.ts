// HTTP status of thrown errors (functions/http/problem.ts, issue 11 §6): auth → 401/403, throttling → 429 with
// Retry-After, transient → 503, unknown → 500.
import { describe, expect, it } from "vitest";
import { errorResponse } from "../../../functions/http/problem";
import { JobflowError } from "../../../shared/errors";

describe("errorResponse", () => {
  it.each([
    [new JobflowError("ValidationError", "bad", { problems: [{ pointer: "/a", message: "x" }] }), 400],
    [new JobflowError("NotFoundError", "no"), 404],
    [new JobflowError("ConflictError", "busy"), 409],
    [new JobflowError("AuthError", "get secret: (HTTP 401)", { statusCode: 401 }), 401],
    [new JobflowError("AuthError", "list clusters: (HTTP 403)", { statusCode: 403 }), 403],
    [new JobflowError("AuthError", "no status"), 403],
    [new JobflowError("ThrottledError", "slow down"), 429],
    [new JobflowError("TransientError", "ARM 503"), 503],
    [new JobflowError("TimeoutError", "took too long"), 503],
    [new Error("boom"), 500],
    ["a string", 500],
  ])("%s → %i", (err, status) => {
    const res = errorResponse(err);
    expect(res.status).toBe(status);
    expect((res.headers as Record<string, string>)["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body as string)).toMatchObject({ status });
  });

  it("passes Azure's Retry-After on as seconds", () => {
    const res = errorResponse(new JobflowError("ThrottledError", "slow down", { retryAfterInMs: 2500 }));
    expect((res.headers as Record<string, string>)["retry-after"]).toBe("3");
  });
});
