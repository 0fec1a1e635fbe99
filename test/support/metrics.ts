// OpenTelemetry metrics in tests: a reader collected on demand, and the data points of one metric by name.
import { AggregationTemporality, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";

/** A reader the test collects on demand (cumulative, like Azure Monitor's view). */
export class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Every data point of the metric `name` with its attributes and value. */
export function metricPoints(collected: ResourceMetrics, name: string): { attributes: Record<string, unknown>; value: unknown }[] {
  return collected.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })));
}
