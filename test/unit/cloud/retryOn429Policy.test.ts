// retryOn429Policy as a pipeline policy on its own, with a scripted `next` and the manual virtual clock: backoff waits
// happen in virtual time, hinted 429s are left to the SDK, the bound holds, and an abort ends the wait.
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { retryOn429Policy } from "../../../shared/cloud/azure/retryOn429Policy";

function scripted(statuses: Array<number | [number, Record<string, string>]>): {
  next: (r: PipelineRequest) => Promise<PipelineResponse>;
  calls: number[];
} {
  const calls: number[] = [];
  let i = 0;
  return {
    calls,
    next: async (request) => {
      const step = statuses[Math.min(i++, statuses.length - 1)];
      const [status, headers] = Array.isArray(step) ? step : [step, {}];
      calls.push(status);
      return { request, status, headers: createHttpHeaders(headers) };
    },
  };
}

/** Runs the promise while jumping the manual clock to each pending timer; returns the virtual time spent. */
async function driveInVirtualTime<T>(clock: VirtualClock, promise: Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const start = clock.nowMs();
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 100 && !settled; i++) {
    if (!(await clock.jumpToNextTimer())) await new Promise((r) => setImmediate(r));
  }
  return { result: await tracked, elapsedMs: clock.nowMs() - start };
}

describe("retryOn429Policy", () => {
  const request = (): PipelineRequest => createPipelineRequest({ url: "https://127.0.0.1/x" });

  it("retries bare 429s with exponential backoff on the injected clock", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    const policy = retryOn429Policy({ clock, retryDelayInMs: 1000, maxRetryDelayInMs: 60_000, random: () => 0.999999 });
    const { next, calls } = scripted([429, 429, 200]);
    const { result, elapsedMs } = await driveInVirtualTime(clock, policy.sendRequest(request(), next));
    expect(result.status).toBe(200);
    expect(calls).toEqual([429, 429, 200]);
    expect(elapsedMs).toBe(1000 + 2000);
  });

  it("stops after maxRetries and returns the last 429", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    const policy = retryOn429Policy({ clock, maxRetries: 2, retryDelayInMs: 10 });
    const { next, calls } = scripted([429]);
    const { result } = await driveInVirtualTime(clock, policy.sendRequest(request(), next));
    expect(result.status).toBe(429);
    expect(calls).toHaveLength(3);
  });

  it("leaves a 429 that says when to retry, and other statuses, to the SDK", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    const policy = retryOn429Policy({ clock });
    for (const step of [[429, { "retry-after": "5" }], [429, { "x-ms-retry-after-ms": "100" }], 503, 404] as const) {
      const { next, calls } = scripted([step as number | [number, Record<string, string>]]);
      const response = await policy.sendRequest(request(), next);
      expect(calls).toHaveLength(1);
      expect(response.status).toBe(Array.isArray(step) ? step[0] : step);
    }
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it("gives up waiting when the request is aborted", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: 0 });
    const policy = retryOn429Policy({ clock, retryDelayInMs: 60_000 });
    const controller = new AbortController();
    const r = createPipelineRequest({ url: "https://127.0.0.1/x", abortSignal: controller.signal });
    const { next, calls } = scripted([429]);
    const pending = policy.sendRequest(r, next);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(1);
  });
});
