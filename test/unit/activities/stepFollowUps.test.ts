// getStepStatus with a follow-up plan (thenSubmit) on the cloud fakes: once it finished a batch that succeeded it
// submits the planned attempts in order, exactly as submitStep would (same names, secrets resolved, a batch of the
// same name reused); nothing for a batch that failed, runs, or whose finish failed; a submit failure stops the
// plan without failing the probe (the batch is already deleted), and the riding save is written once.
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import type { JobSpec } from "../../../shared/model/job";
import { ACTIVITY, type GetStepStatusInput, type SaveJobRecordInput } from "../../../shared/workflow/activities";
import { compactFollowUpStep } from "../../../shared/workflow/stepsFollowUps";
import { sparkStep } from "../builders/fixtures";
import { S3_SECRET_KEY, activityHarness, testJobRecord } from "./harness";

const data: JobSpec["data"] = {
  s3a: { endpoint: "https://s3.example.net", region: "eu-west-1", pathStyleAccess: true, credentialsSecret: "s3-readonly", buckets: [] },
};

const probe = (overrides: Partial<GetStepStatusInput> = {}): GetStepStatusInput => ({
  clusterName: "jf-c1",
  profileName: "default",
  batchId: 0,
  finishIfEnded: { jobId: "job-1", stepId: "a", attempt: 1 },
  thenSubmit: {
    data,
    steps: [
      { step: sparkStep({ id: "b", name: "b", file: "s3a://bucket/b.py" }), attempt: 1 },
      { step: sparkStep({ id: "c", name: "c" }), attempt: 2 },
    ],
  },
  ...overrides,
});

const save: SaveJobRecordInput = {
  record: { ...testJobRecord("running"), updatedAt: "2026-01-01T00:01:00.000Z" },
  previousState: "running",
  events: [{ type: "jobflow.step.running", subject: "jobs/job-1/steps/a", data: { jobId: "job-1", stepId: "a" } }],
};

