// The step phase's record saves riding on its step activities (StepSaveRider): submitStep, getStepStatus and
// finishStep write the record and publish its events before their own work and answer `saved`; a save that fails
// never fails the step work it rides on (it answers saved: false, and the phase keeps the save).
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, type SaveJobRecordInput } from "../../../shared/workflow/activities";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { sparkStep } from "../builders/fixtures";
import { activityHarness, testJobRecord } from "./harness";

const save = (updatedAt: string): SaveJobRecordInput => ({
  record: { ...testJobRecord("running"), updatedAt },
  previousState: "running",
  events: [{ type: "jobflow.step.running", subject: "jobs/job-1/steps/a", data: { jobId: "job-1", stepId: "a" } }],
});

describe("a save riding on a step activity", () => {
  let h: ReturnType<typeof activityHarness>;
  const saved = async (): Promise<string | undefined> =>
    (await h.cloud.blobs.getJson<JobRecord>(h.config.containers.jobs, "records/job-1.json"))?.value.updatedAt;
  beforeEach(() => {
    h = activityHarness();
    h.cloud.clusters.put({ name: "jf-c1" });
  });

  it("submitStep submits, then writes the record and publishes its events", async () => {
    const input = { jobId: "job-1", clusterName: "jf-c1", profileName: "default", step: sparkStep({}), attempt: 1, data: {} };
    expect(await h.call(ACTIVITY.submitStep, { ...input, save: save("2026-01-01T00:01:00.000Z") })).toEqual({ batchId: 0, saved: true });
    expect(await saved()).toBe("2026-01-01T00:01:00.000Z");
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running"]);
    // Without a save nothing is written and `saved` is absent.
    expect(await h.call(ACTIVITY.submitStep, { ...input, attempt: 2 })).toEqual({ batchId: 1 });
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running"]);
  });

  it("getStepStatus and finishStep carry a save the same way", async () => {
    const livy = h.cloud.livy("jf-c1");
    await livy.submitBatch({ file: "abfss://c@a.dfs.core.windows.net/x.py", name: "b" });
    const probe = { clusterName: "jf-c1", profileName: "default", batchId: 0 };
    expect(await h.call(ACTIVITY.getStepStatus, { ...probe, save: save("2026-01-01T00:02:00.000Z") })).toMatchObject({ saved: true });
    expect(await saved()).toBe("2026-01-01T00:02:00.000Z");
    const finish = { jobId: "job-1", clusterName: "jf-c1", profileName: "default", stepId: "a", attempt: 1, batchId: 0 };
    expect(await h.call(ACTIVITY.finishStep, { ...finish, save: save("2026-01-01T00:03:00.000Z") })).toMatchObject({ saved: true });
    expect(await saved()).toBe("2026-01-01T00:03:00.000Z");
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running", "jobflow.step.running"]);
  });

  it("a probe that fails writes and publishes nothing: its retry carries the save once", async () => {
    const livy = h.cloud.livy("jf-c1");
    await livy.submitBatch({ file: "abfss://c@a.dfs.core.windows.net/x.py", name: "b" });
    livy.failNext("getBatch", new JobflowError("TransientError", "gateway 502"));
    const probe = { clusterName: "jf-c1", profileName: "default", batchId: 0, save: save("2026-01-01T00:05:00.000Z") };
    await expect(h.call(ACTIVITY.getStepStatus, probe)).rejects.toThrow();
    expect(await saved()).toBeUndefined();
    expect(h.cloud.events.types()).toEqual([]);
    expect(await h.call(ACTIVITY.getStepStatus, probe)).toMatchObject({ saved: true });
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running"]);
  });

  it("a save that fails does not fail the probe: it answers saved: false with the status", async () => {
    const livy = h.cloud.livy("jf-c1");
    await livy.submitBatch({ file: "abfss://c@a.dfs.core.windows.net/x.py", name: "b" });
    h.cloud.events.failNext("publish", new JobflowError("ThrottledError", "topic busy"));
    const out = await h.call(ACTIVITY.getStepStatus, {
      clusterName: "jf-c1",
      profileName: "default",
      batchId: 0,
      save: save("2026-01-01T00:04:00.000Z"),
    });
    expect(out).toMatchObject({ saved: false });
    expect(out).toHaveProperty("state");
    expect(h.cloud.events.types()).toEqual([]);
  });
});
