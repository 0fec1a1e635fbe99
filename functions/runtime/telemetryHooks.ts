// Where spans come from — Functions invocation hooks, so no trigger or activity file changes (docs/operations.md):
//   * a trigger (HTTP, Service Bus, timer) gets a span, continuing an incoming W3C traceparent (HTTP header, or the
//     message's application properties);
//   * DurableClient.startNew gets a "start orchestration" span whose traceparent rides in the orchestration input;
//     a job started from an activity (a schedule firing) begins its own trace, linked to the schedule's;
//   * an orchestrator invocation creates no span (it is replayed): the hook only copies its input's trace context
//     into the inputs of the activities, sub-orchestrations and continue-as-new it returned (traceCarrier.ts);
//   * an activity gets a span under that context; the Azure SDK calls it makes become its children.
// Every span carries jobflow.job.id / jobflow.cluster.name / jobflow.step.id where known, and each invocation ends
// with one structured JSON log line holding the same ids and the trace id.
import { cutUrlSecrets } from "../../shared/security/scrub";
import { performance } from "node:perf_hooks";
import { app, type HttpRequest, type InvocationContext, type PreInvocationContext } from "@azure/functions";
import {
  context as otel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
} from "@opentelemetry/api";
import { ORCHESTRATION } from "../../shared/workflow/activities";
import { ATTR, attributesOf, correlations, type Correlation } from "./correlation";
import { carrierOf, rewriteOrchestratorState, splitCarrier, withCarrier, type TraceCarrier } from "./traceCarrier";
import { ensureTelemetry, tracer, tracingEnabled } from "./telemetry";
import { observeActivityDuration } from "./telemetryMetrics";

type AnyRecord = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const rec = (v: unknown): AnyRecord => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as AnyRecord) : {});

/** Ids an orchestration or activity input names itself (jobId, owner, clusterName, stepId). */
export function idsFromInput(input: unknown): Pick<Correlation, "jobId" | "leaseId" | "clusterName" | "stepId"> {
  const i = rec(input);
  const owner = rec(i.owner);
  const out: Pick<Correlation, "jobId" | "leaseId" | "clusterName" | "stepId"> = {};
  const finishing = rec(i.finishIfEnded); // a status probe names its job and step there
  const jobId = str(i.jobId) ?? str(owner.jobId) ?? str(rec(i.record).id) ?? str(finishing.jobId);
  const leaseId = str(i.leaseId) ?? str(owner.leaseId);
  const clusterName = str(i.clusterName) ?? str(rec(rec(i.record).cluster).name);
  const stepId = str(i.stepId) ?? str(rec(i.step).id) ?? str(finishing.stepId);
  if (jobId) out.jobId = jobId;
  if (leaseId) out.leaseId = leaseId;
  if (clusterName) out.clusterName = clusterName;
  if (stepId) out.stepId = stepId;
  return out;
}

/** Error text safe for a span or a log line (SAS signatures, function keys and tokens in URLs are cut out). */
export function safeMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return cutUrlSecrets(text.split("\n")[0]).slice(0, 500);
}

/** Runs `fn` inside a span (or only the correlation scope when tracing is off) and logs how it ended. */
async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  links: Link[],
  corr: Correlation,
  inv: InvocationContext,
  fn: () => Promise<T>,
  onResult?: (result: T, span: ReturnType<ReturnType<typeof tracer>["startSpan"]>) => void,
): Promise<T> {
  const attributes = { ...attributesOf(corr), "faas.invocation_id": inv.invocationId, "faas.name": corr.functionName };
  const span = tracer().startSpan(name, { kind, attributes, links }, parent);
  const started = performance.now();
  let failure: unknown;
  try {
    const result = await otel.with(trace.setSpan(parent, span), () => correlations.run(corr, fn));
    onResult?.(result, span);
    return result;
  } catch (err) {
    failure = err;
    span.setStatus({ code: SpanStatusCode.ERROR, message: safeMessage(err) });
    span.addEvent("exception", { "exception.type": err instanceof Error ? err.name : "Error", "exception.message": safeMessage(err) });
    throw err;
  } finally {
    span.end();
    const ms = performance.now() - started;
    if (corr.kind === "activity") observeActivityDuration(corr.functionName, ms, failure === undefined ? "succeeded" : "failed");
    const ctx = span.spanContext();
    const line = {
      event: `${corr.kind}.${failure === undefined ? "succeeded" : "failed"}`,
      function: corr.functionName,
      ...(trace.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {}),
      jobId: corr.jobId,
      clusterName: corr.clusterName,
      stepId: corr.stepId,
      leaseId: corr.leaseId,
      instanceId: corr.instanceId,
      durationMs: Math.round(ms),
      ...(failure === undefined ? {} : { error: safeMessage(failure) }),
    };
    if (failure === undefined) inv.debug(JSON.stringify(line));
    else inv.warn(JSON.stringify(line));
  }
}

