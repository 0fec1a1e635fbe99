// Job notifications: every jobflow.job.* and jobflow.step.* event on the events topic (subject `jobs/<id>` or
// `jobs/<id>/steps/…`) is forwarded to that job's `notify.webhook`, signed with the JOBFLOW_NOTIFY_SECRET_NAME secret
// (jobNotifyForward.ts: one webhookDelivery orchestration per event; the webhook looked up once per job).
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { CloudEvent } from "../../shared/cloud/events";
import { SETTINGS, type SettingSpec } from "../../shared/config";
import { services } from "../runtime/services";
import { WebhookLookup, forwardJobEvent as forward } from "./jobNotifyForward";

const defaultOf = (name: string): string => (SETTINGS as readonly SettingSpec[]).find((x) => x.name === name)?.default ?? "";
// A `%SETTING%` binding expression fails to index when the setting is missing; the declared default applies then.
const settingOr = (name: string): string => (process.env[name] ? `%${name}%` : defaultOf(name));
const lookup = new WebhookLookup();

export async function forwardJobEvent(client: DurableClient, event: CloudEvent): Promise<{ started: boolean; reason?: string }> {
  return forward(client, event, { notifySecretName: services().config.notifySecretName, lookup });
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
