// EventPublisher over a Service Bus topic (@azure/service-bus sender). CloudEvents in structured mode: the message
// body is the whole event JSON with content type application/cloudevents+json; the event id becomes the message id
// (duplicate detection on the topic then drops a retried publish) and the type is copied to `subject` and to
// `cloudEvents:*` application properties (AMQP binding) so subscriptions can filter without reading the body.
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from "@azure/service-bus";
import type { TokenCredential } from "@azure/identity";
import { systemClock, type Clock } from "../../clock";
import { CLOUD_EVENTS_CONTENT_TYPE, type CloudEvent, type EventPublisher } from "../events";
import { withMappedErrors } from "./mapError";

export type ServiceBusEventPublisherOptions = (
  { fullyQualifiedNamespace: string; credential: TokenCredential } | { connectionString: string }
) & { topic: string; clock?: Clock };

export interface ClosableEventPublisher extends EventPublisher {
  close(): Promise<void>;
}

export function toServiceBusMessage(event: CloudEvent): ServiceBusMessage {
  return {
    body: event,
    contentType: CLOUD_EVENTS_CONTENT_TYPE,
    messageId: event.id,
    subject: event.type,
    applicationProperties: {
      "cloudEvents:specversion": event.specversion,
      "cloudEvents:id": event.id,
      "cloudEvents:source": event.source,
      "cloudEvents:type": event.type,
      ...(event.subject ? { "cloudEvents:subject": event.subject } : {}),
      ...(event.time ? { "cloudEvents:time": event.time } : {}),
    },
  };
}

export function createServiceBusEventPublisher(options: ServiceBusEventPublisherOptions): ClosableEventPublisher {
  const clock = options.clock ?? systemClock;
  const client =
    "connectionString" in options
      ? new ServiceBusClient(options.connectionString)
      : new ServiceBusClient(options.fullyQualifiedNamespace, options.credential);
  let sender: ServiceBusSender | undefined;
  const getSender = (): ServiceBusSender => (sender ??= client.createSender(options.topic));

  return {
    async publish(events, o): Promise<void> {
      if (events.length === 0) return;
      await withMappedErrors(
        `publish ${events.length} event(s) to ${options.topic}`,
        async () => {
          const s = getSender();
          let batch = await s.createMessageBatch({ abortSignal: o?.abortSignal });
          for (const event of events) {
            const message = toServiceBusMessage(event);
            if (batch.tryAddMessage(message)) continue;
            if (batch.count === 0) throw new Error(`event ${event.id} (${event.type}) is larger than one Service Bus message`);
            await s.sendMessages(batch, { abortSignal: o?.abortSignal });
            batch = await s.createMessageBatch({ abortSignal: o?.abortSignal });
            if (!batch.tryAddMessage(message)) throw new Error(`event ${event.id} (${event.type}) is larger than one Service Bus message`);
          }
          if (batch.count > 0) await s.sendMessages(batch, { abortSignal: o?.abortSignal });
        },
        clock,
      );
    },
    async close(): Promise<void> {
      await sender?.close();
      await client.close();
    },
  };
}
