// Forwarding one job lifecycle event to the job's notify.webhook (functions/policies/jobNotify.ts registers the
// topic subscription that calls it). Each event gets its own webhookDelivery orchestration (instance `wh-<event id>`,
// so a redelivered message starts nothing new), which retries with durable backoff — the job never waits.
//
// Where the webhook comes from: the job orchestration's input (`job.notify.webhook`), which never changes for a job
// id (a repair run restarts it with the same job document). A job publishes ≈ 40 events (every step's submitted,
// running, ended…), and reading the instance with its input for each one was a Durable status read per event even
// for the jobs — nearly all — that have no webhook; so the answer is remembered per job id, in a bounded map.
import type { DurableClient } from "durable-functions";
import type { CloudEvent } from "../../shared/cloud/events";
import type { WebhookDeliveryInput } from "../../shared/policies/workflowTypes";
import { ORCHESTRATION } from "../../shared/workflow/activities";

export const NOTIFY_MAX_ATTEMPTS = 8;
/** Job ids whose webhook (or its absence) is remembered; the oldest answer is forgotten first. */
export const WEBHOOK_CACHE_SIZE = 10_000;

/** Each job's webhook, or null when it has none; only answers read from an existing instance are kept. */
export class WebhookLookup {
  private readonly known = new Map<string, string | null>();
  constructor(private readonly capacity = WEBHOOK_CACHE_SIZE) {}

  async webhookOf(client: DurableClient, jobId: string): Promise<string | undefined> {
    const cached = this.known.get(jobId);
    if (cached !== undefined) return cached ?? undefined;
    const status = await client.getStatus(jobId, { showInput: true }).catch(() => undefined);
    // No instance (or the read failed): say "none" this time, and look again for the next event.
    if (!status) return undefined;
    const webhook = (status.input as { job?: { notify?: { webhook?: string } } } | undefined)?.job?.notify?.webhook;
    if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value as string);
    this.known.set(jobId, webhook ?? null);
    return webhook;
  }
}

export async function forwardJobEvent(
  client: DurableClient,
  event: CloudEvent,
  deps: { notifySecretName: string; lookup: WebhookLookup },
): Promise<{ started: boolean; reason?: string }> {
  const m = /^jobs\/([^/]+)/.exec(event.subject ?? "");
  // Only job and step lifecycle events: the jobflow.webhook.* outcome of a delivery is about the job too, and
  // forwarding it would start a delivery per delivery, forever.
  if (!m || !event.id || !/^jobflow\.(job|step)\./.test(event.type)) return { started: false, reason: "not a job lifecycle event" };
  const webhook = await deps.lookup.webhookOf(client, m[1] as string);
  if (!webhook) return { started: false, reason: "no notify.webhook" };
  const instanceId = `wh-${event.id}`;
  if (await client.getStatus(instanceId).catch(() => undefined)) return { started: false, reason: "already delivering" };
  const input: WebhookDeliveryInput = {
    post: {
      url: webhook,
      body: event as unknown as Record<string, unknown>,
      secretName: deps.notifySecretName,
      signer: "jobflow",
      deliveryId: event.id,
    },
    maxAttempts: NOTIFY_MAX_ATTEMPTS,
    subject: event.subject as string,
  };
  await client.startNew(ORCHESTRATION.webhookDelivery, { instanceId, input });
  return { started: true };
}
