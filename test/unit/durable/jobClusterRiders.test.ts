// The job's record saves riding on its cluster calls (orchestrations/jobCluster.ts), replayed by the durable-functions
// SDK on the local engine with in-memory activities: the started save rides on acquireCluster and goes on its own —
// at once, before the wait for the cluster — only when the ride failed; the final save rides on the release and the
// caller learns whether it was written. The acquisition and the release are each called once either way.
import { describe, expect, it } from "vitest";
import type { OrchestrationContext } from "durable-functions";
import { acquireCluster, releaseCluster, type NoticeBox } from "../../../orchestrations/jobCluster";
import { EVENT } from "../../../shared/workflow/activities";
import type { JobRunInput } from "../../../shared/workflow/jobRunInput";
import { T0, makeEngine, type OrchestratorFn } from "./helpers";

const save = { record: { id: "j1", state: "acquiringCluster" }, events: [{ type: "jobflow.job.started", subject: "jobs/j1", data: {} }] };
const input = {
  jobId: "j1",
  profileHash: "hash-1",
  submittedAt: new Date(T0).toISOString(),
  job: {
    name: "n",
    tags: {},
    data: {},
    edges: [],
    steps: [],
    cluster: { profile: "default", overrides: {}, reuse: "never", keepWarmMinutes: 0, maxLifetimeMinutes: 240 },
  },
} as unknown as JobRunInput;

/** Acquires (with the riding save), then releases with a riding save; returns what the release answered. */
const acquireThenRelease: OrchestratorFn = function* (context: OrchestrationContext) {
  const notices: NoticeBox = { task: context.df.waitForExternalEvent(EVENT.clusterNotice) };
  const cancel = context.df.waitForExternalEvent(EVENT.cancel);
  const acquired = yield* acquireCluster(context, input, notices, cancel, save as never);
  const saved = yield* releaseCluster(context, acquired.clusterName ?? "", "j1", false, undefined, save as never);
  return { outcome: acquired.outcome, releaseSaved: saved };
};

async function run(rideWorks: boolean) {
  const calls: { name: string; at: number }[] = [];
  const t = await makeEngine(
    { AcquireThenRelease: acquireThenRelease },
    {
      acquireCluster: (i) => {
        calls.push({ name: "acquireCluster", at: t.clock.nowMs() });
        return { clusterName: "jf-j1", joinedWarm: false, ...((i as { save?: unknown }).save ? { saved: rideWorks } : {}) };
      },
      saveJobRecord: (i) => {
        calls.push({ name: "saveJobRecord", at: t.clock.nowMs() });
        expect(i).toEqual(save);
        return { saved: true };
      },
      raiseEventTo: (i) => {
        calls.push({ name: "raiseEventTo", at: t.clock.nowMs() });
        return { raised: true, ...((i as { save?: unknown }).save ? { saved: rideWorks } : {}) };
      },
    },
  );
  await t.engine.startNew("AcquireThenRelease", { instanceId: "j1", inputJson: "null" });
  await t.engine.runUntilIdle({ maxVirtualMs: 60_000 });
  const beforeNotice = calls.map((c) => c.name);
  await t.engine.raiseEvent("j1", EVENT.clusterNotice, JSON.stringify({ type: "ready", clusterName: "jf-j1" }));
  await t.engine.runUntilIdle({ maxVirtualMs: 60_000 });
  const record = t.engine.getInstance("j1");
  return {
    beforeNotice,
    calls: calls.map((c) => c.name),
    output: JSON.parse(record?.output ?? "null") as unknown,
    status: record?.runtimeStatus,
  };
}

describe("record saves riding on the job's cluster calls", () => {
  it("rides that work: one acquireCluster, one raiseEventTo, no saveJobRecord", async () => {
    const r = await run(true);
    expect(r.status).toBe("Completed");
    expect(r.calls).toEqual(["acquireCluster", "raiseEventTo"]);
    expect(r.output).toEqual({ outcome: "ready", releaseSaved: true });
  });

  it("rides that fail: the started save on its own before the cluster is ready; the release says it was not saved", async () => {
    const r = await run(false);
    expect(r.status).toBe("Completed");
    expect(r.beforeNotice).toEqual(["acquireCluster", "saveJobRecord"]); // not left until the cluster is ready
    expect(r.calls).toEqual(["acquireCluster", "saveJobRecord", "raiseEventTo"]); // each call once
    expect(r.output).toEqual({ outcome: "ready", releaseSaved: false }); // jobRun then saves on its own
  });
});
