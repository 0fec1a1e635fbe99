// OpenTelemetry set-up, once per process, chosen by the environment (docs/operations.md):
//   APPLICATIONINSIGHTS_CONNECTION_STRING → the Azure Monitor OpenTelemetry distro (traces, metrics to App Insights);
//   OTEL_EXPORTER_OTLP_ENDPOINT           → OTLP/HTTP exporters (any collector, Jaeger, Aspire dashboard…);
//   the embedded runtime's processors     → in-process exporters (tests);
//   none of these                         → off: the OTel API stays a no-op and no input carries a trace.
// In every mode but off, the Azure SDK's instrumentation turns each SDK operation and each HTTP request (retries
// included) into a span under whatever span is active — the activity's. Process-global (a symbol on globalThis),
// because the local host reloads the app's modules on restart while the providers must outlive that.
// The SDK packages are required only when telemetry is on (off costs no memory: ~100 MiB of modules otherwise).
import { metrics, trace, type Attributes } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { MetricReader } from "@opentelemetry/sdk-metrics";
import { embeddedRuntime } from "./embedded";

export type TelemetryMode = "azureMonitor" | "otlp" | "embedded" | "off";

/** What the embedded runtime (tests) may hand the app instead of an exporter endpoint. */
export interface EmbeddedTelemetry {
  spanProcessors?: SpanProcessor[];
  metricReaders?: MetricReader[];
}

interface TelemetryState {
  mode: TelemetryMode;
  flush(): Promise<void>;
}

const KEY = Symbol.for("jobflow.telemetry");
type WithState = { [KEY]?: TelemetryState };

export const SERVICE_NAME = "jobflow";

/** The mode the environment asks for (pure; exported for tests). */
export function telemetryModeFor(env: Record<string, string | undefined>, embedded: EmbeddedTelemetry | undefined): TelemetryMode {
  if (embedded && (embedded.spanProcessors?.length || embedded.metricReaders?.length)) return "embedded";
  if (env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim()) return "azureMonitor";
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) return "otlp";
  return "off";
}

/**
 * The managed identity named by APPLICATIONINSIGHTS_AUTHENTICATION_STRING (`ClientId=<id>;Authorization=AAD`, the
 * Functions host's own format): its client id, "" for the system-assigned identity, undefined when not AAD.
 */
export function aadClientId(authString: string | undefined): string | undefined {
  if (!authString) return undefined;
  const parts = new Map(
    authString
      .split(";")
      .map((p) => p.split("=", 2).map((x) => x.trim()) as [string, string])
      .filter(([k]) => k),
  );
  const auth = [...parts].find(([k]) => k.toLowerCase() === "authorization")?.[1];
  if (auth?.toUpperCase() !== "AAD") return undefined;
  return [...parts].find(([k]) => k.toLowerCase() === "clientid")?.[1] ?? "";
}

/** Sets telemetry up on first call (the app's entry point calls it before anything else); later calls return it. */
export function ensureTelemetry(env: Record<string, string | undefined> = process.env): TelemetryState {
  const holder = globalThis as WithState;
  if (holder[KEY]) return holder[KEY];
  const embedded = embeddedRuntime()?.telemetry;
  const mode = telemetryModeFor(env, embedded);
  const state = mode === "off" ? { mode, flush: async () => undefined } : start(mode, env, embedded);
  holder[KEY] = state;
  return state;
}

/** True when spans are recorded somewhere (decides whether inputs carry a trace context). */
export function tracingEnabled(): boolean {
  return ensureTelemetry().mode !== "off";
}

export function tracer(): ReturnType<typeof trace.getTracer> {
  return trace.getTracer(SERVICE_NAME);
}

/** Forces buffered spans and metrics out (tests, and before the process exits). */
export async function flushTelemetry(): Promise<void> {
  await (globalThis as WithState)[KEY]?.flush();
}

function resourceAttributes(env: Record<string, string | undefined>): Attributes {
  return {
    "service.name": env.OTEL_SERVICE_NAME?.trim() || SERVICE_NAME,
    "service.namespace": "jobflow",
    ...(env.WEBSITE_SITE_NAME ? { "service.instance.id": `${env.WEBSITE_SITE_NAME}/${env.WEBSITE_INSTANCE_ID ?? "local"}` } : {}),
  };
}