/**
 * One structured log line (JSON) through the invocation's logger, with the correlation ids of the running
 * invocation (trace id, span id, job/cluster/step) added — what docs/operations.md's KQL queries read.
 */
export function logJson(inv: Pick<InvocationContext, "log">, fields: Record<string, unknown>): void {
  const corr = correlations.getStore();
  const ctx = trace.getActiveSpan()?.spanContext();
  const ids = stripUndefined({ jobId: corr?.jobId, clusterName: corr?.clusterName, stepId: corr?.stepId, instanceId: corr?.instanceId });
  inv.log(
    JSON.stringify({ ...(ctx && trace.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {}), ...ids, ...fields }),
  );
}

function parentFrom(carrier: { traceparent?: string; tracestate?: string } | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, {
    traceparent: carrier.traceparent,
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  });
}

function wrapActivity(hook: PreInvocationContext, inv: InvocationContext): void {
  const { input, carrier } = splitCarrier(hook.inputs[0]);
  hook.inputs[0] = input;
  const corr: Correlation = {
    ...carrier,
    ...stripUndefined(idsFromInput(input)),
    kind: "activity",
    functionName: inv.functionName,
    triggerType: "activityTrigger",
  };
  if (carrier?.jobId) corr.jobId = carrier.jobId; // the job whose orchestration scheduled it wins over a record's id
  const original = hook.functionHandler;
  hook.functionHandler = (...args: unknown[]) =>
    inSpan(`activity ${inv.functionName}`, SpanKind.INTERNAL, parentFrom(carrier), [], corr, inv, async () =>
      original(...(args as [never, never])),
    );
}

function wrapOrchestrator(hook: PreInvocationContext, inv: InvocationContext): void {
  if (!tracingEnabled()) return;
  const payload = rec(hook.inputs[0]);
  const own = carrierOf(payload.input) ?? {};
  const carrier: TraceCarrier = { ...stripUndefined(idsFromInput(payload.input)), ...own, orchestration: inv.functionName };
  const instanceId = str(payload.instanceId);
  if (instanceId) carrier.instanceId = instanceId;
  if (inv.functionName === ORCHESTRATION.jobRun && instanceId) carrier.jobId = instanceId;
  delete (carrier as Correlation).stepId;
  const original = hook.functionHandler;
  hook.functionHandler = async (...args: unknown[]) => rewriteOrchestratorState(await original(...(args as [never, never])), carrier);
}

