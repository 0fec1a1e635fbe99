// The teardown-failing metric: every jobflow.cluster.deleteFailing / jobflow.edge.detachFailing event the
// publishEvents activity publishes counts once under its kind; other events count nothing.
import { afterAll, describe, expect, it } from "vitest";
import { metrics } from "@opentelemetry/api";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { METRIC, observePublishedEvents } from "../../../functions/runtime/telemetryMetrics";
import { TestMetricReader, metricPoints } from "../../support/metrics";

const reader = new TestMetricReader();
const provider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(provider);
afterAll(async () => {
  metrics.disable();
  await provider.shutdown();
});

describe("jobflow.teardown.failing", () => {
  it("counts deleteFailing and detachFailing events by kind and nothing else", async () => {
    observePublishedEvents([{ type: "jobflow.cluster.deleteFailing" }, { type: "jobflow.job.succeeded" }]);
    observePublishedEvents([
      { type: "jobflow.cluster.deleteFailing" },
      { type: "jobflow.edge.detachFailing" },
      { type: "jobflow.cluster.deleted" },
    ]);
    const { resourceMetrics } = await reader.collect();
    const points = metricPoints(resourceMetrics, METRIC.teardownFailing);
    expect(points).toEqual(
      expect.arrayContaining([
        { attributes: { kind: "cluster-delete" }, value: 2 },
        { attributes: { kind: "edge-detach" }, value: 1 },
      ]),
    );
    expect(points).toHaveLength(2);
  });
});
