// Lifecycle events as CloudEvents 1.0 (type `jobflow.<entity>.<change>`, subject `<entity>s/<id>`).
import { randomUUID } from "node:crypto";
import type { Clock } from "../../shared/clock";
import type { CloudEvent } from "../../shared/cloud/events";
import type { EventDraft } from "../../shared/workflow/activities";
import { appClock } from "./appClock";

export type { EventDraft };

export const EVENT_SOURCE = "/jobflow";
/** Version of every event payload (docs/events.md): additive changes keep it, breaking ones bump it. */
export const EVENT_SCHEMA_VERSION = "urn:jobflow:events:v1";

/** CloudEvents of the drafts, stamped with the clock's time (activities pass their injected clock). */
export function toCloudEvents(drafts: readonly EventDraft[], clock: Clock = appClock()): CloudEvent[] {
  return drafts.map((d) => ({
    specversion: "1.0",
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: d.type,
    subject: d.subject,
    time: clock.now().toISOString(),
    datacontenttype: "application/json",
    dataschema: EVENT_SCHEMA_VERSION,
    data: d.data,
  }));
}
