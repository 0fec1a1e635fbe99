// Cancel end to end: during provisioning (the half-made cluster is deleted), during a step (the running Livy batch
// is killed, pending steps cancelled), while a status probe submits the next step (the phase waits for the probe,
// then kills the batch it submitted) and during teardown (the teardown finishes; nothing is left behind).
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, record, sandboxBatches, sandboxControl, useStackPerFile } from "./jobHelpers";
import { EVENT } from "../../../shared/workflow/activities";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

async function cancel(id: string): Promise<number> {
  const res = await stack.api(`/jobs/${id}/cancel`, { method: "POST" });
  await res.text();
  return res.status;
}

describe("cancel", () => {
  it("during provisioning: the job is cancelled, its steps never run and the half-made cluster is deleted", async () => {
    const id = await stack.submit(
      jobDoc("cancel-provisioning", [
        { id: "one", seconds: 60 },
        { id: "two", seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await clusters(stack)).some((c) => /inprogress/i.test(c.provisioningState)), {
      what: "cluster provisioning",
    });
    expect((await record(stack, id)).state).toBe("acquiringCluster");
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["one", "cancelled", 0],
      ["two", "cancelled", 0],
    ]);
    expect(await sandboxBatches(stack, r.cluster.name as string)).toEqual([]);
  }, 60_000);

  it("during a step: the running batch is killed in Livy and the pending step is cancelled", async () => {
    const id = await stack.submit(
      jobDoc("cancel-step", [
        { id: "long", seconds: 3600 },
        { id: "next", seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "step running" });
    const clusterName = (await record(stack, id)).cluster.name as string;
    expect((await sandboxBatches(stack, clusterName)).map((b) => b.state)).toEqual(["running"]);
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state])).toEqual([
      ["long", "cancelled"],
      ["next", "cancelled"],
    ]);
    expect(r.steps[0].attempts[0].logBlob).toBeTruthy();
    const batches = await sandboxBatches(stack, clusterName);
    expect(batches.map((b) => [b.state, b.deletedThroughLivy])).toEqual([["killed", true]]);
    expect(await cancel(id)).toBe(409); // finished jobs cannot be cancelled
  }, 60_000);

  it("while a probe submits the next step: the phase waits for the probe, then kills the batch it submitted", async () => {
    // The submission of `second` (made by the probe that finds `first` ended) is held in the gateway.
    const hold = { kind: "livySubmitHold", filePattern: "/second\\.py$" };
    expect((await sandboxControl(stack, "POST", "/gateway/faults", hold)).status).toBe(201);
    const id = await stack.submit(
      jobDoc("cancel-follow-up", [
        { id: "first", seconds: 60 },
        { id: "second", dependsOn: ["first"], seconds: 3600 },
        { id: "third", dependsOn: ["second"], seconds: 60 },
      ]),
    );
    const held = async (): Promise<boolean> => (await sandboxControl<{ held: number }>(stack, "GET", "/gateway/holds")).body.held > 0;
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
    const whenHeld = (async (): Promise<true> => {
      while (!(await held())) await pause();
      return true;
    })();
    // Virtual time by hand: runUntil waits for the host to go idle, which it cannot while a submission is held.
    for (let i = 0; ; i++) {
      if (i > 5000) throw new Error("the follow-up submission never reached the gateway");
      if (await Promise.race([stack.host.waitForIdle().then(() => false), whenHeld])) break;
      const next = stack.clock.nextTimerAtMs();
      if (next !== undefined && next > stack.clock.nowMs()) await stack.clock.advanceTo(next);
      else await pause();
    }
    const clusterName = (await record(stack, id)).cluster.name as string;
    expect(await cancel(id)).toBe(202);
    // The cancel reaches the step phase while its probe is still in flight.
    const phase = `${id}-steps-1`;
    const forwarded = (): boolean => {
      const r = stack.host.engine!.getInstance(phase);
      return [...(r?.history ?? []), ...(r?.inbox.map((m) => m.event) ?? [])].some((e) => JSON.stringify(e).includes(EVENT.stepsControl));
    };
    for (let i = 0; !forwarded(); i++) {
      if (i > 3000) throw new Error("the cancel never reached the step phase");
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await held()).toBe(true);
    expect((await sandboxControl<{ released: number }>(stack, "POST", "/gateway/holds/release")).body.released).toBe(1);
    const r = await finish(stack, id);
    expect(r.state).toBe("cancelled");
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.length])).toEqual([
      ["first", "succeeded", 1],
      ["second", "cancelled", 1],
      ["third", "cancelled", 0],
    ]);
    const batches = await sandboxBatches(stack, clusterName);
    expect(batches.map((b) => [b.request.name, b.state, b.deletedThroughLivy])).toEqual([
      [expect.stringContaining("-first-1"), "success", true],
      [expect.stringContaining("-second-1"), "killed", true],
    ]);
    expect(r.steps[1].attempts[0]).toMatchObject({ batchId: batches[1].id, livyState: "killed" });
    expect(r.steps[1].attempts[0].logBlob).toBeTruthy();
  }, 120_000);

  it("during teardown: the teardown completes (edges detached, cluster deleted) and the job keeps its result", async () => {
    const id = await stack.submit(jobDoc("cancel-teardown", [{ id: "one", seconds: 60 }], { edges: ["dss-edge-01"] }));
    await stack.runUntil(async () => (await record(stack, id)).state === "tearingDown", { what: "tearing down" });
    expect(await cancel(id)).toBe(202);
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.steps[0].state).toBe("succeeded");
    expect(r.edges).toEqual([{ vm: "dss-edge-01", state: "detached" }]);
    const edges = (await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] };
    expect(edges.edges.find((e) => e.name === "dss-edge-01")?.attachedTo).toBeNull();
  }, 60_000);
});
