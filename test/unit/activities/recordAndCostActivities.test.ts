// Record, event and cost activities through the factory on the cloud fakes: the record and its index entry, events
// stamped with the injected clock, the ledger blob, and the price book refreshed from the Retail Prices fake (with
// the built-in fallback, named as such, when the API fails).
import { beforeEach, describe, expect, it } from "vitest";
import { RetailPricesError } from "../../../shared/cloud/retailPrices";
import { JobflowError } from "../../../shared/errors";
import type { ClusterLedger } from "../../../shared/cost/ledger";
import { ACTIVITY } from "../../../shared/workflow/activities";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { activityHarness, testJobRecord } from "./harness";

const record = testJobRecord;

describe("record and event activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("saveJobRecord writes the record and moves its index entry to the new state", async () => {
    await h.call(ACTIVITY.saveJobRecord, { record: record("queued") });
    expect(await h.call(ACTIVITY.saveJobRecord, { record: record("running"), previousState: "queued" })).toEqual({ saved: true });
    expect(h.cloud.blobs.names(h.config.containers.jobs)).toEqual(["index/running/2026-01-01T00:00:00.000Z_job-1", "records/job-1.json"]);
    expect((await h.cloud.blobs.getJson<JobRecord>(h.config.containers.jobs, "records/job-1.json"))?.value.state).toBe("running");
  });

  it("saveJobRecord publishes the events it carries after the write; a failed publish fails it for a retry", async () => {
    h.cloud.clock.set("2026-03-04T05:06:07.000Z");
    const events = [{ type: "jobflow.step.running", subject: "jobs/job-1/steps/a", data: { jobId: "job-1", stepId: "a" } }];
    expect(await h.call(ACTIVITY.saveJobRecord, { record: record("running"), events })).toEqual({ saved: true });
    expect(h.cloud.events.published).toEqual([
      expect.objectContaining({ type: "jobflow.step.running", subject: "jobs/job-1/steps/a", time: "2026-03-04T05:06:07.000Z" }),
    ]);
    h.cloud.events.failNext("publish", new JobflowError("ThrottledError", "topic busy"));
    const again = { ...record("running"), updatedAt: "2026-01-01T00:01:00.000Z" };
    await expect(h.call(ACTIVITY.saveJobRecord, { record: again, events })).rejects.toMatchObject({ name: "ThrottledError" });
    // The record was written before the publish failed: the retry writes it again, then publishes.
    expect((await h.cloud.blobs.getJson<JobRecord>(h.config.containers.jobs, "records/job-1.json"))?.value.updatedAt).toBe(again.updatedAt);
    expect(await h.call(ACTIVITY.saveJobRecord, { record: again, events })).toEqual({ saved: true });
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running", "jobflow.step.running"]);
  });

  it("a job ending reads its cost share without failing the save when there is no ledger", async () => {
    expect(
      await h.call(ACTIVITY.saveJobRecord, {
        record: { ...record("succeeded"), cluster: { name: "jf-c1", profile: "default", reuse: "never" } },
        previousState: "running",
      }),
    ).toEqual({ saved: true });
  });

  it("publishEvents publishes CloudEvents stamped with the injected clock; a throttled topic throws for a retry", async () => {
    h.cloud.clock.set("2026-03-04T05:06:07.000Z");
    expect(
      await h.call(ACTIVITY.publishEvents, [{ type: "jobflow.job.running", subject: "jobs/job-1", data: { jobId: "job-1" } }]),
    ).toEqual({ published: 1 });
    expect(h.cloud.events.published).toEqual([
      expect.objectContaining({ specversion: "1.0", type: "jobflow.job.running", subject: "jobs/job-1", time: "2026-03-04T05:06:07.000Z" }),
    ]);
    h.cloud.events.failNext("publish", new JobflowError("ThrottledError", "topic busy"));
    await expect(h.call(ACTIVITY.publishEvents, [{ type: "jobflow.job.failed", subject: "jobs/job-1", data: {} }])).rejects.toMatchObject({
      name: "ThrottledError",
    });
    expect(h.cloud.events.types()).toEqual(["jobflow.job.running"]);
  });
});

describe("cost activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("saveClusterLedger stores the ledger under ledgers/<cluster>.json", async () => {
    const ledger: ClusterLedger = { clusterName: "jf-c1", profile: "default", creator: "job-1", events: [] };
    expect(await h.call(ACTIVITY.saveClusterLedger, ledger)).toEqual({ saved: true });
    expect((await h.cloud.blobs.getJson<ClusterLedger>(h.config.containers.jobs, "ledgers/jf-c1.json"))?.value).toEqual(ledger);
  });

  it("refreshPrices builds the price book from the API's rows and caches it", async () => {
    h.cloud.retailPrices.rows = [
      {
        currencyCode: "USD",
        retailPrice: 0.5,
        armRegionName: h.config.location,
        meterName: "E8 v3",
        skuName: "E8 v3",
        productName: "HDInsight Ev3 Series",
        serviceName: "HDInsight",
        unitOfMeasure: "1 Hour",
        type: "Consumption",
        armSkuName: "Standard_E8_v3",
      },
    ];
    const result = await h.call(ACTIVITY.refreshPrices, {});
    expect(result).toMatchObject({
      source: "retail-prices-api",
      region: h.config.location,
      sizes: 1,
      fetchedAt: "2026-01-01T00:00:00.000Z",
    });
    await h.call(ACTIVITY.refreshPrices, {});
    expect(h.cloud.retailPrices.callsTo("listPrices")).toHaveLength(1); // fresh cache: no second query
  });

  it("recordClusterTiming keeps one sample per cluster and kind; getClusterTimingEstimate uses them, defaults before", async () => {
    expect(await h.call(ACTIVITY.getClusterTimingEstimate, { profileHash: "p1" })).toMatchObject({
      provisioning: { source: "default", samples: 0 },
    });
    await h.call(ACTIVITY.recordClusterTiming, { profileHash: "p1", clusterName: "c1", kind: "provisioning", ms: 600_000 });
    await h.call(ACTIVITY.recordClusterTiming, { profileHash: "p1", clusterName: "c1", kind: "provisioning", ms: 600_000 }); // retried
    expect(await h.call(ACTIVITY.recordClusterTiming, { profileHash: "p1", clusterName: "c2", kind: "provisioning", ms: 900_000 })).toEqual(
      { recorded: true },
    );
    expect(await h.call(ACTIVITY.getClusterTimingEstimate, { profileHash: "p1" })).toMatchObject({
      provisioning: { source: "observed", samples: 2, p50Ms: 600_000, p90Ms: 900_000 },
      deletion: { source: "default" },
    });
  });

  it("refreshPrices falls back to the built-in book, saying why, when the API fails", async () => {
    h.cloud.retailPrices.failNext("listPrices", new RetailPricesError("HTTP 500 from prices.azure.com", 500));
    expect(await h.call(ACTIVITY.refreshPrices, { region: "northeurope" })).toMatchObject({
      source: "builtin-fallback",
      region: "northeurope",
      note: expect.stringContaining("HTTP 500"),
    });
  });
});
