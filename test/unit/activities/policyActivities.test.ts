// Policy activities (webhooks, leases, schedules, backfills) through the factory on the cloud fakes: refused webhook
// targets cost no secret read, secrets appear by name only, schedule occurrences submit through the POST /jobs path
// once and are recorded and announced.
import { beforeEach, describe, expect, it } from "vitest";
import type { ScheduleRecord } from "../../../functions/policies/scheduleStore";
import { ACTIVITY, ORCHESTRATION } from "../../../shared/workflow/activities";
import { GATEWAY_PASSWORD, SSH_PASSWORD, activityHarness } from "./harness";

const post = (url: string, secretName = "jobflow-notify") => ({
  url,
  body: { hello: "world" },
  secretName,
  signer: "jobflow",
  deliveryId: "d-1",
});

describe("webhook activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("a refused target (private address, plain http) costs no secret read and is not thrown", async () => {
    for (const url of ["https://127.0.0.1/hook", "http://example.com/hook", "https://169.254.169.254/latest/meta-data"]) {
      expect(await h.call(ACTIVITY.postSignedWebhook, post(url))).toMatchObject({
        ok: false,
        kind: "permanent",
        error: expect.stringMatching(/^refused webhook target: /),
      });
    }
    expect(h.cloud.secrets.calls).toEqual([]);
  });

  it("an unreadable signing secret is reported by name and error kind only", async () => {
    const result = await h.call(ACTIVITY.postSignedWebhook, post("https://hooks.example.com/x", "webhook-missing"));
    expect(result).toEqual({ ok: false, error: "signing secret 'webhook-missing' unavailable: NotFoundError", kind: "notFound" });
  });

  it("startWebhookDelivery starts the delivery once per instance id", async () => {
    const input = { instanceId: "wh-1", input: { post: post("https://hooks.example.com/x"), maxAttempts: 3, subject: "jobs/job-1" } };
    expect(await h.call(ACTIVITY.startWebhookDelivery, input)).toEqual({ instanceId: "wh-1", started: true });
    expect(await h.call(ACTIVITY.startWebhookDelivery, input)).toEqual({ instanceId: "wh-1", started: false });
    expect(h.durable.started.map((s) => s.name)).toEqual([ORCHESTRATION.webhookDelivery]);
  });
});

describe("lease activities", () => {
  it("getLeaseEndpoints names the secrets, never their values", async () => {
    const h = activityHarness();
    h.cloud.clusters.put({ name: "jf-c1" });
    const endpoints = await h.call(ACTIVITY.getLeaseEndpoints, { clusterName: "jf-c1", profileName: "default" });
    expect(endpoints).toMatchObject({
      clusterName: "jf-c1",
      gateway: { username: "admin", passwordSecretName: "cluster-gateway-password" },
      ssh: { passwordSecretName: "cluster-ssh-password" },
      sshHost: "jf-c1-ssh.azurehdinsight.net",
    });
    expect(JSON.stringify(endpoints)).not.toContain(GATEWAY_PASSWORD);
    expect(JSON.stringify(endpoints)).not.toContain(SSH_PASSWORD);
    expect(h.cloud.secrets.calls).toEqual([]);
    // Classified: a missing cluster comes back as a not-found value at once (the lease fails and releases it).
    expect(await h.call(ACTIVITY.getLeaseEndpoints, { clusterName: "nope", profileName: "default" })).toMatchObject({
      activityFailure: { kind: "notFound", message: "cluster nope does not exist" },
    });
  });
});

