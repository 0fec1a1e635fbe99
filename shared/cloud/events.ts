// Outgoing CloudEvents (job/cluster/edge lifecycle). Azure: a Service Bus topic; locally: an in-process topic that
// the local host provides behind this same interface.
import type { CallOptions } from "./common";

/** A CloudEvents 1.0 event in JSON structured mode. */
export interface CloudEvent<T = unknown> {
  specversion: "1.0";
  /** Unique per source; consumers de-duplicate on (source, id), so a retried publish reuses the id. */
  id: string;
  /** e.g. "/jobflow/jobs/<jobId>". */
  source: string;
  /** e.g. "jobflow.job.succeeded". */
  type: string;
  subject?: string;
  /** ISO 8601 (RFC 3339). */
  time?: string;
  datacontenttype?: "application/json";
  /** Identifies the version of the data payload's schema (docs/events.md), e.g. "urn:jobflow:events:v1". */
  dataschema?: string;
  data?: T;
}

export const CLOUD_EVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

export interface EventPublisher {
  /**
   * Publishes the events in order, as one batch where possible. At-least-once: a retried call may deliver an event
   * twice (same id, so consumers can de-duplicate). An empty array is a no-op. Throws ThrottledError,
   * TransientError, AuthError, NotFoundError (topic missing).
   */
  publish(events: CloudEvent[], options?: CallOptions): Promise<void>;
}
