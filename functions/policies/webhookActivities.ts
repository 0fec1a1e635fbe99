// Outgoing signed webhooks: one POST per activity invocation (the webhookDelivery orchestration retries with
// durable backoff), and the fire-and-forget start of a delivery. The HMAC secret is read here, by name.
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import { SIGNATURE_HEADERS, signedHeaders } from "../../shared/policies/webhookSignature";
import type { WebhookDeliveryInput, WebhookPost, WebhookPostResult } from "../../shared/policies/workflowTypes";
import { ACTIVITY, ORCHESTRATION } from "../../shared/workflow/activities";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";
import { outboundPolicy } from "../../shared/security/jobPolicy";
import { outboundPost } from "./outboundPost";
import { outboundUrlRefusal } from "../../shared/security/outboundUrl";

const POST_TIMEOUT_MS = 10_000;
const clientInput = df.input.durableClient();

/** Sends one signed POST. Never throws for a receiver's failure: the result says what happened. */
export async function postSignedWebhook(post: WebhookPost): Promise<WebhookPostResult> {
  // A refused target costs no secret read (outboundPost checks it again, with the resolved addresses).
  const policy = outboundPolicy(services().config);
  const refusal = outboundUrlRefusal(post.url, policy);
  if (refusal) return { ok: false, error: `refused webhook target: ${refusal}` };
  let secret: string;
  try {
    secret = await services().cloud.secrets.getSecret(post.secretName);
  } catch (err) {
    return { ok: false, error: `signing secret '${post.secretName}' unavailable: ${(err as Error).name}` };
  }
  const body = JSON.stringify(post.body);
  const headers = { "content-type": "application/json", [SIGNATURE_HEADERS.delivery]: post.deliveryId, ...signedHeaders(secret, post.signer, appClock().nowMs(), body) };
  // SSRF rules again at delivery, on the resolved addresses; no redirects; a real-time timeout (a receiver that
  // never answers must not hold the activity and its worker slot).
  const result = await outboundPost(post.url, { headers, body, timeoutMs: POST_TIMEOUT_MS, policy });
  return result.ok ? { ok: true, status: result.status } : { ok: false, ...(result.status !== undefined ? { status: result.status } : {}), error: result.error };
}

df.app.activity(ACTIVITY.postSignedWebhook, { handler: postSignedWebhook });

df.app.activity(ACTIVITY.startWebhookDelivery, {
  extraInputs: [clientInput],
  handler: async (input: { instanceId: string; input: WebhookDeliveryInput }, context: InvocationContext) => {
    const client = df.getClient(context);
    // Idempotent by instance id: a retried start finds the delivery already running or done.
    if (await client.getStatus(input.instanceId).catch(() => undefined)) return { instanceId: input.instanceId, started: false };
    try {
      await client.startNew(ORCHESTRATION.webhookDelivery, { instanceId: input.instanceId, input: input.input });
    } catch (err) {
      if (!(await client.getStatus(input.instanceId).catch(() => undefined))) throw err;
    }
    return { instanceId: input.instanceId, started: true };
  },
});
