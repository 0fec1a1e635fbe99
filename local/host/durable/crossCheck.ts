// Debug assertion (memo §3 "A useful cross-check"): after an episode, every numeric id in the SDK's
// `context.df.taskOrchestratorExecutor.openTasks` must be an id the host's replay allocated, for the same kind
// of task. Internal SDK API — used only to catch id drift early, never for behaviour.
import type { ScheduledKind } from "./shim";

interface SdkTaskLike {
  actionObj?: { actionType?: number };
}

function kindOfActionType(actionType: number | undefined): ScheduledKind | undefined {
  if (actionType === 0 || actionType === 1) return "activity";
  if (actionType === 2 || actionType === 3) return "subOrchestration";
  if (actionType === 5) return "timer";
  return undefined; // NoOp children of retry tasks etc.: any kind
}

export function checkOpenTasks(context: unknown, hostKinds: Map<number, ScheduledKind>): string[] {
  const df = (context as { df?: { taskOrchestratorExecutor?: { openTasks?: Record<string, SdkTaskLike> } } }).df;
  const openTasks = df?.taskOrchestratorExecutor?.openTasks;
  if (!openTasks) return [];
  const problems: string[] = [];
  for (const [key, task] of Object.entries(openTasks)) {
    if (!/^\d+$/.test(key)) continue; // external events / entity calls are keyed by name or request id
    const id = Number(key);
    const hostKind = hostKinds.get(id);
    const sdkKind = kindOfActionType(task?.actionObj?.actionType);
    if (hostKind === undefined) problems.push(`SDK waits on task id ${id} (${sdkKind ?? "retry/internal"}) that the host never allocated`);
    else if (sdkKind !== undefined && sdkKind !== hostKind)
      problems.push(`host allocated id ${id} for a ${hostKind}, SDK expects a ${sdkKind}`);
  }
  return problems;
}
