// The running invocation's correlation ids (job, cluster, step, lease, Durable instance), in an AsyncLocalStorage
// that telemetryHooks.ts fills for every trigger and activity. Read by startNew (which job a new orchestration
// belongs to), by logJson, and by CorrelationSpanProcessor, which stamps the ids on every span started inside —
// the Azure SDK's spans included, so a KQL query by jobflow.job.id finds a job's Azure requests directly.
// Process-global (a symbol on globalThis): the local host reloads the app's modules, spans may start in either copy.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Attributes, Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { TraceCarrier } from "./traceCarrier";

export const ATTR = {
  jobId: "jobflow.job.id",
  clusterName: "jobflow.cluster.name",
  stepId: "jobflow.step.id",
  leaseId: "jobflow.lease.id",
  trigger: "jobflow.trigger",
  instanceId: "durable.instance.id",
  orchestration: "durable.orchestration.name",
} as const;

/** What the running invocation is about; read by startNew and the log line. */
export interface Correlation extends TraceCarrier {
  kind: "trigger" | "activity";
  functionName: string;
  triggerType: string;
  stepId?: string;
}

const STORE = Symbol.for("jobflow.telemetry.correlation");
type WithStore = { [STORE]?: AsyncLocalStorage<Correlation> };
export const correlations = ((globalThis as WithStore)[STORE] ??= new AsyncLocalStorage<Correlation>());

/**
 * Runs `fn` as work on another step of the same invocation (a probe submitting the step its success made ready):
 * spans started inside carry that step's id. Outside an invocation it just runs `fn`.
 */
export function runForStep<T>(stepId: string, fn: () => Promise<T>): Promise<T> {
  const corr = correlations.getStore();
  return corr ? correlations.run({ ...corr, stepId }, fn) : fn();
}

/** The span attributes of a correlation (what every span of the invocation carries). */
export function attributesOf(c: Partial<Correlation>): Attributes {
  const a: Attributes = {};
  if (c.jobId) a[ATTR.jobId] = c.jobId;
  if (c.clusterName) a[ATTR.clusterName] = c.clusterName;
  if (c.stepId) a[ATTR.stepId] = c.stepId;
  if (c.leaseId) a[ATTR.leaseId] = c.leaseId;
  if (c.instanceId) a[ATTR.instanceId] = c.instanceId;
  if (c.orchestration) a[ATTR.orchestration] = c.orchestration;
  return a;
}

/** Stamps the correlation ids of the running invocation on every span that starts inside it. */
export class CorrelationSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const corr = correlations.getStore();
    if (!corr) return;
    const attributes = attributesOf(corr);
    for (const [key, value] of Object.entries(attributes))
      if (span.attributes[key] === undefined && value !== undefined) span.setAttribute(key, value);
  }
  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
