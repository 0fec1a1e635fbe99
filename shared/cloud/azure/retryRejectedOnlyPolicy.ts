// Retries for requests that must not run twice (Livy POST /batches starts a Spark application each time it gets
// through). The SDK's default policy also retries 500/502/504 and network errors, after which the server may well
// have processed the request, so pipelines for such calls turn the default retries off and use this policy instead:
// it retries only answers that say the request was refused unprocessed, 429 and 503, honouring Retry-After as long as
// the wait is short; a longer one is returned (ThrottledError.retryAfterInMs) for the caller to wait durably.
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { systemClock } from "../../clock";
import { headerLookup, retryAfterInMs } from "./retryAfter";
import { backoffInMs, toAbortSignal, type RetryOn429Options } from "./retryOn429Policy";

export const retryRejectedOnlyPolicyName = "jobflowRetryRejectedOnlyPolicy";

const REFUSED_UNPROCESSED = new Set([429, 503]);

export function retryRejectedOnlyPolicy(options: RetryOn429Options = {}): PipelinePolicy {
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitInMs = options.maxRetryDelayInMs ?? 30_000;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  return {
    name: retryRejectedOnlyPolicyName,
    async sendRequest(request, next): Promise<PipelineResponse> {
      for (let attempt = 0; ; attempt++) {
        const response = await next(request);
        if (!REFUSED_UNPROCESSED.has(response.status) || attempt >= maxRetries) return response;
        const hinted = retryAfterInMs(headerLookup(response.headers), clock.nowMs());
        if (hinted !== undefined && hinted > maxWaitInMs) return response;
        response.readableStreamBody?.resume();
        await clock.sleep(hinted ?? backoffInMs(attempt, options, random), { abortSignal: toAbortSignal(request.abortSignal) });
      }
    },
  };
}
