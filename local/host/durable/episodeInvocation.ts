// One episode's call into the app: the orchestrator function run with the trigger payload through the invoker
// port, its OrchestratorState checked and replayed by the shim into history (replayActions), the shim's warnings
// logged and, with debugCrossCheck, the SDK's open tasks compared with the ids the host allocated. Separate from
// engineCore.ts because it is the worker + SDK side of one work item (what the orchestrator asked for);
// engineCore decides when an episode runs, commits its outcome and acts on it.
import { checkOpenTasks } from "./crossCheck";
import type { EpisodeOutcome, TimerSettings } from "./episode";
import type { DurableInvokerPort, DurableLogger } from "./ports";
import { replayActions } from "./shim";
import type { HistoryEvent, InstanceRecord, OrchestratorStateJson } from "./types";

export interface EpisodeInvocationContext {
  invoker: DurableInvokerPort;
  log: DurableLogger;
  timers: TimerSettings;
  debugCrossCheck: boolean;
  /** Where cross-check mismatches are collected (`engine.crossCheckFailures`). */
  crossCheckFailures: string[];
}

/**
 * Runs `record`'s orchestrator on `payload` (the trigger payload of `history`) and returns the shim's reading of
 * its actions. Rejects when the invocation itself failed (a system error, a lost worker, an invalid answer).
 */
export async function invokeEpisode(
  ctx: EpisodeInvocationContext,
  record: InstanceRecord,
  history: HistoryEvent[],
  payload: unknown,
  nowMs: number,
): Promise<EpisodeOutcome> {
  const { instanceId } = record;
  let sdkContext: unknown;
  const raw = await ctx.invoker.orchestrator(record.name, payload, {
    instanceId,
    inspectContext: ctx.debugCrossCheck ? (context) => (sdkContext = context) : undefined,
  });
  const state = raw as OrchestratorStateJson;
  if (!state || !Array.isArray(state.actions)) throw new Error("Out of proc orchestrators must return a valid JSON schema");
  const shim = replayActions(history, state.actions.flat(), { instanceId, executionId: record.executionId, nowMs, ...ctx.timers });
  for (const warning of shim.warnings) ctx.log.event("durable.warning", warning, { instanceId }, "warning");
  if (sdkContext !== undefined && !shim.failure) {
    for (const problem of checkOpenTasks(sdkContext, shim.kindById)) {
      ctx.crossCheckFailures.push(`${instanceId}: ${problem}`);
      ctx.log.event("durable.crossCheckFailed", problem, { instanceId }, "error");
    }
  }
  return { kind: "state", state, shim };
}
