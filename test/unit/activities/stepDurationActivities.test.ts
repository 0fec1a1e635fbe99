// Learnt step durations through the activities on the cloud fakes: a job's final save (saveJobRecord, or the save
// riding on its release) adds its samples to its name's blob, once per job, never failing the save; the step phase's
// first submitStep reads them back (SubmitStepInput.durationsOf) after submitting, and a failed read leaves them out.
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, type SaveJobRecordInput } from "../../../shared/workflow/activities";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import type { StepDurationSamples } from "../../../shared/workflow/stepDurations";
import { StepDurationStore, stepDurationsBlob } from "../../../functions/store/stepDurations";
import { sparkStep } from "../builders/fixtures";
import { activityHarness, testJobRecord } from "./harness";

const record = testJobRecord();
const finalSave = (jobId: string, ms: number): SaveJobRecordInput => ({
  record: { ...record, id: jobId },
  previousState: "running",
  stepDurations: { jobName: "nightly", jobId, samples: [{ stepId: "ingest", ms }] },
});

describe("learnt step durations through the activities", () => {
  let h: ReturnType<typeof activityHarness>;
  const blob = (): Promise<StepDurationSamples | undefined> =>
    h.cloud.blobs.getJson<StepDurationSamples>(h.config.containers.jobs, stepDurationsBlob("nightly")).then((b) => b?.value);
  beforeEach(() => {
    h = activityHarness();
    h.cloud.clusters.put({ name: "jf-c1" });
  });

  it("a final save adds the job's samples to its name's blob, once per job (a retried save adds nothing)", async () => {
    expect(stepDurationsBlob("nightly")).toMatch(/^stats\/step-durations\/[0-9a-f]{64}\.json$/);
    expect(await h.call(ACTIVITY.saveJobRecord, finalSave("job-1", 120_000))).toEqual({ saved: true });
    expect(await h.call(ACTIVITY.saveJobRecord, finalSave("job-1", 120_000))).toEqual({ saved: true });
    await h.call(ACTIVITY.saveJobRecord, finalSave("job-2", 180_000));
    expect(await blob()).toEqual({
      jobName: "nightly",
      steps: {
        ingest: [
          { jobId: "job-1", ms: 120_000 },
          { jobId: "job-2", ms: 180_000 },
        ],
      },
    });
    // A save without samples (every save but a job's last) reads and writes nothing of them.
    const puts = h.cloud.blobs.callsTo("putJson").length;
    await h.call(ACTIVITY.saveJobRecord, { record: { ...record, id: "job-3", state: "running" } });
    expect(h.cloud.blobs.callsTo("putJson").length - puts).toBe(1); // the record only
  });

  it("the final save riding on the release writes the samples too", async () => {
    const out = await h.call(ACTIVITY.raiseEventTo, {
      instanceId: "cluster-x",
      eventName: "release",
      payload: {},
      save: finalSave("job-9", 60_000),
    });
    expect(out).toMatchObject({ saved: true });
    expect((await blob())?.steps.ingest).toEqual([{ jobId: "job-9", ms: 60_000 }]);
  });

  it("a failed samples write never fails the save", async () => {
    await h.cloud.blobs.putText(h.config.containers.jobs, stepDurationsBlob("nightly"), "{not json"); // unreadable
    expect(await h.call(ACTIVITY.saveJobRecord, finalSave("job-1", 1000))).toEqual({ saved: true });
    expect((await h.cloud.blobs.getJson<JobRecord>(h.config.containers.jobs, "records/job-1.json"))?.value.state).toBe("succeeded");
    expect(await h.cloud.blobs.getText(h.config.containers.jobs, stepDurationsBlob("nightly"))).toBe("{not json");
  });

  it("concurrent final saves of one name keep every job's sample (conditional writes, retried)", async () => {
    const store = new StepDurationStore(h.cloud.blobs, h.config.containers.jobs);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.record({ jobName: "nightly", jobId: `job-${i}`, samples: [{ stepId: "ingest", ms: 1000 * (i + 1) }] }),
      ),
    );
    expect((await blob())?.steps.ingest?.map((s) => s.jobId).sort()).toEqual(["job-0", "job-1", "job-2", "job-3", "job-4", "job-5"]);
  });

  it("submitStep reads the name's estimates when asked, after its submission; {} before any; a failed read is left out", async () => {
    const input = { jobId: "job-5", clusterName: "jf-c1", profileName: "default", step: sparkStep({}), attempt: 1, data: {} };
    expect(await h.call(ACTIVITY.submitStep, input)).toEqual({ batchId: 0 }); // not asked
    expect(await h.call(ACTIVITY.submitStep, { ...input, attempt: 2, durationsOf: { jobName: "nightly" } })).toEqual({
      batchId: 1,
      durations: {},
    });
    await h.call(ACTIVITY.saveJobRecord, finalSave("job-1", 120_000));
    expect(await h.call(ACTIVITY.submitStep, { ...input, attempt: 3, durationsOf: { jobName: "nightly" } })).toEqual({
      batchId: 2,
      durations: { ingest: { p10Ms: 120_000, p50Ms: 120_000, p90Ms: 120_000, samples: 1 } },
    });
    const reads = h.cloud.blobs.callsTo("getJson").length;
    h.cloud.blobs.failNext("getJson", new JobflowError("TransientError", "blob store busy"));
    const out = await h.call(ACTIVITY.submitStep, { ...input, attempt: 4, durationsOf: { jobName: "nightly" } });
    expect(out).toEqual({ batchId: 3 });
    expect(h.cloud.blobs.callsTo("getJson").length).toBe(reads + 1);
  });
});
