// Outgoing signed webhooks: one POST per activity invocation (the webhookDelivery orchestration retries with
// durable backoff), and the fire-and-forget start of a delivery. The HMAC secret is read here, by name. A failed
// POST comes back classified (`kind`, shared/policies/webhookOutcome.ts): permanent ones are not attempted again;
// the start of a delivery is a classified activity (../activities/classified.ts).
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
import { mapAzureError } from "../../shared/cloud/azure/mapError";
import { failureKind } from "../../shared/workflow/activityFailure";
import { webhookFailureKind } from "../../shared/policies/webhookOutcome";
import { classified } from "../activities/classified";

const POST_TIMEOUT_MS = 10_000;
const clientInput = df.input.durableClient();

/** Sends one signed POST. Never throws for a receiver's failure: the result says what happened. */
export async function postSignedWebhook(post: WebhookPost): Promise<WebhookPostResult> {
  // A refused target costs no secret read (outboundPost checks it again, with the resolved addresses).
  const policy = outboundPolicy(services().config);
  const refusal = outboundUrlRefusal(post.url, policy);
  if (refusal) return { ok: false, error: `refused webhook target: ${refusal}`, kind: webhookFailureKind({ refused: true }) };
  let secret: string;
  try {
    secret = await services().cloud.secrets.getSecret(post.secretName);
  } catch (raw) {
    // The name only, never a value: a 403 (not allowed to read it) or a missing secret will not heal by retrying.
    const err = mapAzureError(raw, "getSecret");
    return { ok: false, error: `signing secret '${post.secretName}' unavailable: ${(err as Error).name}`, kind: failureKind(err) };
  }
  const body = JSON.stringify(post.body);
  const headers = { "content-type": "application/json", [SIGNATURE_HEADERS.delivery]: post.deliveryId, ...signedHeaders(secret, post.signer, appClock().nowMs(), body) };
  // SSRF rules again at delivery, on the resolved addresses; no redirects; a real-time timeout (a receiver that
  // never answers must not hold the activity and its worker slot).
  const result = await outboundPost(post.url, { headers, body, timeoutMs: POST_TIMEOUT_MS, policy });
  if (result.ok) return { ok: true, status: result.status };
  const kind = webhookFailureKind({ status: result.status, refused: result.error.startsWith("refused webhook target") });
  return { ok: false, ...(result.status !== undefined ? { status: result.status } : {}), error: result.error, kind };
}

df.app.activity(ACTIVITY.postSignedWebhook, { handler: postSignedWebhook });

type StartDeliveryInput = { instanceId: string; input: WebhookDeliveryInput };

/** Idempotent by instance id: a retried start finds the delivery already running or done. */
const startDelivery = classified(ACTIVITY.startWebhookDelivery, async ({ input, context }: { input: StartDeliveryInput; context: InvocationContext }) => {
  const client = df.getClient(context);
  if (await client.getStatus(input.instanceId).catch(() => undefined)) return { instanceId: input.instanceId, started: false };
  try {
    await client.startNew(ORCHESTRATION.webhookDelivery, { instanceId: input.instanceId, input: input.input });
  } catch (err) {
    if (!(await client.getStatus(input.instanceId).catch(() => undefined))) throw err;
  }
  return { instanceId: input.instanceId, started: true };
});

df.app.activity(ACTIVITY.startWebhookDelivery, {
  extraInputs: [clientInput],
  handler: (input: StartDeliveryInput, context: InvocationContext) => startDelivery({ input, context }),
});
