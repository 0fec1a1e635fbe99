// Keep-warm activities through the factory on the cloud fakes: an idle cluster opens its profile's idle gap, the
// next arrival (findWarmCluster) closes it and nextKnownDemand reports it; each keep-warm decision is audited in the
// audit container, newest first.
import { beforeEach, describe, expect, it } from "vitest";
import { ACTIVITY } from "../../../shared/workflow/activities";
import type { KeepWarmAuditRecord } from "../../../shared/workflow/clusterDeciderTypes";
import { activityHarness } from "./harness";

describe("keep-warm activities", () => {
  let h: ReturnType<typeof activityHarness>;
  beforeEach(() => {
    h = activityHarness();
  });

  it("idle → next arrival is one idle gap of the profile; no schedule means no known demand", async () => {
    expect(await h.call(ACTIVITY.nextKnownDemand, { profileHash: "p1" })).toEqual({ idleGapsMs: [] }); // opens the gap
    h.cloud.clock.advance(7 * 60_000);
    await h.call(ACTIVITY.findWarmCluster, { profileHash: "p1", minRemainingMinutes: 30 }); // an arrival closes it
    expect(await h.call(ACTIVITY.nextKnownDemand, { profileHash: "p1" })).toEqual({ idleGapsMs: [7 * 60_000] });
    expect(await h.call(ACTIVITY.nextKnownDemand, { profileHash: "p2" })).toEqual({ idleGapsMs: [] });
  });

  it("a failed demand-history write never fails the job's warm-cluster lookup", async () => {
    await h.call(ACTIVITY.nextKnownDemand, { profileHash: "p1" });
    h.cloud.blobs.failNext("putJson", new Error("storage down"));
    expect(await h.call(ACTIVITY.findWarmCluster, { profileHash: "p1", minRemainingMinutes: 30 })).toEqual({});
  });

  it("recordKeepWarmDecision writes the audit record under keep-warm/decisions/, newest first", async () => {
    const record = (decidedAt: string): KeepWarmAuditRecord => ({
      clusterName: "jf-c1",
      profileHash: "p1",
      decidedAt,
      idleSince: decidedAt,
      policy: "breakEven",
      action: "keep",
      reason: "next demand soon",
      breakEvenMinutes: 12,
      keepWarmMinutes: 15,
      recentIdleGapsMinutes: [5],
      timings: {
        provisioning: { p50Ms: 1, p90Ms: 2, samples: 0, source: "default" },
        deletion: { p50Ms: 1, p90Ms: 2, samples: 0, source: "default" },
      } as KeepWarmAuditRecord["timings"],
    });
    expect(await h.call(ACTIVITY.recordKeepWarmDecision, record("2026-01-01T00:00:00.000Z"))).toEqual({ recorded: true });
    await h.call(ACTIVITY.recordKeepWarmDecision, record("2026-01-01T01:00:00.000Z"));
    const names = h.cloud.blobs.names(h.config.containers.audit, "keep-warm/decisions/");
    expect(names).toHaveLength(2);
    expect((await h.cloud.blobs.getJson<KeepWarmAuditRecord>(h.config.containers.audit, names[0] as string))?.value.decidedAt).toBe(
      "2026-01-01T01:00:00.000Z",
    );
  });
});
