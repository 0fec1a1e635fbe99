// Delivers one signed webhook (a lease's ready callback, a job's notification) with durable backoff: attempt, wait
// 30 s × 2ⁿ (at most 10 minutes), attempt again, until it succeeds, maxAttempts is reached or notAfter passes —
// or an attempt fails in a way no retry changes (the activity classifies it: a refused target, the receiver's
// 401/403/4xx, a secret Jobflow may not read; shared/policies/webhookOutcome.ts).
// Started fire-and-forget (startWebhookDelivery), so a receiver that never answers blocks nobody.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { ACTIVITY, ORCHESTRATION } from "../shared/workflow/activities";
import type { WebhookDeliveryInput, WebhookPostResult } from "../shared/policies/workflowTypes";
import { isFinalWebhookFailure } from "../shared/policies/webhookOutcome";
import { at, nowIso, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 10 * 60_000;

const webhookDelivery: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as WebhookDeliveryInput;
  const notAfterMs = input.notAfter ? Date.parse(input.notAfter) : Number.POSITIVE_INFINITY;
  let last: WebhookPostResult = { ok: false, error: "not attempted" };
  let attempts = 0;
  while (attempts < input.maxAttempts && nowMs(context) < notAfterMs) {
    attempts += 1;
    context.df.setCustomStatus({ attempts, lastStatus: last.status, lastError: last.error });
    last = yield* callActivityTyped(context, ACTIVITY.postSignedWebhook, input.post);
    if (last.ok || isFinalWebhookFailure(last.kind)) break;
    const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * Math.pow(2, attempts - 1));
    if (attempts >= input.maxAttempts || nowMs(context) + wait >= notAfterMs) break;
    yield context.df.createTimer(at(nowMs(context) + wait));
  }
  const type = last.ok ? "jobflow.webhook.delivered" : "jobflow.webhook.failed";
  yield* callActivityTyped(context, ACTIVITY.publishEvents, [
    {
      type,
      subject: input.subject,
      data: {
        deliveryId: input.post.deliveryId,
        url: redactedUrl(input.post.url),
        attempts,
        status: last.status,
        error: last.error,
        kind: last.kind,
        time: nowIso(context),
      },
    },
  ]);
  return { delivered: last.ok, attempts, status: last.status, error: last.error, kind: last.kind };
};

/** Origin + path only: a query string may carry a receiver's token. */
function redactedUrl(url: string): string {
  const q = url.indexOf("?");
  return q >= 0 ? `${url.slice(0, q)}?…` : url;
}

df.app.orchestration(ORCHESTRATION.webhookDelivery, webhookDelivery);
export default webhookDelivery;
