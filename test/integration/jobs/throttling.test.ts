// 429s slow a job down but do not fail it: throttling faults with and without Retry-After on ARM (cluster create,
// status polls, delete) and on the cluster gateway (Livy). The SDK honours Retry-After, our bare-429 policy retries
// the others, and activity retries absorb what is left. Waits are real seconds, so the counts stay small.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { createPuts, finish, jobDoc, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

describe("429s", () => {
  it("slow the job but do not fail it (ARM and gateway, with and without Retry-After)", async () => {
    const control = stack.sandbox.control;
    const clusterPath = "/providers/microsoft.hdinsight/clusters/";
    control.addFault({ kind: "throttle", method: "PUT", pathContains: clusterPath, count: 1, retryAfterSeconds: 1 });
    control.addFault({ kind: "throttle", method: "PUT", pathContains: clusterPath, count: 1, retryAfterSeconds: null });
    control.addFault({ kind: "throttle", method: "GET", pathContains: clusterPath, count: 1, retryAfterSeconds: 1 });
    control.addFault({ kind: "throttle", method: "GET", pathContains: clusterPath, count: 2, retryAfterSeconds: null });
    control.addFault({ kind: "throttle", method: "DELETE", pathContains: clusterPath, count: 1, retryAfterSeconds: null });
    for (const retryAfterSeconds of [1, null, null]) {
      expect((await sandboxControl(stack, "POST", "/gateway/faults", { kind: "gateway429", retryAfterSeconds })).status).toBe(201);
    }
    const since = control.requests().at(-1)?.seq ?? 0;

    const id = await stack.submit(
      jobDoc("throttled", [
        { id: "a", seconds: 120 },
        { id: "b", seconds: 120 },
      ]),
    );
    const r = await finish(stack, id);
    expect(r.error).toBeUndefined();
    expect(r.state).toBe("succeeded");
    expect(createPuts(stack)).toEqual([r.cluster.name]);

    const seen = control.requests({ sinceSeq: since });
    expect(seen.filter((x) => x.component === "arm" && x.status === 429 && x.note === "fault:throttle")).toHaveLength(6);
    // Each step ran once although Livy calls were refused.
    expect(seen.filter((x) => x.component === "gateway" && x.status === 429)).toHaveLength(3);
    expect(seen.filter((x) => x.component === "gateway" && x.method === "POST" && x.status === 201)).toHaveLength(2);
    const gatewayFaults = await sandboxControl<{ faults: unknown[] }>(stack, "GET", "/gateway/faults");
    expect(gatewayFaults.body.faults).toEqual([]);
  }, 90_000);
});
