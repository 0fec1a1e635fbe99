// Admin endpoints of the host's Service Bus (master key required, see httpServer.ts):
//   POST /admin/servicebus/queues/{queue}/messages      body: {"body": …, "messageId"?, "applicationProperties"?,
//                                                        "contentType"?, "correlationId"?, "subject"?} → 201 {messageId}
//   GET  /admin/servicebus/queues/{queue}/messages      → 200 [message] (active + locked, a peek)
//   GET  /admin/servicebus/queues/{queue}/deadletter    → 200 [message with deadLetterReason/ErrorDescription]
//   POST /admin/servicebus/topics/{topic}/messages      same envelope → 201 {messageId, sequenceNumber}
//   GET  /admin/servicebus/topics/{topic}/messages?from=N → 200 [message with sequenceNumber ≥ N]
import type { AdminRoute, PlainHttpRequest, PlainHttpResponse } from "./plainHttp";
import type { SendMessageOptions, ServiceBusEmulator } from "./serviceBus";

const json = (status: number, value: unknown): PlainHttpResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(value),
});

interface Envelope extends SendMessageOptions {
  body: unknown;
}

function parseEnvelope(req: PlainHttpRequest): Envelope | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    return 'The request body must be JSON: {"body": …, "messageId"?, "applicationProperties"?}.';
  }
  if (typeof parsed !== "object" || parsed === null || !("body" in parsed)) return 'The envelope needs a "body" property.';
  const e = parsed as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof e[k] === "string" ? (e[k] as string) : undefined);
  const props = e.applicationProperties;
  if (props !== undefined && (typeof props !== "object" || props === null || Array.isArray(props))) {
    return "applicationProperties must be an object.";
  }
  return {
    body: e.body,
    messageId: str("messageId"),
    contentType: str("contentType"),
    correlationId: str("correlationId"),
    subject: str("subject"),
    applicationProperties: props as SendMessageOptions["applicationProperties"],
  };
}

const name = (m: RegExpExecArray): string => decodeURIComponent(m[1] as string);

export function serviceBusAdminRoutes(bus: ServiceBusEmulator): AdminRoute[] {
  return [
    {
      method: "POST",
      pattern: /^\/admin\/servicebus\/queues\/([^/]+)\/messages\/?$/i,
      handle(req, m) {
        const envelope = parseEnvelope(req);
        if (typeof envelope === "string") return json(400, { error: envelope });
        const { body, ...options } = envelope;
        return json(201, { messageId: bus.send(name(m), body, options) });
      },
    },
    {
      method: "GET",
      pattern: /^\/admin\/servicebus\/queues\/([^/]+)\/messages\/?$/i,
      handle: (_req, m) => json(200, bus.activeMessages(name(m))),
    },
    {
      method: "GET",
      pattern: /^\/admin\/servicebus\/queues\/([^/]+)\/deadletter\/?$/i,
      handle: (_req, m) => json(200, bus.deadLetters(name(m))),
    },
    {
      method: "POST",
      pattern: /^\/admin\/servicebus\/topics\/([^/]+)\/messages\/?$/i,
      handle(req, m) {
        const envelope = parseEnvelope(req);
        if (typeof envelope === "string") return json(400, { error: envelope });
        const { body, ...options } = envelope;
        const message = bus.publish(name(m), body, options);
        return json(201, { messageId: message.messageId, sequenceNumber: message.sequenceNumber });
      },
    },
    {
      method: "GET",
      pattern: /^\/admin\/servicebus\/topics\/([^/]+)\/messages\/?$/i,
      handle(req, m) {
        const from = Number(new URL(req.url).searchParams.get("from") ?? "0");
        if (!Number.isInteger(from) || from < 0) return json(400, { error: "from must be a non-negative integer." });
        return json(200, bus.topicMessages(name(m), from));
      },
    },
  ];
}
