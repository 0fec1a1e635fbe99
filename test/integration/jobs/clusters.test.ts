// Cluster policies end to end: warm reuse (two jobs, one cluster, one create PUT; a third after keep-warm expiry
// gets a new cluster) and max lifetime (the cluster is deleted under a running job, which fails with the reason).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, createPuts, expectNoClustersLeft, finish, jobDoc, ms, record, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const warm = { profile: "default", reuse: "warm", keepWarmMinutes: 30 };

describe("warm reuse", () => {
  it("two jobs with the same profile share one cluster; a third after keep-warm expiry gets a new one", async () => {
    const putsBefore = createPuts(stack).length;
    const first = await stack.submit(jobDoc("warm-1", [{ id: "s", seconds: 600 }], { cluster: warm }));
    await stack.runUntil(async () => (await clusters(stack)).length === 1, { what: "first cluster requested" });
    const second = await stack.submit(jobDoc("warm-2", [{ id: "s", seconds: 300 }], { cluster: warm }));
    const [r1, r2] = [await finish(stack, first), await finish(stack, second)];
    expect([r1.state, r2.state]).toEqual(["succeeded", "succeeded"]);
    expect(r2.cluster.name).toBe(r1.cluster.name);
    expect([r1.cluster.acquisition, r2.cluster.acquisition]).toEqual(["created", "joined"]);
    expect(createPuts(stack).slice(putsBefore)).toEqual([r1.cluster.name]);

    // Kept warm after the last job (break-even rule, no known demand: min(break-even 20 + 5 min, keepWarmMinutes 30)),
    // then deleted without a holder.
    const lastRelease = Math.max(ms(r1.cluster.releasedAt), ms(r2.cluster.releasedAt));
    expect((await clusters(stack)).map((c) => c.name)).toEqual([r1.cluster.name]);
    await expectNoClustersLeft(stack);
    const del = stack.sandbox.control
      .requests({ component: "arm" })
      .find((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${r1.cluster.name}`));
    expect((del?.atMs ?? 0) - lastRelease).toBeGreaterThanOrEqual(25 * 60_000);
    expect((del?.atMs ?? 0) - lastRelease).toBeLessThan(30 * 60_000);
    const decided = stack
      .events()
      .filter((e) => e.type === "jobflow.cluster.keepWarmDecided" && e.subject === `clusters/${r1.cluster.name}`);
    expect(decided.map((e) => (e.data as { action: string }).action)).toEqual(["keep"]);

    const third = await stack.submit(jobDoc("warm-3", [{ id: "s", seconds: 60 }], { cluster: warm }));
    const r3 = await finish(stack, third);
    expect(r3.state).toBe("succeeded");
    expect(r3.cluster.acquisition).toBe("created");
    expect(r3.cluster.name).not.toBe(r1.cluster.name);
    expect(createPuts(stack).slice(putsBefore)).toEqual([r1.cluster.name, r3.cluster.name]);
  }, 90_000);
});

describe("warm jobs submitted together", () => {
  it("create one cluster between them, not one each", async () => {
    const putsBefore = createPuts(stack).length;
    const ids = await Promise.all(
      ["burst-1", "burst-2", "burst-3"].map((name) => stack.submit(jobDoc(name, [{ id: "s", seconds: 120 }], { cluster: warm }))),
    );
    const records = [];
    for (const id of ids) records.push(await finish(stack, id));
    expect(records.map((r) => r.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const names = new Set(records.map((r) => r.cluster.name));
    expect(names.size).toBe(1);
    expect(createPuts(stack).slice(putsBefore)).toEqual([...names]);
    expect(records.map((r) => r.cluster.acquisition).sort()).toEqual(["created", "joined", "joined"]);
  }, 60_000);
});

describe("keep-warm expiry", () => {
  it("re-checks idleness: a YARN application running outside Livy keeps the cluster until it ends", async () => {
    // keepWarmPolicy fixed: a 15-minute keep whatever the profile's arrival history says (the rule could delete at once).
    const r = await finish(
      stack,
      await stack.submit(
        jobDoc("busy-after", [{ id: "s", seconds: 60 }], {
          cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 15, keepWarmPolicy: "fixed" },
        }),
      ),
    );
    const name = r.cluster.name as string;
    const app = await sandboxControl<{ id: string }>(stack, "POST", "/gateway/yarn-apps", {
      cluster: name,
      name: "hive-query",
      applicationType: "TEZ",
      durationSeconds: 3600,
    });
    expect(app.status).toBe(201);
    await expectNoClustersLeft(stack);
    const del = stack.sandbox.control
      .requests({ component: "arm" })
      .find((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${name}`));
    // Not at the 15-minute mark: only once the application had ended (an hour after it started).
    expect((del?.atMs ?? 0) - ms(r.cluster.releasedAt)).toBeGreaterThanOrEqual(60 * 60_000);
  }, 60_000);
});

describe("max lifetime", () => {
  it("deletes the cluster under a running job; the job fails with a clear reason", async () => {
    const id = await stack.submit(
      jobDoc(
        "too-long",
        [
          { id: "endless", seconds: 4 * 3600 },
          { id: "never", seconds: 60 },
        ],
        {
          cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0, maxLifetimeMinutes: 60 },
        },
      ),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/maximum lifetime of 60 minutes/);
    const [endless, never] = r.steps;
    expect(endless.state).toBe("failed");
    expect(endless.error).toMatch(/maximum lifetime/);
    expect(never.state).toBe("cancelled");
    // The cluster's delete was requested at its 60-minute mark.
    const name = r.cluster.name as string;
    const put = stack.sandbox.control
      .requests({ component: "arm" })
      .find((x) => x.method === "PUT" && x.path.endsWith(`/clusters/${name}`));
    const del = stack.sandbox.control
      .requests({ component: "arm" })
      .find((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${name}`));
    expect(put && del).toBeTruthy();
    expect((del?.atMs ?? 0) - (put?.atMs ?? 0)).toBeGreaterThanOrEqual(60 * 60_000);
    expect((del?.atMs ?? 0) - (put?.atMs ?? 0)).toBeLessThan(65 * 60_000);
    expect((await record(stack, id)).steps[0].attempts[0].logBlob).toBeTruthy();
  }, 60_000);
});

describe("a failed create", () => {
  it("fails the job with ARM's message, cancels its steps and deletes the failed cluster", async () => {
    const id = await stack.submit(
      jobDoc("doomed", [
        { id: "a", seconds: 60 },
        { id: "b", seconds: 60 },
      ]),
    );
    let name = "";
    await stack.runUntil(
      async () => {
        name = (await clusters(stack)).find((c) => /inprogress/i.test(c.provisioningState))?.name ?? "";
        return name !== "";
      },
      { what: "provisioning" },
    );
    stack.sandbox.control.failProvisioning(name, {
      code: "QuotaExceeded",
      message: "Operation could not be completed as it results in exceeding approved cores quota.",
    });
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/QuotaExceeded: Operation could not be completed/);
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["a", "cancelled", 0],
      ["b", "cancelled", 0],
    ]);
    const deletes = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((x) => x.method === "DELETE" && x.path.endsWith(`/clusters/${name}`));
    expect(deletes.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
