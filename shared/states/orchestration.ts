// Durable orchestration runtime statuses as Jobflow reads them: "live" = the instance still runs and can receive
// events (a start must not be repeated, a delete must wait for it). One definition for every route and activity
// that asks. Not exported from ./index.ts: it needs durable-functions' enum, which the CLI does not load.
import { OrchestrationRuntimeStatus } from "durable-functions";

export const LIVE_RUNTIME_STATUSES: readonly OrchestrationRuntimeStatus[] = [
  OrchestrationRuntimeStatus.Running,
  OrchestrationRuntimeStatus.Pending,
  OrchestrationRuntimeStatus.ContinuedAsNew,
];

/** True when an instance with this runtime status still runs (and may receive events). */
export function isLiveRuntimeStatus(status: OrchestrationRuntimeStatus | string | undefined): boolean {
  return status !== undefined && (LIVE_RUNTIME_STATUSES as readonly string[]).includes(status);
}
