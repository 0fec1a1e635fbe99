// Lifecycle events as CloudEvents 1.0 (type `jobflow.<entity>.<change>`, subject `<entity>s/<id>`).
import { randomUUID } from "node:crypto";
import type { CloudEvent } from "../../shared/cloud/events";
import { appClock } from "./appClock";

export interface EventDraft {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

export const EVENT_SOURCE = "/jobflow";
/** Version of every event payload (docs/events.md): additive changes keep it, breaking ones bump it. */
export const EVENT_SCHEMA_VERSION = "urn:jobflow:events:v1";

export function toCloudEvents(drafts: readonly EventDraft[]): CloudEvent[] {
  return drafts.map((d) => ({
    specversion: "1.0",
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: d.type,
    subject: d.subject,
    time: appClock().now().toISOString(),
    datacontenttype: "application/json",
    dataschema: EVENT_SCHEMA_VERSION,
    data: d.data,
  }));
}
