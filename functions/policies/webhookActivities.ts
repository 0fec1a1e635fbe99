// Outgoing signed webhooks: one POST per activity invocation (the webhookDelivery orchestration retries with
// durable backoff), and the fire-and-forget start of a delivery. The HMAC secret is read here, by name. A failed
// POST comes back classified (`kind`, shared/policies/webhookOutcome.ts): permanent ones are not attempted again;
// the start of a delivery is a classified activity (../activities/classified.ts).
import type { Clock } from "../../shared/clock";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { JobflowConfig } from "../../shared/config";
import { SIGNATURE_HEADERS, signedHeaders } from "../../shared/policies/webhookSignature";
import type { WebhookPost, WebhookPostResult } from "../../shared/policies/workflowTypes";
import { ACTIVITY, ORCHESTRATION } from "../../shared/workflow/activities";
import { outboundPolicy } from "../../shared/security/jobPolicy";
import type { ActivityDeps, ActivityHandlers } from "../activities/activityDeps";
import { outboundPost } from "./outboundPost";
import { outboundUrlRefusal } from "../../shared/security/outboundUrl";
import { mapAzureError } from "../../shared/cloud/azure/mapError";
import { failureKind } from "../../shared/workflow/activityFailure";
import { webhookFailureKind } from "../../shared/policies/webhookOutcome";
import { classified } from "../activities/classified";

const POST_TIMEOUT_MS = 10_000;

/** Sends one signed POST. Never throws for a receiver's failure: the result says what happened. */
export async function postSignedWebhook(
  deps: { config: JobflowConfig; secrets: SecretStore; clock: Clock },
  post: WebhookPost,
): Promise<WebhookPostResult> {
  // A refused target costs no secret read (outboundPost checks it again, with the resolved addresses).
  const policy = outboundPolicy(deps.config);
  const refusal = outboundUrlRefusal(post.url, policy);
  if (refusal) return { ok: false, error: `refused webhook target: ${refusal}`, kind: webhookFailureKind({ refused: true }) };
  let secret: string;
  try {
    secret = await deps.secrets.getSecret(post.secretName);
  } catch (raw) {
    // The name only, never a value: a 403 (not allowed to read it) or a missing secret will not heal by retrying.
    const err = mapAzureError(raw, "getSecret");
    return { ok: false, error: `signing secret '${post.secretName}' unavailable: ${(err as Error).name}`, kind: failureKind(err) };
  }
  const body = JSON.stringify(post.body);
  const headers = {
    "content-type": "application/json",
    [SIGNATURE_HEADERS.delivery]: post.deliveryId,
    ...signedHeaders(secret, post.signer, deps.clock.nowMs(), body),
  };
  // SSRF rules again at delivery, on the resolved addresses; no redirects; a real-time timeout (a receiver that
  // never answers must not hold the activity and its worker slot).
  const result = await outboundPost(post.url, { headers, body, timeoutMs: POST_TIMEOUT_MS, policy });
  if (result.ok) return { ok: true, status: result.status };
  const kind = webhookFailureKind({ status: result.status, refused: result.error.startsWith("refused webhook target") });
  return { ok: false, ...(result.status !== undefined ? { status: result.status } : {}), error: result.error, kind };
}

export function webhookActivities(
  deps: ActivityDeps,
): Pick<ActivityHandlers, typeof ACTIVITY.postSignedWebhook | typeof ACTIVITY.startWebhookDelivery> {
  return {
    [ACTIVITY.postSignedWebhook]: (post) => postSignedWebhook(deps, post),

    /** Idempotent by instance id: a retried start finds the delivery already running or done. */
    [ACTIVITY.startWebhookDelivery]: classified(ACTIVITY.startWebhookDelivery, async (input, invocation) => {
      const client = invocation.durableClient();
      if (await client.getStatus(input.instanceId).catch(() => undefined)) return { instanceId: input.instanceId, started: false };
      try {
        await client.startNew(ORCHESTRATION.webhookDelivery, { instanceId: input.instanceId, input: input.input });
      } catch (err) {
        if (!(await client.getStatus(input.instanceId).catch(() => undefined))) throw err;
      }
      return { instanceId: input.instanceId, started: true };
    }),
  };
}
