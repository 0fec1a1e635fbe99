// Azure's retry policy retries 429 only when the response says when (Retry-After / retry-after-ms): a bare 429
// comes back after one attempt. Some services and proxies (and ARM for RetryableErrorDueToAnotherOperation) send bare
// 429s, so this policy retries them with bounded exponential backoff. It sits right after the SDK's retry phase,
// inside deserialization (which may turn the response into an error) and outside signing (each attempt is re-signed).
import type { Pipeline, PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { systemClock, type Clock } from "../../clock";
import { hasRetryAfter } from "./retryAfter";

export const retryOn429PolicyName = "jobflowRetryOn429Policy";

export interface RetryOn429Options {
  /** Extra attempts after the first bare 429 (default 4). 0 disables the policy. */
  maxRetries?: number;
  /** First backoff (default 1000 ms); doubles per attempt. */
  retryDelayInMs?: number;
  /** Upper bound of one backoff (default 30000 ms). */
  maxRetryDelayInMs?: number;
  /** Waits happen on this clock (a virtual clock in tests and the local runtime). */
  clock?: Clock;
  /** Random source in [0, 1) for jitter (tests may pin it). */
  random?: () => number;
}

/** The backoff before retry number `attempt` (0-based): min(max, base·2^attempt), jittered into [d/2, d]. */
export function backoffInMs(attempt: number, options: RetryOn429Options, random: () => number = Math.random): number {
  const base = options.retryDelayInMs ?? 1000;
  const max = options.maxRetryDelayInMs ?? 30_000;
  const d = Math.min(max, base * 2 ** attempt);
  return Math.round(d / 2 + (d / 2) * random());
}

export function retryOn429Policy(options: RetryOn429Options = {}): PipelinePolicy {
  const maxRetries = options.maxRetries ?? 4;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  return {
    name: retryOn429PolicyName,
    async sendRequest(request, next): Promise<PipelineResponse> {
      for (let attempt = 0; ; attempt++) {
        const response = await next(request);
        if (response.status !== 429 || hasRetryAfter(response.headers) || attempt >= maxRetries) return response;
        drain(response);
        await clock.sleep(backoffInMs(attempt, options, random), { abortSignal: toAbortSignal(request.abortSignal) });
      }
    },
  };
}

/** Adds the policy to an SDK client's pipeline at the right place (idempotent per pipeline). */
export function addRetryOn429Policy(pipeline: Pipeline, options: RetryOn429Options = {}): void {
  if (pipeline.getOrderedPolicies().some((p) => p.name === retryOn429PolicyName)) return;
  pipeline.addPolicy(retryOn429Policy(options), { afterPhase: "Retry" });
}

/** Releases a streamed body we will not read, so the socket goes back to the pool. */
function drain(response: PipelineResponse): void {
  const stream = response.readableStreamBody;
  if (stream) stream.resume();
}

/** The SDK hands us an AbortSignalLike; the Clock wants a real AbortSignal. */
export function toAbortSignal(signal: PipelineRequest["abortSignal"]): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener("abort", () => controller.abort(), { once: true });
  return controller.signal;
}
