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

export function toCloudEvents(drafts: readonly EventDraft[]): CloudEvent[] {
  return drafts.map((d) => ({
    specversion: "1.0",
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: d.type,
    subject: d.subject,
    time: appClock().now().toISOString(),
    datacontenttype: "application/json",
    data: d.data,
  }));
}
