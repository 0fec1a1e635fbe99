// Edge attach/detach for a job: one edgeSync sub-orchestration per VM, in parallel (each VM runs one operation at
// a time; the edgeSync orchestration retries while the VM is busy).
import type { OrchestrationContext, Task } from "durable-functions";
import { ORCHESTRATION, edgeInstanceId, type EdgeSyncInput, type EdgeSyncResult } from "../shared/workflow/activities";

export function* syncEdges(
  context: OrchestrationContext,
  vms: readonly string[],
  mode: "attach" | "detach",
  clusterName: string,
  profileName: string,
  jobId: string,
): Generator<Task, EdgeSyncResult[], unknown> {
  const opId = `${jobId}-${mode}`;
  const tasks = vms.map((vm) => {
    const input: EdgeSyncInput = { vm, mode, clusterName, profileName, requestedBy: jobId, opId };
    return context.df.callSubOrchestrator(ORCHESTRATION.edgeSync, input, edgeInstanceId(vm, opId));
  });
  yield context.df.Task.all(tasks);
  return tasks.map((t) => t.result as EdgeSyncResult);
}