describe("getStepStatus with a follow-up plan", () => {
  let h: ReturnType<typeof activityHarness>;
  const livy = (): ReturnType<typeof h.cloud.livy> => h.cloud.livy("jf-c1");
  beforeEach(async () => {
    h = activityHarness();
    h.cloud.clusters.put({ name: "jf-c1" });
    await livy().submitBatch({ file: "abfss://c@a.dfs.core.windows.net/a.py", name: "job-1-a-1" });
  });

  it("submits the plan in order once it finished a batch that succeeded, secrets resolved, and rides the save once", async () => {
    livy().setState(0, "success", "application_1_0001");
    expect(await h.call(ACTIVITY.getStepStatus, probe({ save }))).toEqual({
      state: "success",
      appId: "application_1_0001",
      finished: { logBlob: "job-1/a/attempt-1.log" },
      submitted: [
        { stepId: "b", attempt: 1, batchId: 1 },
        { stepId: "c", attempt: 2, batchId: 2 },
      ],
      saved: true,
    });
    expect(await livy().getBatch(0)).toBeUndefined();
    expect([livy().requestOf(1)?.name, livy().requestOf(2)?.name]).toEqual(["job-1-b-1", "job-1-c-2"]);
    expect(livy().requestOf(1)?.conf?.["spark.hadoop.fs.s3a.secret.key"]).toBe(S3_SECRET_KEY);
    expect(h.cloud.events.types()).toEqual(["jobflow.step.running"]);
  });

  it.each([
    ["failed", "dead"],
    ["still running", "running"],
    ["still starting", "starting"],
  ])("submits nothing for a batch that %s", async (_what, state) => {
    livy().setState(0, state);
    const result = await h.call(ACTIVITY.getStepStatus, probe());
    expect(result).not.toHaveProperty("submitted");
    expect(livy().callsTo("submitBatch")).toHaveLength(1); // the upstream batch only
  });

  it("submits nothing when its finish part failed (finishStep follows, then the next round submits)", async () => {
    livy().setState(0, "success");
    livy().failNext("getBatchLog", new JobflowError("TransientError", "livy: Service Unavailable (HTTP 503)", { statusCode: 503 }));
    expect(await h.call(ACTIVITY.getStepStatus, probe())).toEqual({ state: "success" });
    expect(livy().callsTo("submitBatch")).toHaveLength(1);
  });

  it("a submit failure stops the plan there and never fails the probe; submitStep then submits that attempt once", async () => {
    livy().setState(0, "success");
    livy().failNext("submitBatch", new JobflowError("TransientError", "livy: Service Unavailable (HTTP 503)", { statusCode: 503 }));
    const result = await h.call(ACTIVITY.getStepStatus, probe({ save }));
    expect(result).toEqual({ state: "success", finished: { logBlob: "job-1/a/attempt-1.log" }, saved: true });
    const b = { jobId: "job-1", clusterName: "jf-c1", profileName: "default", step: sparkStep({ id: "b", name: "b" }), attempt: 1, data };
    expect(await h.call(ACTIVITY.submitStep, b)).toEqual({ batchId: 1 });
    expect(await h.call(ACTIVITY.submitStep, b)).toEqual({ batchId: 1 }); // retried: the same batch
  });

  it("a follow-up refused for good (secret out of scope) is not submitted and does not fail the probe", async () => {
    livy().setState(0, "success");
    const refused = probe();
    refused.thenSubmit!.data = { s3a: { ...data.s3a!, credentialsSecret: "cluster-gateway-password" } };
    expect(await h.call(ACTIVITY.getStepStatus, refused)).toEqual({ state: "success", finished: { logBlob: "job-1/a/attempt-1.log" } });
    expect(livy().callsTo("submitBatch")).toHaveLength(1);
  });

  it("posts follow-ups without a lookup first (only the run that deleted the upstream batch gets there)", async () => {
    livy().setState(0, "success");
    await h.call(ACTIVITY.getStepStatus, probe());
    expect(livy().callsTo("listBatches")).toEqual([]);
    expect(livy().callsTo("submitBatch")).toHaveLength(3);
  });

  it("a re-run that finds the upstream batch gone reports the follow-ups an earlier run submitted, submitting nothing", async () => {
    livy().setState(0, "success");
    const first = await h.call(ACTIVITY.getStepStatus, probe());
    expect(first).toMatchObject({ submitted: [{ stepId: "b" }, { stepId: "c" }] });
    // Its answer lost (host crash), the same probe runs again: the batch is deleted; b and c are found by name.
    expect(await h.call(ACTIVITY.getStepStatus, probe())).toEqual({
      state: "missing",
      submitted: [
        { stepId: "b", attempt: 1, batchId: 1 },
        { stepId: "c", attempt: 2, batchId: 2 },
      ],
    });
    expect(livy().callsTo("submitBatch")).toHaveLength(3);
    // A missing batch without a plan lists nothing.
    await h.call(ACTIVITY.getStepStatus, probe({ thenSubmit: undefined }));
    expect(livy().callsTo("listBatches")).toHaveLength(1);
  });

  it("a follow-up with the carried profile part (name, S3A; the probe's gateway) reads no profile and builds submitStep's request", async () => {
    const full = await h.deps.profile("default");
    expect(full.s3a).toBeDefined();
    h.profileReads.length = 0;
    livy().setState(0, "success");
    const step = sparkStep({ id: "b", name: "b", file: "s3a://bucket/b.py", dependsOn: ["a"] });
    const plan = { data, profile: { name: full.name, s3a: full.s3a }, steps: [{ step: compactFollowUpStep(step), attempt: 1 }] };
    expect(await h.call(ACTIVITY.getStepStatus, probe({ gateway: full.gateway, thenSubmit: plan }))).toMatchObject({
      submitted: [{ stepId: "b", attempt: 1, batchId: 1 }],
    });
    expect(h.profileReads.filter((r) => r !== "catalog")).toEqual([]);
    const submit = { jobId: "job-2", clusterName: "jf-c1", profileName: "default", step, attempt: 1, data, profile: full };
    expect(await h.call(ACTIVITY.submitStep, submit)).toEqual({ batchId: 2 });
    const { name: _a, ...followUp } = livy().requestOf(1)!;
    const { name: _b, ...submitted } = livy().requestOf(2)!;
    expect(followUp).toEqual(submitted);
    expect(followUp.conf?.["spark.hadoop.fs.s3a.secret.key"]).toBe(S3_SECRET_KEY);
  });
});
