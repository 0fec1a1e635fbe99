// Schedule warm-up activities through the factory on the cloud fakes: the warm-up's cluster is derived from the
// schedule's job exactly as its occurrence will be submitted (same profile hash), warm-ups are upserted in the
// schedule record, and a claim is read from the cluster orchestration's holders.
import { beforeEach, describe, expect, it } from "vitest";
import type { ScheduleRecord } from "../../../functions/policies/scheduleStore";
import { ACTIVITY, ORCHESTRATION } from "../../../shared/workflow/activities";
import { activityHarness } from "./harness";

const job = {
  name: "nightly",
  cluster: { profile: "spark-small", reuse: "warm", keepWarmMinutes: 15 },
  steps: [{ id: "count", file: "abfss://code@jobflowlake.dfs.core.windows.net/jobs/count.py" }],
};

describe("schedule warm-up activities", () => {
  let h: ReturnType<typeof activityHarness>;
  const put = (record: Partial<ScheduleRecord>): Promise<string> =>
    h.cloud.blobs.putJson(h.config.containers.jobs, "schedules/nightly.json", {
      id: "nightly",
      cron: "0 2 * * *",
      timezone: "UTC",
      job,
      state: "active",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      runs: [],
      ...record,
    });
  beforeEach(async () => {
    h = activityHarness();
    await put({});
  });

  it("prepareScheduleWarmup derives the occurrence's cluster, tagged as the schedule's warm-up", async () => {
    const prepared = await h.call(ACTIVITY.prepareScheduleWarmup, { scheduleId: "nightly", occurrence: "2026-01-02T02:00:00.000Z" });
    expect(prepared).toMatchObject({
      ok: true,
      profileHash: expect.any(String),
      cluster: { profileName: "spark-small", reuse: "warm", jobTags: { "jobflow-warmup-of": "nightly" } },
    });
    const again = await h.call(ACTIVITY.prepareScheduleWarmup, { scheduleId: "nightly", occurrence: "2026-01-03T02:00:00.000Z" });
    expect((again as { profileHash: string }).profileHash).toBe((prepared as { profileHash: string }).profileHash);
  });

  it("an invalid job or a deleted schedule is not ok, with the reason", async () => {
    await put({ job: { ...job, cluster: { profile: "no-such-profile" } } });
    expect(await h.call(ACTIVITY.prepareScheduleWarmup, { scheduleId: "nightly", occurrence: "2026-01-02T02:00:00.000Z" })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no-such-profile"),
    });
    await put({ state: "deleted" });
    expect(await h.call(ACTIVITY.prepareScheduleWarmup, { scheduleId: "nightly", occurrence: "2026-01-02T02:00:00.000Z" })).toEqual({
      ok: false,
      reason: "schedule deleted",
    });
  });

  it("recordScheduleWarmup upserts the entry of (fireAt, cluster)", async () => {
    const entry = {
      fireAt: "2026-01-02T02:00:00.000Z",
      clusterName: "jf-w1",
      startedAt: "2026-01-02T01:38:00.000Z",
      created: true,
      state: "holding" as const,
    };
    expect(await h.call(ACTIVITY.recordScheduleWarmup, { scheduleId: "nightly", entry })).toEqual({ recorded: true });
    await h.call(ACTIVITY.recordScheduleWarmup, { scheduleId: "nightly", entry: { ...entry, state: "used" } });
    const stored = (await h.cloud.blobs.getJson<ScheduleRecord>(h.config.containers.jobs, "schedules/nightly.json"))?.value;
    expect(stored?.warmups).toEqual([{ ...entry, state: "used" }]);
    expect(await h.call(ACTIVITY.recordScheduleWarmup, { scheduleId: "gone", entry })).toEqual({ recorded: false });
  });

  it("getWarmupClaim: joined once the job holds the live cluster; the cluster gone or the job ended are said", async () => {
    h.durable.put({
      instanceId: "cluster-jf-w1",
      name: ORCHESTRATION.cluster,
      runtimeStatus: "Running",
      customStatus: { holders: ["nightly", "job-1"] },
    });
    h.durable.put({ instanceId: "job-1", name: ORCHESTRATION.jobRun, runtimeStatus: "Running" });
    expect(await h.call(ACTIVITY.getWarmupClaim, { clusterName: "jf-w1", jobId: "job-1" })).toEqual({
      joined: true,
      jobEnded: false,
      clusterGone: false,
    });
    expect(await h.call(ACTIVITY.getWarmupClaim, { clusterName: "jf-w2", jobId: "job-2" })).toEqual({
      joined: false,
      jobEnded: false,
      clusterGone: true,
    });
  });
});