function start(
  mode: Exclude<TelemetryMode, "off">,
  env: Record<string, string | undefined>,
  embedded: EmbeddedTelemetry | undefined,
): TelemetryState {
  const { resourceFromAttributes } = require("@opentelemetry/resources") as typeof import("@opentelemetry/resources");
  const { BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
  const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node") as typeof import("@opentelemetry/sdk-trace-node");
  const { MeterProvider, PeriodicExportingMetricReader } =
    require("@opentelemetry/sdk-metrics") as typeof import("@opentelemetry/sdk-metrics");
  const { ThrottleCounter } = require("./telemetryMetrics") as typeof import("./telemetryMetrics");
  const { CorrelationSpanProcessor } = require("./correlation") as typeof import("./correlation");
  const resource = resourceFromAttributes(resourceAttributes(env));
  const throttles = new ThrottleCounter();
  const correlation = new CorrelationSpanProcessor();
  if (mode === "azureMonitor") {
    // Loaded only in this mode: the distro pulls in many instrumentations we do not use.
    const { useAzureMonitor } = require("@azure/monitor-opentelemetry") as typeof import("@azure/monitor-opentelemetry");
    const { ManagedIdentityCredential } = require("@azure/identity") as typeof import("@azure/identity");
    const clientId = aadClientId(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
    useAzureMonitor({
      azureMonitorExporterOptions: {
        connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING,
        // infra/ disables local auth on Application Insights: ingestion with the app's managed identity.
        ...(clientId !== undefined ? { credential: new ManagedIdentityCredential(clientId ? { clientId } : {}) } : {}),
      },
      resource,
      // Every trace: a job is a few hundred spans over minutes to hours, and a trace missing its root is useless.
      // (The distro's default rate limiter drops the first spans of a quiet process: a job's HTTP trigger.)
      samplingRatio: 1,
      tracesPerSecond: 0,
      spanProcessors: [correlation, throttles],
      // Our own trigger spans stand for the Functions invocations; outgoing calls are the Azure SDK's spans.
      instrumentationOptions: { azureSdk: { enabled: true }, http: { enabled: false } },
    });
    enableAzureSdkSpans(false);
    return { mode, flush: flushGlobalProviders };
  }
  let spanProcessors: SpanProcessor[];
  let metricReaders: MetricReader[];
  if (mode === "otlp") {
    const { OTLPTraceExporter } =
      require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
    const { OTLPMetricExporter } =
      require("@opentelemetry/exporter-metrics-otlp-http") as typeof import("@opentelemetry/exporter-metrics-otlp-http");
    spanProcessors = [new BatchSpanProcessor(new OTLPTraceExporter())];
    metricReaders = [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 30_000 })];
  } else {
    spanProcessors = embedded?.spanProcessors ?? [];
    metricReaders = embedded?.metricReaders ?? [];
  }
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [correlation, throttles, ...spanProcessors] });
  tracerProvider.register(); // AsyncLocalStorage context manager + W3C trace context propagator
  const meterProvider = new MeterProvider({ resource, readers: metricReaders });
  metrics.setGlobalMeterProvider(meterProvider);
  enableAzureSdkSpans(true);
  return {
    mode,
    flush: async () => {
      await tracerProvider.forceFlush();
      await meterProvider.forceFlush();
    },
  };
}

type Flushable = { forceFlush?(): Promise<void>; getDelegate?(): Flushable };

/** Flushes whatever providers the distro registered globally (the API hands out proxies). */
async function flushGlobalProviders(): Promise<void> {
  const tracerProvider = trace.getTracerProvider() as Flushable;
  await (tracerProvider.getDelegate?.() ?? tracerProvider).forceFlush?.();
  await (metrics.getMeterProvider() as Flushable).forceFlush?.();
}

/**
 * Points @azure/core-tracing at OpenTelemetry. The instrumentation patches the module when it is next required;
 * requiring it here covers a process that loaded the Azure SDK before telemetry started (the test runner does).
 */
function enableAzureSdkSpans(register: boolean): void {
  if (register) {
    const { registerInstrumentations } = require("@opentelemetry/instrumentation") as typeof import("@opentelemetry/instrumentation");
    const { createAzureSdkInstrumentation } =
      require("@azure/opentelemetry-instrumentation-azure-sdk") as typeof import("@azure/opentelemetry-instrumentation-azure-sdk");
    registerInstrumentations({ instrumentations: [createAzureSdkInstrumentation()] });
  }
  require("@azure/core-tracing");
}
