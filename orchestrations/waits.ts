// Small deterministic helpers shared by the orchestrations: durable-timer arithmetic on the replay-safe clock and
// the standard retry policy for activities that talk to the cloud.
import * as df from "durable-functions";
import type { OrchestrationContext } from "durable-functions";

export const nowMs = (context: OrchestrationContext): number => context.df.currentUtcDateTime.getTime();
export const nowIso = (context: OrchestrationContext): string => context.df.currentUtcDateTime.toISOString();
export const at = (ms: number): Date => new Date(ms);

/**
 * Activities that call Azure: the SDK already absorbs 429/5xx with Retry-After inside one invocation; this retries
 * whole invocations that still failed (throttling storms, transient outages) with exponential backoff.
 */
export function cloudRetry(): df.RetryOptions {
  const r = new df.RetryOptions(15_000, 6);
  r.backoffCoefficient = 2;
  r.maxRetryIntervalInMilliseconds = 5 * 60_000;
  return r;
}

/** Poll delay that grows from `firstMs` by ×1.5 per round up to `maxMs` (call economy on long waits). */
export function backoffMs(round: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, Math.round(firstMs * Math.pow(1.5, round)));
}
