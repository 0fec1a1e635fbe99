// Service Bus message records and their shapes on the wire: trigger data, trigger metadata as the extension
// sends it, and the JSON the admin endpoints return.
import type { RpcTypedData } from "./rpcTypedData";

export type ApplicationProperties = Record<string, string | number | boolean | null>;

export interface SendMessageOptions {
  messageId?: string;
  applicationProperties?: ApplicationProperties;
  contentType?: string;
  correlationId?: string;
  subject?: string;
}

/** A message as the host stores it (times in ISO 8601 UTC). */
export interface ServiceBusMessageRecord {
  messageId: string;
  sequenceNumber: number;
  body: unknown;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  applicationProperties: ApplicationProperties;
  enqueuedTimeUtc: string;
  deliveryCount: number;
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
}

export function bodyTypedData(body: unknown): RpcTypedData {
  if (typeof body === "string") return { string: body };
  if (Buffer.isBuffer(body)) return { bytes: body };
  return { json: JSON.stringify(body ?? null) };
}

/** Trigger metadata as the extension sends it (PascalCase; the library camel-cases the keys). */
export function triggerMetadata(m: ServiceBusMessageRecord, lockToken: string, lockedUntilMs: number): Record<string, RpcTypedData> {
  const meta: Record<string, RpcTypedData> = {
    MessageId: { string: m.messageId },
    DeliveryCount: { int: m.deliveryCount },
    SequenceNumber: { int: m.sequenceNumber },
    EnqueuedTimeUtc: { string: m.enqueuedTimeUtc },
    ExpiresAtUtc: { string: "9999-12-31T23:59:59.9999999" },
    LockedUntil: { string: new Date(lockedUntilMs).toISOString() },
    LockToken: { string: lockToken },
    ApplicationProperties: { json: JSON.stringify(m.applicationProperties) },
    UserProperties: { json: JSON.stringify(m.applicationProperties) },
  };
  if (m.contentType !== undefined) meta.ContentType = { string: m.contentType };
  if (m.correlationId !== undefined) meta.CorrelationId = { string: m.correlationId };
  if (m.subject !== undefined) {
    meta.Subject = { string: m.subject };
    meta.Label = { string: m.subject };
  }
  return meta;
}

export function strip(m: ServiceBusMessageRecord): ServiceBusMessageRecord {
  const { messageId, sequenceNumber, body, contentType, correlationId, subject, applicationProperties } = m;
  return JSON.parse(
    JSON.stringify({
      messageId,
      sequenceNumber,
      body: Buffer.isBuffer(body) ? body.toString("base64") : body,
      contentType,
      correlationId,
      subject,
      applicationProperties,
      enqueuedTimeUtc: m.enqueuedTimeUtc,
      deliveryCount: m.deliveryCount,
      deadLetterReason: m.deadLetterReason,
      deadLetterErrorDescription: m.deadLetterErrorDescription,
    }),
  ) as ServiceBusMessageRecord;
}

export function errorName(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && typeof (err as { name?: unknown }).name === "string"
    ? (err as { name: string }).name
    : undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
