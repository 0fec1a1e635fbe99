// Job notifications: every jobflow.job.* and jobflow.step.* event on the events topic (subject `jobs/<id>` or
// `jobs/<id>/steps/…`) is forwarded to that job's `notify.webhook`, signed with the JOBFLOW_NOTIFY_SECRET_NAME secret. Each event gets
// its own webhookDelivery orchestration (instance `wh-<event id>`, so a redelivered message starts nothing new),
// which retries with durable backoff — the job never waits for a receiver.
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { CloudEvent } from "../../shared/cloud/events";
import { SETTINGS, type SettingSpec } from "../../shared/config";
import type { WebhookDeliveryInput } from "../../shared/policies/workflowTypes";
import { ORCHESTRATION } from "../../shared/workflow/activities";
import { services } from "../runtime/services";

const NOTIFY_MAX_ATTEMPTS = 8;
const defaultOf = (name: string): string => (SETTINGS as readonly SettingSpec[]).find((x) => x.name === name)?.default ?? "";
// A `%SETTING%` binding expression fails to index when the setting is missing; the declared default applies then.
const settingOr = (name: string): string => (process.env[name] ? `%${name}%` : defaultOf(name));

export async function forwardJobEvent(client: DurableClient, event: CloudEvent): Promise<{ started: boolean; reason?: string }> {
  const m = /^jobs\/([^/]+)/.exec(event.subject ?? "");
  // Only job and step lifecycle events: the jobflow.webhook.* outcome of a delivery is about the job too, and
  // forwarding it would start a delivery per delivery, forever.
  if (!m || !event.id || !/^jobflow\.(job|step)\./.test(event.type)) return { started: false, reason: "not a job lifecycle event" };
  const status = await client.getStatus(m[1], { showInput: true }).catch(() => undefined);
  const webhook = (status?.input as { job?: { notify?: { webhook?: string } } } | undefined)?.job?.notify?.webhook;
  if (!webhook) return { started: false, reason: "no notify.webhook" };
  const instanceId = `wh-${event.id}`;
  if (await client.getStatus(instanceId).catch(() => undefined)) return { started: false, reason: "already delivering" };
  const input: WebhookDeliveryInput = {
    post: {
      url: webhook,
      body: event as unknown as Record<string, unknown>,
      secretName: services().config.notifySecretName,
      signer: "jobflow",
      deliveryId: event.id,
    },
    maxAttempts: NOTIFY_MAX_ATTEMPTS,
    subject: event.subject as string,
  };
  await client.startNew(ORCHESTRATION.webhookDelivery, { instanceId, input });
  return { started: true };
}

df.app.client.serviceBusTopic("jobNotifyForwarder", {
  connection: "ServiceBusConnection",
  topicName: settingOr("JOBFLOW_EVENTS_TOPIC"),
  subscriptionName: settingOr("JOBFLOW_WEBHOOK_SUBSCRIPTION"),
  handler: async (message: unknown, client: DurableClient, _context: InvocationContext): Promise<void> => {
    const event = (typeof message === "string" ? JSON.parse(message) : message) as CloudEvent;
    await forwardJobEvent(client, event);
  },
});
