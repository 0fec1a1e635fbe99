// The two host-side loops that allocate sequence numbers dynamically, as completions are replayed:
// DTFx RetryInterceptor (callActivityWithRetry / callSubOrchestratorWithRetry) and the extension's long-timer
// splitting (DurableOrchestrationContext.CreateTimer). Both read the replay clock (the latest
// OrchestratorStarted), exactly like CurrentUtcDateTime in .NET.
import { ReplayTask } from "./replayTask";
import type { ReplayContext } from "./shim";
import type { RetryOptionsJson } from "./types";

const DEFAULT_MAX_RETRY_INTERVAL_MS = 6 * 24 * 3600 * 1000; // extension RetryOptions default: 6 days

/**
 * DTFx RetryInterceptor.Invoke: attempt k (0-based) fails → if it was the last attempt, a "dummy" timer firing
 * at once (kept for history back-compat; the SDK's RetryableTask expects it) and then failure; otherwise a timer
 * after firstRetryInterval × backoff^k (capped at maxRetryInterval), then the next attempt with a new id. A zero
 * delay (retryTimeout elapsed) gives up without a timer — the SDK then waits forever (real-host quirk, logged).
 */
export function retryLoop(ctx: ReplayContext, options: RetryOptionsJson | undefined, attemptOnce: () => ReplayTask): ReplayTask {
  const outer = new ReplayTask();
  const maxAttempts = Math.max(1, options?.maxNumberOfAttempts ?? 1);
  const firstAttemptMs = ctx.nowMs;
  let attempt = 0;
  const run = (): void => {
    const task = attemptOnce();
    task.onDone(() => {
      if (!task.failed) return outer.complete(false);
      if (attempt + 1 >= maxAttempts) {
        ctx.schedule({ kind: "timer", fireAtMs: ctx.nowMs }).onDone(() => outer.complete(true));
        return;
      }
      const delayMs = nextRetryDelayMs(options, attempt, firstAttemptMs, ctx.nowMs);
      if (delayMs <= 0) {
        ctx.warnings.push(
          `retry of a task in instance '${ctx.options.instanceId}' gave up after attempt ${attempt + 1} because ` +
            "retryTimeoutInMilliseconds elapsed; like the real host no timer is created, so the orchestrator will wait forever",
        );
        outer.complete(true);
        return;
      }
      ctx.schedule({ kind: "timer", fireAtMs: ctx.nowMs + delayMs }).onDone(() => {
        attempt++;
        run();
      });
    });
  };
  run();
  return outer;
}

/** RetryInterceptor.ComputeNextDelay (Handle() always true for out-of-proc retry options). */
export function nextRetryDelayMs(options: RetryOptionsJson | undefined, attempt: number, firstAttemptMs: number, nowMs: number): number {
  if (!options) return 0;
  const timeout = options.retryTimeoutInMilliseconds;
  const expirationMs = timeout !== undefined && timeout > 0 && Number.isFinite(timeout) ? firstAttemptMs + timeout : Infinity;
  if (!(nowMs < expirationMs)) return 0;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient ?? 1, attempt);
  const max = options.maxRetryIntervalInMilliseconds ?? DEFAULT_MAX_RETRY_INTERVAL_MS;
  return delay < max ? delay : max;
}

/**
 * CreateTimer: one timer when fireAt − now ≤ maxShortTimer; otherwise intervals of longTimerInterval, each
 * recomputed from the replay time when the previous one fired, the last one ending exactly at fireAt.
 * A cancelled timer keeps its (first) id — the SDK allocated it — completes at once and is never armed.
 */
export function timerLoop(ctx: ReplayContext, fireAtMs: number, canceled: boolean): ReplayTask {
  const { maxShortTimerMs, longTimerIntervalMs } = ctx.options;
  if (canceled || fireAtMs - ctx.nowMs <= maxShortTimerMs) {
    return ctx.schedule({ kind: "timer", fireAtMs, canceled });
  }
  const outer = new ReplayTask();
  const step = (intervalFireAtMs: number): void => {
    ctx.schedule({ kind: "timer", fireAtMs: intervalFireAtMs }).onDone(() => {
      const remaining = fireAtMs - ctx.nowMs;
      if (remaining <= 0) return outer.complete(false);
      step(remaining < longTimerIntervalMs ? ctx.nowMs + remaining : ctx.nowMs + longTimerIntervalMs);
    });
  };
  step(ctx.nowMs + longTimerIntervalMs);
  return outer;
}