describe("schedule activities", () => {
  let h: ReturnType<typeof activityHarness>;
  const schedule = (state: ScheduleRecord["state"]): ScheduleRecord => ({
    id: "nightly",
    cron: "0 2 * * *",
    timezone: "UTC",
    job: { name: "nightly", steps: [] },
    parameters: { region: "eu" },
    state,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    runs: [],
  });
  const stored = async (): Promise<ScheduleRecord | undefined> =>
    (await h.cloud.blobs.getJson<ScheduleRecord>(h.config.containers.jobs, "schedules/nightly.json"))?.value;
  beforeEach(async () => {
    h = activityHarness();
    await h.cloud.blobs.putJson(h.config.containers.jobs, "schedules/nightly.json", schedule("active"));
  });

  it("getScheduleState and nextScheduleOccurrence read the record and the cron", async () => {
    expect(await h.call(ACTIVITY.getScheduleState, { scheduleId: "nightly" })).toMatchObject({
      exists: true,
      paused: false,
      cron: "0 2 * * *",
      timezone: "UTC",
    });
    expect(await h.call(ACTIVITY.getScheduleState, { scheduleId: "gone" })).toEqual({ exists: false, paused: false });
    expect(
      await h.call(ACTIVITY.nextScheduleOccurrence, { cron: "0 2 * * *", timezone: "UTC", after: "2026-01-01T03:00:00.000Z" }),
    ).toEqual({ next: "2026-01-02T02:00:00.000Z" });
  });

  it("runScheduleOccurrence submits once with the occurrence's idempotency key, records the run and announces it", async () => {
    const occurrence = "2026-01-02T02:00:00.000Z";
    expect(await h.call(ACTIVITY.runScheduleOccurrence, { scheduleId: "nightly", occurrence })).toEqual({
      outcome: "submitted",
      jobId: "job-1",
    });
    expect(h.submitted).toHaveLength(1);
    expect(h.submitted[0]?.body).toMatchObject({ idempotencyKey: `nightly@${occurrence}` });
    expect(h.submitted[0]?.options).toMatchObject({
      parameters: { region: "eu" },
      run: { kind: "scheduled", dataIntervalEnd: occurrence },
    });
    // A retried activity records the run once.
    await h.call(ACTIVITY.runScheduleOccurrence, { scheduleId: "nightly", occurrence });
    expect((await stored())?.runs).toEqual([{ occurrence, outcome: "submitted", jobId: "job-1", at: "2026-01-01T00:00:00.000Z" }]);
    expect(h.cloud.events.types()).toEqual(["jobflow.schedule.fired", "jobflow.schedule.fired"]);
  });

  it("skips while the previous run still goes, and when paused; an invalid job is a failed run with its problems", async () => {
    h.durable.put({ instanceId: "job-prev", name: ORCHESTRATION.jobRun, runtimeStatus: "Running" });
    expect(
      await h.call(ACTIVITY.runScheduleOccurrence, {
        scheduleId: "nightly",
        occurrence: "2026-01-02T02:00:00.000Z",
        lastJobId: "job-prev",
      }),
    ).toEqual({ outcome: "skipped", reason: "previous run job-prev is still going", runningJobId: "job-prev" });
    h.answerNextSubmit({ ok: false, problems: [{ pointer: "/steps", message: "must have at least 1 item" }] });
    expect(await h.call(ACTIVITY.runScheduleOccurrence, { scheduleId: "nightly", occurrence: "2026-01-03T02:00:00.000Z" })).toEqual({
      outcome: "failed",
      reason: "/steps: must have at least 1 item",
    });
    await h.cloud.blobs.putJson(h.config.containers.jobs, "schedules/nightly.json", schedule("paused"));
    expect(await h.call(ACTIVITY.runScheduleOccurrence, { scheduleId: "nightly", occurrence: "2026-01-04T02:00:00.000Z" })).toEqual({
      outcome: "skipped",
      reason: "schedule paused",
    });
    expect(h.submitted).toHaveLength(1);
  });

  it("submitScheduleRun (backfills) joins warm clusters and getJobStates reads the records", async () => {
    const result = await h.call(ACTIVITY.submitScheduleRun, {
      scheduleId: "nightly",
      kind: "backfill",
      logicalDate: "2026-01-01T02:00:00.000Z",
      dataIntervalEnd: "2026-01-02T02:00:00.000Z",
      shareWarm: { minKeepWarmMinutes: 20 },
    });
    expect(result).toEqual({ outcome: "submitted", jobId: "job-1", duplicate: false });
    expect(h.submitted[0]?.body).toMatchObject({
      cluster: { reuse: "warm", keepWarmMinutes: 20 },
      idempotencyKey: "nightly@2026-01-02T02:00:00.000Z",
    });
    expect(await h.call(ACTIVITY.getJobStates, { jobIds: ["job-1"] })).toEqual({ "job-1": "queued" });
  });
});
