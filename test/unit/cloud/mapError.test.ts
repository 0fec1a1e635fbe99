// Error mapping and bare-429 backoff as pure functions.
import { RestError, createHttpHeaders } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { mapAzureError } from "../../../shared/cloud/azure/mapError";
import { retryAfterInMs, headerLookup } from "../../../shared/cloud/azure/retryAfter";
import { backoffInMs } from "../../../shared/cloud/azure/retryOn429Policy";
import { JobflowError } from "../../../shared/errors";
import type { Clock } from "../../../shared/clock";

const fixedClock = (nowMs: number): Clock => ({ nowMs: () => nowMs, now: () => new Date(nowMs), sleep: async () => {} });

function restError(status: number, headers: Record<string, string> = {}, code?: string): RestError {
  const request = { headers: createHttpHeaders({ authorization: "Bearer secret-token" }) };
  return new RestError("boom", {
    statusCode: status,
    code,
    response: { status, headers: createHttpHeaders(headers), request } as unknown as RestError["response"],
  });
}

describe("mapAzureError", () => {
  it.each([
    [404, "NotFoundError"],
    [410, "NotFoundError"],
    [409, "ConflictError"],
    [412, "ConflictError"],
    [429, "ThrottledError"],
    [401, "AuthError"],
    [403, "AuthError"],
    [408, "TransientError"],
    [500, "TransientError"],
    [503, "TransientError"],
  ])("maps HTTP %i to %s", (status, name) => {
    const mapped = mapAzureError(restError(status), "ctx") as JobflowError;
    expect(mapped.name).toBe(name);
    expect(mapped.statusCode).toBe(status);
    expect(mapped.message).toContain("ctx: boom");
  });

  it("keeps errors without a Jobflow meaning (400, 501) and existing Jobflow errors unchanged", () => {
    const bad = restError(400);
    expect(mapAzureError(bad, "ctx")).toBe(bad);
    expect(mapAzureError(restError(501), "ctx")).toBeInstanceOf(RestError);
    const own = new JobflowError("ConflictError", "mine");
    expect(mapAzureError(own, "ctx")).toBe(own);
  });

  it("never carries the request (and its Authorization header) along", () => {
    const mapped = mapAzureError(restError(503), "ctx") as JobflowError;
    expect(mapped.cause).toBeUndefined();
    expect(JSON.stringify(mapped)).not.toContain("secret-token");
  });

  it("reads retry hints: retry-after-ms, seconds, HTTP date", () => {
    expect((mapAzureError(restError(429, { "retry-after-ms": "250" }), "x") as JobflowError).retryAfterInMs).toBe(250);
    expect((mapAzureError(restError(429, { "retry-after": "3" }), "x") as JobflowError).retryAfterInMs).toBe(3000);
    const now = Date.parse("2026-11-21T10:00:00Z");
    const mapped = mapAzureError(restError(429, { "retry-after": "Sat, 21 Nov 2026 10:00:05 GMT" }), "x", fixedClock(now)) as JobflowError;
    expect(mapped.retryAfterInMs).toBe(5000);
    expect(retryAfterInMs(headerLookup({ "Retry-After": "2" }), 0)).toBe(2000);
    expect(retryAfterInMs(headerLookup({}), 0)).toBeUndefined();
  });

  it("maps network failures and Service Bus errors", () => {
    expect((mapAzureError(Object.assign(new Error("reset"), { code: "ECONNRESET" }), "x") as Error).name).toBe("TransientError");
    const sb = (code: string, retryable = false): Error => Object.assign(new Error(code), { name: "ServiceBusError", code, retryable });
    expect((mapAzureError(sb("MessagingEntityNotFound"), "x") as Error).name).toBe("NotFoundError");
    expect((mapAzureError(sb("ServiceBusy", true), "x") as Error).name).toBe("ThrottledError");
    expect((mapAzureError(sb("UnauthorizedAccess"), "x") as Error).name).toBe("AuthError");
    expect((mapAzureError(sb("GeneralError", true), "x") as Error).name).toBe("TransientError");
  });

  it("leaves aborts alone", () => {
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(mapAzureError(abort, "x")).toBe(abort);
  });
});

describe("backoffInMs", () => {
  it("doubles per attempt within [d/2, d] and is bounded", () => {
    const o = { retryDelayInMs: 100, maxRetryDelayInMs: 1000 };
    expect(backoffInMs(0, o, () => 0)).toBe(50);
    expect(backoffInMs(0, o, () => 0.999999)).toBe(100);
    expect(backoffInMs(2, o, () => 0.999999)).toBe(400);
    expect(backoffInMs(10, o, () => 0.999999)).toBe(1000);
    expect(backoffInMs(10, o, () => 0)).toBe(500);
  });
});
