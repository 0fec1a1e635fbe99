// Issue 11 §4: releases must not be lost when many warm jobs share one cluster. Warm jobs on one profile are
// submitted in bursts; every one ends, no holder is left behind, and the cluster is deleted within keep-warm + one
// reconcile poll of the last release (before the fix, a few releases were lost and the cluster stayed up).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, ms, useStackPerFile } from "./jobHelpers";
import type { JobRecord } from "../../../shared/workflow/jobRecord";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const BURSTS = 4;
/** 48 jobs in the suite (≈1 min on the 2-core box); JOBFLOW_BURST_JOBS=100 runs the full scenario (≈2 min). */
const PER_BURST = Math.ceil(Math.max(40, Number(process.env.JOBFLOW_BURST_JOBS ?? 48) || 48) / BURSTS);
const KEEP_WARM_MINUTES = 1;
/** The cluster orchestration's holder reconcile interval (orchestrations/clusterLifecycle.ts). */
const RECONCILE_MINUTES = 10;

describe("warm jobs in bursts on one profile", () => {
  it(`${BURSTS * PER_BURST} jobs all end, every release arrives, the cluster goes after keep-warm`, async () => {
    const cluster = { profile: "default", reuse: "warm", keepWarmMinutes: KEEP_WARM_MINUTES };
    const ids: string[] = [];
    for (let b = 0; b < BURSTS; b++) {
      const burst = await Promise.all(
        Array.from({ length: PER_BURST }, (_, i) => stack.submit(jobDoc(`burst-${b}-${i}`, [{ id: "s", seconds: 60 }], { cluster }))),
      );
      ids.push(...burst);
      // Let the burst reach its cluster before the next one (later bursts join it warm).
      await stack.runUntil(async () => (await clusters(stack)).length > 0, { what: "a cluster requested" });
      await stack.host.engine?.waitForIdle();
    }
    const records: JobRecord[] = [];
    for (const id of ids) records.push(await finish(stack, id));
    expect(records.map((r) => r.state).filter((s) => s !== "succeeded")).toEqual([]);

    const names = [...new Set(records.map((r) => r.cluster.name as string))];
    const lastRelease = Math.max(...records.map((r) => ms(r.cluster.releasedAt)));
    // Run until every cluster these jobs used is gone (the after-each check also insists on it).
    await stack.runUntil(async () => (await clusters(stack)).every((c) => !names.includes(c.name)), {
      what: "burst clusters deleted",
      maxVirtualMs: (KEEP_WARM_MINUTES + RECONCILE_MINUTES + 30) * 60_000,
    });
    const deletes = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((x) => x.method === "DELETE" && names.some((n) => x.path.endsWith(`/clusters/${n}`)));
    const lastDelete = Math.max(...deletes.map((d) => d.atMs));
    expect(lastDelete - lastRelease).toBeLessThanOrEqual((KEEP_WARM_MINUTES + RECONCILE_MINUTES) * 60_000);
    // Every release arrived by itself: the reconcile backstop had nothing to repair.
    expect(stack.events().filter((e) => e.type === "jobflow.cluster.holderReconciled")).toEqual([]);
  }, 600_000);
});

describe("holder reconciliation", () => {
  it("a holder whose orchestration ended without releasing is released, with an event, and the cluster goes", async () => {
    const cluster = { profile: "default", reuse: "warm", keepWarmMinutes: KEEP_WARM_MINUTES };
    const keeper = await stack.submit(jobDoc("keeper", [{ id: "s", seconds: 1800 }], { cluster }));
    const lost = await stack.submit(jobDoc("lost", [{ id: "s", seconds: 60 }], { cluster }));
    await stack.runUntil(async () => (await stack.job(lost)).state === "running", { what: "second job running" });
    // The job's orchestration ends abruptly (as if its release had been lost): it never releases the cluster.
    await stack.host.engine?.terminate(lost, "test: release lost");
    const keeperRecord = await finish(stack, keeper);
    const name = keeperRecord.cluster.name as string;
    await stack.runUntil(
      () => stack.events().some((e) => e.type === "jobflow.cluster.holderReconciled" && e.subject === `clusters/${name}`),
      { what: "holder reconciled" },
    );
    const event = stack.events().find((e) => e.type === "jobflow.cluster.holderReconciled" && e.subject === `clusters/${name}`);
    expect(event?.data).toMatchObject({ clusterName: name, holder: lost });
    await stack.runUntil(async () => (await clusters(stack)).every((c) => c.name !== name), {
      what: "cluster deleted",
      maxVirtualMs: 60 * 60_000,
    });
  }, 300_000);
});