function wrapTrigger(hook: PreInvocationContext, inv: InvocationContext, type: string): void {
  const corr: Correlation = { kind: "trigger", functionName: inv.functionName, triggerType: type };
  let name = `${type} ${inv.functionName}`;
  let kind = SpanKind.INTERNAL;
  let parent: Context = ROOT_CONTEXT;
  const original = hook.functionHandler;
  let onResult: ((result: unknown, span: ReturnType<ReturnType<typeof tracer>["startSpan"]>) => void) | undefined;
  if (type === "httptrigger") {
    const request = hook.inputs[0] as HttpRequest;
    const route = String((inv.options.trigger as { route?: string }).route ?? inv.functionName);
    name = `${request.method} /api/${route}`;
    kind = SpanKind.SERVER;
    parent = parentFrom({
      traceparent: request.headers.get("traceparent") ?? undefined,
      tracestate: request.headers.get("tracestate") ?? undefined,
    });
    const params = request.params ?? {};
    if (/^(console\/api\/)?jobs\/\{id/.test(route) && params.id) corr.jobId = params.id;
    if (/clusters\/\{name/.test(route) && params.name) corr.clusterName = params.name;
    onResult = (result, span) => {
      const status = Number(rec(result).status ?? 200);
      span.setAttributes({
        "http.request.method": request.method,
        "http.route": `/api/${route}`,
        "url.path": new URL(request.url).pathname,
        "http.response.status_code": status,
      });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    };
  } else if (type === "servicebustrigger") {
    kind = SpanKind.CONSUMER;
    const meta = rec(inv.triggerMetadata);
    const props = { ...rec(meta.userProperties ?? meta.UserProperties), ...rec(meta.applicationProperties ?? meta.ApplicationProperties) };
    parent = parentFrom({ traceparent: str(props.traceparent) ?? str(props["Diagnostic-Id"]), tracestate: str(props.tracestate) });
    const configured = String(
      (inv.options.trigger as { queueName?: string; topicName?: string }).queueName ??
        (inv.options.trigger as { topicName?: string }).topicName ??
        inv.functionName,
    );
    const queue = /^%(\w+)%$/.test(configured) ? (process.env[configured.slice(1, -1)] ?? configured) : configured; // %SETTING%
    name = `${queue} process`;
    onResult = (_r, span) =>
      span.setAttributes({
        "messaging.system": "servicebus",
        "messaging.destination.name": queue,
        "messaging.message.id": String(meta.messageId ?? meta.MessageId ?? ""),
      });
  } else if (type === "timertrigger") {
    name = `timer ${inv.functionName}`;
  }
  hook.functionHandler = (...args: unknown[]) =>
    inSpan(name, kind, parent, [], corr, inv, async () => original(...(args as [never, never])), onResult);
}

function stripUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {}; // a plain loop: this runs several times per invocation
  for (const key in o) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    const v = (o as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/**
 * DurableClient.startNew with a span, and the span's context in the input. Patched on the class (like OTel's
 * module instrumentations) so every starter — HTTP routes, the queue, schedules, leases, activities — is covered.
 */
function patchDurableClient(): void {
  const { DurableClient } = require("durable-functions/lib/src/durableClient/DurableClient") as { DurableClient: { prototype: AnyRecord } };
  const proto = DurableClient.prototype;
  const PATCHED = Symbol.for("jobflow.telemetry.startNew");
  if (proto[PATCHED as unknown as string]) return;
  const original = proto.startNew as (this: unknown, name: string, options?: { instanceId?: string; input?: unknown }) => Promise<string>;
  proto[PATCHED as unknown as string] = true;
  proto.startNew = async function (this: unknown, name: string, options: { instanceId?: string; input?: unknown } = {}): Promise<string> {
    if (!tracingEnabled()) return original.call(this, name, options);
    const corr = correlations.getStore();
    const ids = stripUndefined(idsFromInput(options.input));
    const jobId = name === ORCHESTRATION.jobRun ? (options.instanceId ?? ids.jobId) : (ids.jobId ?? corr?.jobId);
    // A job started by an activity (a schedule firing) is a trace of its own, linked to what started it.
    const newTrace = name === ORCHESTRATION.jobRun && corr?.kind === "activity";
    const active = trace.getActiveSpan();
    if (jobId && corr?.kind === "trigger") active?.setAttribute(ATTR.jobId, jobId);
    const parent = newTrace ? ROOT_CONTEXT : otel.active();
    const attributes: Attributes = {
      ...attributesOf({ ...ids, jobId, clusterName: ids.clusterName ?? corr?.clusterName, leaseId: ids.leaseId ?? corr?.leaseId }),
      [ATTR.orchestration]: name,
      [ATTR.trigger]: corr ? (corr.kind === "trigger" ? corr.triggerType : `activity:${corr.functionName}`) : "unknown",
    };
    if (options.instanceId) attributes[ATTR.instanceId] = options.instanceId;
    const span = tracer().startSpan(
      `start orchestration ${name}`,
      { kind: SpanKind.PRODUCER, attributes, links: newTrace && active ? [{ context: active.spanContext() }] : [] },
      parent,
    );
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), headers);
    const carrier: TraceCarrier = stripUndefined({
      traceparent: headers.traceparent,
      tracestate: headers.tracestate,
      jobId,
      leaseId: ids.leaseId ?? corr?.leaseId,
      clusterName: ids.clusterName ?? corr?.clusterName,
    });
    try {
      return await otel.with(trace.setSpan(parent, span), () =>
        original.call(this, name, { ...options, input: withCarrier(options.input, carrier) }),
      );
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: safeMessage(err) });
      throw err;
    } finally {
      span.end();
    }
  };
}

/** Installs the hooks (the app's entry point calls this first, before any registration). */
export function installTelemetryHooks(): void {
  ensureTelemetry();
  patchDurableClient();
  app.hook.preInvocation((hook) => {
    const inv = hook.invocationContext as InvocationContext;
    const type = String(inv.options.trigger.type).toLowerCase();
    if (type === "orchestrationtrigger") wrapOrchestrator(hook, inv);
    else if (type === "activitytrigger") wrapActivity(hook, inv);
    else if (!type.startsWith("entity")) wrapTrigger(hook, inv, type);
  });
}
