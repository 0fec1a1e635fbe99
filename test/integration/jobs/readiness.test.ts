// Readiness seen at once (issue 13): the cluster orchestration polls a cluster being created at absolute times,
// densely around the profile's expected ready time, so the ready notice comes within 30 s (virtual) of the
// sandbox's ready time — and jobs that join the cluster while it is being created neither move the poll nor create
// a second cluster (idle and warming clusters serve compatible demand first).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { createPuts, finish, jobDoc, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

/** The sandbox's provisioning time (local/sandbox default) and Jobflow's default estimate agree: 20 minutes. */
const PROVISIONING_MS = 20 * 60_000;
const cluster = { profile: "default", reuse: "warm", keepWarmMinutes: 1 };

describe("a cluster being created", () => {
  it("is seen ready within 30 s of its ready time although three jobs joined it meanwhile, and is created once", async () => {
    const putsBefore = createPuts(stack).length;
    const first = await stack.submit(jobDoc("creator", [{ id: "s", seconds: 120 }], { cluster }));
    await stack.runUntil(() => createPuts(stack).length > putsBefore, { what: "create requested" });
    const put = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((r) => r.method === "PUT" && /\/clusters\/[^/]+$/.test(r.path))
      .at(-1);
    const readyAtMs = (put?.atMs as number) + PROVISIONING_MS;
    // Jobs join at odd moments of the create (before the old backoff's poll, in the sparse phase, in the dense one).
    const joiners: string[] = [];
    for (const atMin of [0.75, 7.3, 18.4]) {
      await stack.runUntil(() => stack.clock.nowMs() >= (put?.atMs as number) + atMin * 60_000, { what: `minute ${atMin}` });
      joiners.push(await stack.submit(jobDoc(`joiner-${atMin}`, [{ id: "s", seconds: 60 }], { cluster })));
    }
    const records = [await finish(stack, first), ...(await Promise.all(joiners.map((id) => finish(stack, id))))];
    expect(records.map((r) => r.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    const name = records[0]?.cluster.name as string;
    expect(records.map((r) => r.cluster.name)).toEqual([name, name, name, name]);
    expect(records.map((r) => r.cluster.acquisition)).toEqual(["created", "joined", "joined", "joined"]);
    expect(createPuts(stack).slice(putsBefore)).toEqual([name]);

    const ready = stack.events().find((e) => e.type === "jobflow.cluster.ready" && e.subject === `clusters/${name}`);
    const seenMs = Date.parse((ready?.data as { time: string }).time);
    expect(seenMs).toBeGreaterThanOrEqual(readyAtMs);
    expect(seenMs - readyAtMs).toBeLessThanOrEqual(30_000);
    // Polls are sparse before the expected ready time: far fewer GETs than one every 30 s.
    const gets = stack.sandbox.control
      .requests({ component: "arm" })
      .filter((r) => r.method === "GET" && r.path.endsWith(`/clusters/${name}`) && r.atMs < seenMs);
    expect(gets.length).toBeLessThan(PROVISIONING_MS / 30_000 / 2);
  }, 180_000);
});
