// Which failed webhook POSTs the delivery orchestration attempts again (issue 11 §6): table test.
import { describe, expect, it } from "vitest";
import { isFinalWebhookFailure, webhookFailureKind, type WebhookAttempt } from "../../../shared/policies/webhookOutcome";

describe("webhookFailureKind", () => {
  const table: [string, WebhookAttempt, string, boolean][] = [
    ["target refused by the SSRF rules", { refused: true }, "permanent", true],
    ["no answer (network error, timeout)", {}, "transient", false],
    ["socket closed before a status", { status: 0 }, "transient", false],
    ["redirect (never followed)", { status: 302 }, "permanent", true],
    ["400 from the receiver", { status: 400 }, "permanent", true],
    ["401: the receiver does not accept us", { status: 401 }, "permanent", true],
    ["403", { status: 403 }, "permanent", true],
    ["404", { status: 404 }, "notFound", true],
    ["408", { status: 408 }, "transient", false],
    ["409", { status: 409 }, "transient", false],
    ["429", { status: 429 }, "throttled", false],
    ["500", { status: 500 }, "transient", false],
    ["503", { status: 503 }, "transient", false],
  ];
  it.each(table)("%s → %s", (_what, attempt, kind, final) => {
    expect(webhookFailureKind(attempt)).toBe(kind);
    expect(isFinalWebhookFailure(webhookFailureKind(attempt))).toBe(final);
  });
  it("an unclassified result (an older activity) is retried", () => {
    expect(isFinalWebhookFailure(undefined)).toBe(false);
  });
});
