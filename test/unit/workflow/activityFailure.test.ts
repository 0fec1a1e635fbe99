// Failure kinds across the Durable boundary (shared/workflow/activityFailure.ts, issue 11 §6): table tests of the
// classification and of reading a kind back on the orchestration side.
import { describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import { ActivityFailedError, failureKind, isActivityFailure, kindOfFailure } from "../../../shared/workflow/activityFailure";

const rest = (statusCode: number): Error => Object.assign(new Error(`HTTP ${statusCode}`), { name: "RestError", statusCode });

describe("failureKind", () => {
  it.each([
    [new JobflowError("NotFoundError", "x"), "notFound"],
    [rest(404), "notFound"],
    [new JobflowError("ThrottledError", "x"), "throttled"],
    [rest(429), "throttled"],
    [new JobflowError("TransientError", "x"), "transient"],
    [new JobflowError("TimeoutError", "x"), "transient"],
    [new JobflowError("ConflictError", "x"), "transient"],
    [rest(409), "transient"],
    [rest(500), "transient"],
    [rest(503), "transient"],
    [rest(408), "transient"],
    [new JobflowError("ValidationError", "x"), "permanent"],
    [new JobflowError("AuthError", "x", { statusCode: 401 }), "permanent"],
    [new JobflowError("AuthError", "x", { statusCode: 403 }), "permanent"],
    [new JobflowError("CloudOperationFailedError", "x"), "permanent"],
    [rest(400), "permanent"],
    [rest(422), "permanent"],
    [new SyntaxError("Unexpected token"), "permanent"],
    [new TypeError("x is undefined"), "permanent"],
    [new Error("something else"), "transient"],
    ["a string", "transient"],
  ])("%s → %s", (err, kind) => {
    expect(failureKind(err)).toBe(kind);
  });
});

describe("reading the kind back", () => {
  it("from a returned failure, an ActivityFailedError and a thrown activity message", () => {
    const returned = { activityFailure: { kind: "permanent" as const, errorName: "AuthError", message: "no", statusCode: 403 } };
    expect(isActivityFailure(returned)).toBe(true);
    expect(isActivityFailure({ accepted: true })).toBe(false);
    expect(isActivityFailure({ activityFailure: { kind: "odd" } })).toBe(false);
    expect(kindOfFailure(returned)).toBe("permanent");
    const thrown = new ActivityFailedError("beginCreateCluster", returned.activityFailure);
    expect(thrown.name).toBe("ActivityFailedError");
    expect(thrown.kind).toBe("permanent");
    expect(thrown.message).toBe("[permanent] beginCreateCluster: no");
    expect(kindOfFailure(thrown)).toBe("permanent");
    expect(kindOfFailure(new Error("Activity function 'getClusterStatus' failed: [throttled] get cluster c1: 429 \n {}"))).toBe(
      "throttled",
    );
    expect(kindOfFailure(new Error("plain"))).toBeUndefined();
  });
});
