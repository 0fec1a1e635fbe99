// Whether a failed webhook POST is worth another attempt (issue 11 §6): the delivery orchestration retries with
// durable backoff only transient and throttled failures. A target the SSRF rules refuse, a redirect (never
// followed), a receiver's 4xx (401/403 above all: it does not accept our signature) and a signing secret Jobflow
// may not read fail the same way every time. Pure: used by the activity, read by the orchestration.
import { failureKind, type FailureKind } from "../workflow/activityFailure";

export interface WebhookAttempt {
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** The target was refused before any request (SSRF rules, DNS to a private address). */
  refused?: boolean;
}

export function webhookFailureKind(attempt: WebhookAttempt): FailureKind {
  if (attempt.refused) return "permanent";
  const status = attempt.status;
  if (status === undefined || status === 0) return "transient"; // no answer: network error, timeout
  if (status >= 300 && status < 400) return "permanent";
  return failureKind({ statusCode: status });
}

/** A failure of this kind ends the delivery: no further attempt would go differently. */
export function isFinalWebhookFailure(kind: FailureKind | undefined): boolean {
  return kind === "permanent" || kind === "notFound";
}
