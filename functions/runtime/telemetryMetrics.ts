// The numbers an on-call engineer graphs (docs/operations.md lists them): jobs by terminal state, queue-to-start
// delay, clusters live/idle, billed node-minutes, ARM throttling. Emitted from what Jobflow records anyway: the
// job record each saveJobRecord activity writes, the reaper's decisions (the one place that sees every cluster),
// and the Azure SDK's HTTP spans (a 429 there is a throttled request, retries included). With telemetry off the
// meter is the API's no-op one.
import { metrics, SpanKind, type Context, type Meter } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { JOB_TERMINAL_STATES, type JobRecord } from "../../shared/workflow/jobRecord";

export const METRIC = {
  jobsCompleted: "jobflow.jobs.completed",
  queueToStart: "jobflow.jobs.queue_to_start",
  clusters: "jobflow.clusters",
  billedNodeMinutes: "jobflow.billed_node_minutes",
  armThrottled: "jobflow.arm.throttled_requests",
  activityDuration: "jobflow.activity.duration",
  teardownFailing: "jobflow.teardown.failing",
} as const;

/** The events that say a teardown keeps failing (docs/events.md), and the `kind` attribute each counts under. */
const TEARDOWN_FAILING_EVENTS: Record<string, "cluster-delete" | "edge-detach"> = {
  "jobflow.cluster.deleteFailing": "cluster-delete",
  "jobflow.edge.detachFailing": "edge-detach",
};

interface Instruments {
  meter: Meter;
  jobsCompleted: ReturnType<Meter["createCounter"]>;
  queueToStart: ReturnType<Meter["createHistogram"]>;
  billedNodeMinutes: ReturnType<Meter["createCounter"]>;
  armThrottled: ReturnType<Meter["createCounter"]>;
  activityDuration: ReturnType<Meter["createHistogram"]>;
  teardownFailing: ReturnType<Meter["createCounter"]>;
}

/** Last reaper snapshot: process-global, like the providers (the local host reloads app modules). */
const SNAPSHOT = Symbol.for("jobflow.telemetry.clusterSnapshot");
type WithSnapshot = { [SNAPSHOT]?: { live: number; idle: number } };
const INSTRUMENTS = Symbol.for("jobflow.telemetry.instruments");
type WithInstruments = { [INSTRUMENTS]?: Instruments };

function instruments(): Instruments {
  const holder = globalThis as WithInstruments;
  const meter = metrics.getMeter("jobflow");
  if (holder[INSTRUMENTS]?.meter === meter) return holder[INSTRUMENTS];
  const created: Instruments = {
    meter,
    jobsCompleted: meter.createCounter(METRIC.jobsCompleted, { description: "Jobs that reached a terminal state, by state" }),
    queueToStart: meter.createHistogram(METRIC.queueToStart, {
      unit: "s",
      description: "From submission to the job orchestration's start",
    }),
    billedNodeMinutes: meter.createCounter(METRIC.billedNodeMinutes, {
      unit: "min",
      description: "Node-minutes billed to finished jobs (the job record's cost)",
    }),
    armThrottled: meter.createCounter(METRIC.armThrottled, { description: "Azure requests answered 429 (each retry counts)" }),
    activityDuration: meter.createHistogram(METRIC.activityDuration, {
      unit: "ms",
      description: "Activity executions, by activity and outcome",
    }),
    teardownFailing: meter.createCounter(METRIC.teardownFailing, {
      description: "Teardowns still failing after repeated attempts (cluster deletes, edge detaches), by kind",
    }),
  };
  const clusters = meter.createObservableGauge(METRIC.clusters, {
    description: "Clusters seen by the last reaper run: live, and idle among them",
  });
  clusters.addCallback((result) => {
    const snap = (globalThis as WithSnapshot)[SNAPSHOT];
    if (!snap) return;
    result.observe(snap.live, { state: "live" });
    result.observe(snap.idle, { state: "idle" });
  });
  holder[INSTRUMENTS] = created;
  return created;
}

const TERMINAL = new Set<string>(JOB_TERMINAL_STATES);

/** Metrics from one job record write (the saveJobRecord activity's input), counted once per transition. */
export function observeJobRecord(record: JobRecord, previousState: string | undefined): void {
  const m = instruments();
  if (previousState === undefined && record.startedAt) {
    const delayS = (Date.parse(record.startedAt) - Date.parse(record.submittedAt)) / 1000;
    if (Number.isFinite(delayS) && delayS >= 0) m.queueToStart.record(delayS);
  }
  if (TERMINAL.has(record.state) && !TERMINAL.has(previousState ?? "")) {
    m.jobsCompleted.add(1, { state: record.state });
  }
}

/** Node-minutes billed to a job that ended: its share of the cluster's ledger then (the saveJobRecord activity). */
export function observeBilledNodeMinutes(state: string, nodeMinutes: number): void {
  if (nodeMinutes > 0) instruments().billedNodeMinutes.add(nodeMinutes, { state });
}

/** Counts a reaper run's view of the clusters: live = not being deleted; idle = live with no holder and no work. */
export function observeClusterDecisions(decisions: readonly { rule: string }[]): void {
  instruments();
  const live = decisions.filter((d) => d.rule !== "deleting");
  const idle = live.filter((d) => d.rule === "idle" || d.rule === "idle-stamped" || d.rule === "idle-below-threshold");
  (globalThis as WithSnapshot)[SNAPSHOT] = { live: live.length, idle: idle.length };
}

/** Counts published events that say a teardown keeps failing (the publishEvents activity sees every event). */
export function observePublishedEvents(events: readonly { type: string }[]): void {
  for (const e of events) {
    const kind = TEARDOWN_FAILING_EVENTS[e.type];
    if (kind) instruments().teardownFailing.add(1, { kind });
  }
}

export function observeActivityDuration(activity: string, ms: number, outcome: "succeeded" | "failed"): void {
  instruments().activityDuration.record(ms, { activity, outcome });
}

/** Which Azure endpoint a request went to, from its (sanitized) URL. */
export function endpointKind(url: string): "arm" | "gateway" | "keyvault" | "storage" | "other" {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // keep the raw text
  }
  if (/\/subscriptions\/[^/]+\/resourceGroups\//i.test(path) || /\/providers\/Microsoft\./i.test(path)) return "arm";
  if (/\/(livy|ambari|ws\/v1)\b/i.test(path) || /\/gateway\//i.test(path)) return "gateway";
  if (/\/secrets\//i.test(path)) return "keyvault";
  if (/blob\.core\.|devstoreaccount/i.test(url)) return "storage";
  return "other";
}

/** A span processor that counts throttled Azure requests from the SDK's HTTP spans (whatever the exporter). */
export class ThrottleCounter implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (span.kind !== SpanKind.CLIENT) return;
    const status = span.attributes["http.status_code"] ?? span.attributes["http.response.status_code"];
    if (Number(status) !== 429) return;
    const url = String(span.attributes["http.url"] ?? span.attributes["url.full"] ?? "");
    instruments().armThrottled.add(1, { endpoint: endpointKind(url), "http.request.method": String(span.attributes["http.method"] ?? "") });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
