// Step activities through the factory on the cloud fakes: the Livy submit with the job's S3A secret resolved at the
// last moment (scope checked again, fixed messages, nothing secret in results), retry idempotency, status and log
// copy, and the classification of Livy's refusals.
import { beforeEach, describe, expect, it } from "vitest";
import { JobflowError } from "../../../shared/errors";
import type { JobSpec } from "../../../shared/model/job";
import { ACTIVITY, type SubmitStepInput } from "../../../shared/workflow/activities";
import { sparkStep } from "../builders/fixtures";
import { GATEWAY_PASSWORD, S3_SECRET_KEY, activityHarness } from "./harness";

const s3aData = (credentialsSecret: string): JobSpec["data"] => ({
  s3a: { endpoint: "https://s3.example.net", region: "eu-west-1", pathStyleAccess: true, credentialsSecret, buckets: [] },
});

const submitInput = (overrides: Partial<SubmitStepInput> = {}): SubmitStepInput => ({
  jobId: "job-1",
  clusterName: "jf-c1",
  profileName: "default",
  step: sparkStep({ file: "s3a://bucket/report.py" }),
  attempt: 1,
  data: s3aData("s3-readonly"),
  ...overrides,
});

describe("step activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
    h.cloud.clusters.put({ name: "jf-c1" });
  });

  it("submitStep resolves the job's S3A secret into the Livy request only; the result is the batch id", async () => {
    const result = await h.call(ACTIVITY.submitStep, submitInput());
    expect(result).toEqual({ batchId: 0 });
    const sent = h.cloud.livy("jf-c1").requestOf(0);
    expect(sent?.conf?.["spark.hadoop.fs.s3a.secret.key"]).toBe(S3_SECRET_KEY);
    expect(sent?.name).toBe("job-1-ingest-1");
  });

  it("a submit carrying the job's effective profile reads no profile (resolved once, at submit)", async () => {
    const profile = await h.deps.profile("default");
    h.profileReads.length = 0;
    expect(await h.call(ACTIVITY.submitStep, submitInput({ profile }))).toEqual({ batchId: 0 });
    // (The catalog itself is read for the secret-scope check: which names are platform secrets.)
    expect(h.profileReads.filter((r) => r !== "catalog")).toEqual([]);
    expect(h.cloud.livy("jf-c1").requestOf(0)?.conf?.["spark.hadoop.fs.s3a.secret.key"]).toBe(S3_SECRET_KEY);
    // Without it (inputs of older code) the profile is read by name.
    await h.call(ACTIVITY.submitStep, submitInput({ attempt: 2 }));
    expect(h.profileReads.filter((r) => r !== "catalog")).toEqual(["default"]);
  });

  it("a retried submit finds the batch of the same attempt instead of starting a second one", async () => {
    await h.call(ACTIVITY.submitStep, submitInput());
    expect(await h.call(ACTIVITY.submitStep, submitInput())).toEqual({ batchId: 0 });
    expect(h.cloud.livy("jf-c1").callsTo("submitBatch")).toHaveLength(1);
  });

  it("a job referencing a platform secret is refused before any read (permanent, fixed message)", async () => {
    const result = await h.call(ACTIVITY.submitStep, submitInput({ data: s3aData("cluster-gateway-password") }));
    expect(result).toMatchObject({ activityFailure: { kind: "permanent", errorName: "ValidationError" } });
    expect(h.cloud.secrets.callsTo("getSecret")).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(GATEWAY_PASSWORD);
    expect(h.cloud.livy("jf-c1").callsTo("submitBatch")).toEqual([]);
  });

  it("a malformed secret fails naming the secret and the expected shape, never its value", async () => {
    h.cloud.secrets.set("s3-broken", `not json ${S3_SECRET_KEY}`);
    const result = await h.call(ACTIVITY.submitStep, submitInput({ data: s3aData("s3-broken") }));
    expect(result).toMatchObject({
      activityFailure: { kind: "permanent", message: expect.stringContaining("secret 's3-broken' is not a JSON object") },
    });
    expect(JSON.stringify(result)).not.toContain(S3_SECRET_KEY);
  });

  it("a secret store outage is transient (thrown for retry) and says which secret, not the store's message", async () => {
    h.cloud.secrets.failNext("getSecret", new JobflowError("TransientError", "vault said: connection reset"));
    await expect(h.call(ACTIVITY.submitStep, submitInput())).rejects.toMatchObject({
      name: "TransientError",
      message: "[transient] secret 's3-readonly' could not be read (TransientError)",
    });
  });

  it("Livy refusing the login (401) is permanent; Livy busy (503) is transient", async () => {
    const livy = h.cloud.livy("jf-c1");
    livy.failNext("submitBatch", new JobflowError("AuthError", "livy: Unauthorized (HTTP 401)", { statusCode: 401 }));
    expect(await h.call(ACTIVITY.submitStep, submitInput())).toMatchObject({ activityFailure: { kind: "permanent", statusCode: 401 } });
    livy.failNext("submitBatch", new JobflowError("TransientError", "livy: Service Unavailable (HTTP 503)", { statusCode: 503 }));
    await expect(h.call(ACTIVITY.submitStep, submitInput())).rejects.toThrow(/^\[transient\] /);
  });

  it("getStepStatus reports Livy's state and app id; an unknown batch on a vanished cluster says the cluster is gone", async () => {
    await h.call(ACTIVITY.submitStep, submitInput());
    h.cloud.livy("jf-c1").setState(0, "running", "application_1_0001");
    expect(await h.call(ACTIVITY.getStepStatus, { clusterName: "jf-c1", profileName: "default", batchId: 0 })).toEqual({
      state: "running",
      appId: "application_1_0001",
    });
    expect(await h.call(ACTIVITY.getStepStatus, { clusterName: "jf-c1", profileName: "default", batchId: 9 })).toEqual({
      state: "missing",
    });
    h.cloud.clusters.finishDelete("jf-c1");
    expect(await h.call(ACTIVITY.getStepStatus, { clusterName: "jf-c1", profileName: "default", batchId: 9 })).toEqual({
      state: "missing",
      clusterGone: true,
    });
  });

  it("getStepStatus asked to finish an ended batch copies its log and deletes it; an active one is only probed", async () => {
    await h.call(ACTIVITY.submitStep, submitInput());
    const livy = h.cloud.livy("jf-c1");
    livy.setLog(0, ["a", "b"]);
    const probe = {
      clusterName: "jf-c1",
      profileName: "default",
      batchId: 0,
      finishIfEnded: { jobId: "job-1", stepId: "ingest", attempt: 1 },
    };
    livy.setState(0, "running", "application_1_0001");
    expect(await h.call(ACTIVITY.getStepStatus, probe)).toEqual({ state: "running", appId: "application_1_0001" });
    expect(await livy.getBatch(0)).toBeDefined();
    livy.setState(0, "success", "application_1_0001");
    expect(await h.call(ACTIVITY.getStepStatus, probe)).toEqual({
      state: "success",
      appId: "application_1_0001",
      finished: { logBlob: "job-1/ingest/attempt-1.log" },
    });
    expect(await h.cloud.blobs.getText(h.config.containers.logs, "job-1/ingest/attempt-1.log")).toBe("a\nb\n");
    expect(await livy.getBatch(0)).toBeUndefined();
  });

  it("getStepStatus whose finish part fails still reports the ended state, without `finished` (finishStep follows)", async () => {
    await h.call(ACTIVITY.submitStep, submitInput());
    const livy = h.cloud.livy("jf-c1");
    livy.setState(0, "dead", "application_1_0001");
    livy.failNext("getBatchLog", new JobflowError("TransientError", "livy: Service Unavailable (HTTP 503)", { statusCode: 503 }));
    const probe = {
      clusterName: "jf-c1",
      profileName: "default",
      batchId: 0,
      finishIfEnded: { jobId: "job-1", stepId: "ingest", attempt: 1 },
    };
    expect(await h.call(ACTIVITY.getStepStatus, probe)).toEqual({ state: "dead", appId: "application_1_0001" });
    expect(await livy.getBatch(0)).toBeDefined();
  });

  it("finishStep copies every log page to Blob and then deletes the batch", async () => {
    await h.call(ACTIVITY.submitStep, submitInput());
    const lines = Array.from({ length: 2500 }, (_, i) => `line ${i}`);
    h.cloud.livy("jf-c1").setLog(0, lines);
    const result = await h.call(ACTIVITY.finishStep, {
      jobId: "job-1",
      clusterName: "jf-c1",
      profileName: "default",
      stepId: "ingest",
      attempt: 1,
      batchId: 0,
    });
    expect(result).toEqual({ logBlob: "job-1/ingest/attempt-1.log", lines: 2500 });
    expect(await h.cloud.blobs.getText(h.config.containers.logs, "job-1/ingest/attempt-1.log")).toBe(lines.join("\n") + "\n");
    expect(h.cloud.livy("jf-c1").callsTo("getBatchLog")).toHaveLength(3);
    expect(await h.cloud.livy("jf-c1").getBatch(0)).toBeUndefined();
    // Finished again (a retry after the DELETE, or a kill after the probe finished it): the copied log is kept.
    const again = { jobId: "job-1", clusterName: "jf-c1", profileName: "default", stepId: "ingest", attempt: 1, batchId: 0 };
    expect(await h.call(ACTIVITY.finishStep, again)).toEqual({ logBlob: "job-1/ingest/attempt-1.log", lines: 0 });
    expect(await h.cloud.blobs.getText(h.config.containers.logs, "job-1/ingest/attempt-1.log")).toBe(lines.join("\n") + "\n");
    // A batch Livy never knew still gets its (empty) log blob.
    expect(await h.call(ACTIVITY.finishStep, { ...again, stepId: "other", batchId: 42 })).toEqual({
      logBlob: "job-1/other/attempt-1.log",
      lines: 0,
    });
    expect(await h.cloud.blobs.getText(h.config.containers.logs, "job-1/other/attempt-1.log")).toBe("");
  });
});
