import { describe, expect, it } from "vitest";
import { ApiError, type ClusterRow } from "../../../cli/apiClient";
import { memoryOutput } from "../../../cli/output";
import { ProgressView, ServerTimeEstimator } from "../../../cli/progress";
import { waitForJob } from "../../../cli/waitForJob";
import type { Clock } from "../../../shared/clock";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { scriptedLife } from "./jobRecords";

/** A clock whose sleep returns at once and moves time forward (the poll loop never really waits). */
function steppingClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    nowMs: () => now,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** A fake of our API: answers getJob from a script (errors are thrown), counts cluster list probes. */
function scriptedApi(answers: (JobRecord | Error)[], clusterState = "Accepted") {
  let i = 0;
  const calls = { getJob: 0, listClusters: 0 };
  return {
    calls,
    async getJob(): Promise<JobRecord> {
      calls.getJob++;
      const a = answers[Math.min(i++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
    async listClusters(): Promise<ClusterRow[]> {
      calls.listClusters++;
      return [{ name: "jf-j-1", managed: true, provisioningState: "InProgress", clusterState, tags: {}, lifecycle: null }];
    },
  };
}

describe("waitForJob", () => {
  it("polls at the interval until a terminal state and feeds every read to the view", async () => {
    const life = scriptedLife("j-1", "succeeded");
    const api = scriptedApi(life);
    const clock = steppingClock();
    const out = memoryOutput();
    const final = await waitForJob("j-1", {
      api,
      clock,
      intervalInMs: 500,
      view: new ProgressView(out),
      estimator: new ServerTimeEstimator(clock, 60, false),
    });
    expect(final.state).toBe("succeeded");
    expect(api.calls.getJob).toBe(life.length);
    expect(clock.slept).toEqual(Array(life.length - 1).fill(500));
    expect(out.stdout.at(-1)).toBe("2026-11-21 02:33:00Z  cluster jf-j-1 released");
  });

  it("probes the cluster list while provisioning, at most once per probe interval", async () => {
    const life = scriptedLife("j-1", "succeeded");
    const provisioning = Array(6).fill(life[1]);
    const api = scriptedApi([life[0], ...provisioning, life[4]], "HdInsightConfiguration");
    const out = memoryOutput();
    const clock = steppingClock();
    await waitForJob("j-1", {
      api,
      clock,
      intervalInMs: 1000,
      clusterProbeIntervalInMs: 3000,
      view: new ProgressView(out),
      estimator: new ServerTimeEstimator(clock, 1, true),
    });
    expect(api.calls.listClusters).toBe(2); // 6 provisioning reads 1 s apart, one probe per 3 s
    expect(out.stdout).toContain("2026-11-21 02:01:00Z  cluster jf-j-1 provisioning (HdInsightConfiguration)");
  });

  it("rides out transient failures (unreachable, 503) but gives up after too many in a row", async () => {
    const life = scriptedLife("j-1", "failed");
    const ok = await waitForJob("j-1", {
      api: scriptedApi([life[0], new ApiError(0, "cannot reach"), new ApiError(503, "Throttled"), life[4]]),
      clock: steppingClock(),
      intervalInMs: 10,
      estimator: new ServerTimeEstimator(steppingClock(), 1, true),
    });
    expect(ok.state).toBe("failed");
    const down = waitForJob("j-1", {
      api: scriptedApi([new ApiError(0, "cannot reach")]),
      clock: steppingClock(),
      intervalInMs: 10,
      maxConsecutiveErrors: 3,
      estimator: new ServerTimeEstimator(steppingClock(), 1, true),
    });
    await expect(down).rejects.toMatchObject({ name: "ApiError", status: 0 });
  });

  it("stops at once on a non-transient error such as 404", async () => {
    const api = scriptedApi([new ApiError(404, "Not found", "no job 'j-9'")]);
    await expect(
      waitForJob("j-9", { api, clock: steppingClock(), intervalInMs: 10, estimator: new ServerTimeEstimator(steppingClock(), 1, true) }),
    ).rejects.toMatchObject({ status: 404 });
    expect(api.calls.getJob).toBe(1);
  });
});
