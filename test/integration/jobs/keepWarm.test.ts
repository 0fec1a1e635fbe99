// Break-even keep-warm on the embedded stack (issue 13): when a warm cluster becomes idle, the orchestration asks
// for its profile's next known demand (a schedule of that profile, created through the API) and keeps it only if
// that demand comes before re-creating would pay off — deleted at once when it is far; kept, and taken by the
// scheduled job, when it is near. Each decision is an event and an audit record with its inputs.
import { describe, expect, it } from "vitest";
import { createBlobStore } from "../../../shared/cloud/azure/blobStore";
import type { KeepWarmAuditRecord } from "../../../shared/workflow/clusterDeciderTypes";
import type { TestStack } from "../../support/stack";
import { clusters, createPuts, finish, jobDoc, ms, record, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const MIN = 60_000;
/** Each test has its own profile hash (a worker count of its own), so one test's schedule is not the other's demand. */
const clusterWith = (workerCount: number) => ({ profile: "default", reuse: "warm", keepWarmMinutes: 60, overrides: { workerCount } });

async function createSchedule(cron: string, job: Record<string, unknown>): Promise<string> {
  // warmup: false — these tests are about the keep-warm rule alone (a warm-up would hold the cluster itself).
  const res = await stack.api("/schedules", { method: "POST", body: JSON.stringify({ cron, timezone: "UTC", job, warmup: false }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function deleteSchedule(id: string): Promise<void> {
  expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBeLessThan(300);
}

function decisions(
  clusterName: string,
): { action: string; reason: string; expectedNextDemand?: { source: string; at: string }; breakEvenMinutes: number }[] {
  return stack
    .events()
    .filter((e) => e.type === "jobflow.cluster.keepWarmDecided" && e.subject === `clusters/${clusterName}`)
    .map((e) => e.data as never);
}

async function auditRecords(clusterName: string): Promise<KeepWarmAuditRecord[]> {
  const blobs = createBlobStore({ connectionString: stack.azurite.connectionString });
  const names = (await blobs.list("audit", "keep-warm/decisions/")).map((b) => b.name).filter((n) => n.endsWith(`-${clusterName}.json`));
  return Promise.all(names.map(async (n) => (await blobs.getJson<KeepWarmAuditRecord>("audit", n))?.value as KeepWarmAuditRecord));
}

describe("break-even keep-warm", () => {
  it("deletes an idle cluster at once when its profile's next known demand is far (a schedule 12 h away)", async () => {
    const cluster = clusterWith(3);
    const scheduleId = await createSchedule("0 20 * * *", jobDoc("nightly", [{ id: "s", seconds: 60 }], { cluster }));
    const r = await finish(stack, await stack.submit(jobDoc("adhoc-far", [{ id: "s", seconds: 60 }], { cluster })));
    expect(r.state).toBe("succeeded");
    const name = r.cluster.name as string;
    await stack.runUntil(async () => (await clusters(stack)).every((c) => c.name !== name), {
      what: "cluster deleted",
      maxVirtualMs: 60 * MIN,
    });
    const del = stack.sandbox.control
      .requests({ component: "arm" })
      .find((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${name}`));
    // Deleted right after the release (an idle check, then the delete): not after keepWarmMinutes (60) nor break-even (25).
    expect((del?.atMs as number) - ms(r.cluster.releasedAt)).toBeLessThan(2 * MIN);
    const [decision] = decisions(name);
    expect(decision).toMatchObject({
      action: "delete",
      breakEvenMinutes: 25,
      expectedNextDemand: { source: scheduleId, at: "2026-11-21T20:00:00.000Z" },
    });
    expect(decision?.reason).toMatch(/beyond break-even/);
    const audits = await auditRecords(name);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: "delete",
      policy: "breakEven",
      keepWarmMinutes: 60,
      expectedNextDemand: { source: scheduleId },
    });
    await deleteSchedule(scheduleId);
  }, 180_000);

  it("keeps an idle cluster for a schedule of its profile firing soon; the scheduled job takes it, nothing is re-created", async () => {
    const cluster = clusterWith(2);
    const putsBefore = createPuts(stack).length;
    const adhoc = await finish(stack, await stack.submit(jobDoc("adhoc-near", [{ id: "s", seconds: 60 }], { cluster })));
    const name = adhoc.cluster.name as string;
    const releasedMs = ms(adhoc.cluster.releasedAt);
    expect(decisions(name)).toHaveLength(1); // idle without known demand: the ad-hoc rule decided (no schedule yet)
    // A schedule of this profile fires 10 minutes from now (whole minutes, UTC).
    const fireMs = Math.ceil((stack.clock.nowMs() + 10 * MIN) / MIN) * MIN;
    const fire = new Date(fireMs);
    const scheduleId = await createSchedule(
      `${fire.getUTCMinutes()} ${fire.getUTCHours()} * * *`,
      jobDoc("soon", [{ id: "s", seconds: 60 }], { cluster }),
    );
    // The ad-hoc keep (25 min) has not ended; a second job makes the cluster idle again, which decides again, now
    // with the schedule known.
    const again = await finish(stack, await stack.submit(jobDoc("adhoc-near-2", [{ id: "s", seconds: 60 }], { cluster })));
    expect(again.cluster).toMatchObject({ name, acquisition: "joined" });
    await stack.runUntil(() => decisions(name).length >= 2, { what: "second decision" });
    const second = decisions(name)[1];
    expect(second).toMatchObject({ action: "keep", expectedNextDemand: { source: scheduleId, at: fire.toISOString() } });
    expect(second?.reason).toMatch(/within break-even/);

    // The schedule fires: its job joins the idle cluster and runs at once.
    await stack.runUntil(
      async () => {
        const runs = ((await (await stack.api(`/schedules/${scheduleId}`)).json()) as { runs: { jobId?: string }[] }).runs;
        return runs.some((x) => x.jobId !== undefined);
      },
      { what: "the schedule fired", maxVirtualMs: 30 * MIN },
    );
    const runs = ((await (await stack.api(`/schedules/${scheduleId}`)).json()) as { runs: { jobId: string }[] }).runs;
    await deleteSchedule(scheduleId);
    const scheduled = await finish(stack, runs[0]?.jobId as string);
    expect(scheduled.state).toBe("succeeded");
    expect(scheduled.cluster).toMatchObject({ name, acquisition: "joined" });
    expect(createPuts(stack).slice(putsBefore)).toEqual([name]);
    // Ready for it at once: the job's cluster was ready within a couple of minutes of the fire time (no create).
    expect(ms((await record(stack, runs[0]?.jobId as string)).cluster.readyAt) - fireMs).toBeLessThan(2 * MIN);
    expect(releasedMs).toBeLessThan(fireMs);
    expect((await auditRecords(name)).map((a) => a.action)).toEqual(expect.arrayContaining(["keep", "keep"]));
  }, 240_000);
});
