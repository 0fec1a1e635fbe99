// One edge VM operation (attach | detach | switch) through VM Run Command v2: prepare the client-config bundle
// (attach/switch), start the run command (retried while the VM runs another one: one operation per VM at a time),
// poll its instance view with durable timers, record which cluster the VM is attached to. Never throws: the
// result says ok or not, so a job's teardown continues past a broken VM.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { ACTIVITY, ORCHESTRATION, type EdgeSyncInput, type EdgeSyncResult } from "../shared/workflow/activities";
import { at, backoffMs, cloudRetry, nowMs } from "./waits";
import { callCloud } from "./cloudCall";
import { callActivityTyped } from "./activityCall";

const POLL_FIRST_MS = 15_000;
const POLL_MAX_MS = 60_000;
const MAX_WAIT_MS = 45 * 60_000;

/** Retry policy for starting a run command while the VM is busy with another one. */
function busyRetry(): df.RetryOptions {
  const r = new df.RetryOptions(20_000, 30);
  r.backoffCoefficient = 1.5;
  r.maxRetryIntervalInMilliseconds = 2 * 60_000;
  return r;
}

const edgeSync: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as EdgeSyncInput;
  const result: EdgeSyncResult = { vm: input.vm, mode: input.mode, ok: false };
  if (input.clusterName) result.clusterName = input.clusterName;
  context.df.setCustomStatus({ vm: input.vm, mode: input.mode, clusterName: input.clusterName, phase: "starting" });
  try {
    let bundle: { bundleBlob?: string; clusterVersion?: string; headnodeIp?: string } = {};
    if (input.mode !== "detach") {
      // Both are always set for attach/switch (jobEdges.ts, the attach route); the contract needs them.
      if (!input.clusterName || !input.profileName) throw new Error(`${input.mode} needs a cluster and its profile`);
      bundle = yield* callCloud(context, ACTIVITY.prepareEdgeBundle, { clusterName: input.clusterName, profileName: input.profileName });
    }
    const started = yield* callCloud(context, ACTIVITY.beginEdgeSync, { ...input, ...bundle }, busyRetry());
    context.df.setCustomStatus({
      vm: input.vm,
      mode: input.mode,
      clusterName: input.clusterName,
      phase: "running",
      runCommand: started.runCommandName,
    });
    const deadline = nowMs(context) + MAX_WAIT_MS;
    for (let round = 0; ; round++) {
      yield context.df.createTimer(at(nowMs(context) + backoffMs(round, POLL_FIRST_MS, POLL_MAX_MS)));
      const s = yield* callCloud(context, ACTIVITY.getEdgeSync, { vm: input.vm, runCommandName: started.runCommandName });
      const state = s.executionState.toLowerCase();
      if (state === "succeeded" || state === "failed" || state === "timedout" || state === "canceled") {
        result.ok = state === "succeeded" && (s.exitCode ?? 0) === 0;
        if (s.exitCode !== undefined) result.exitCode = s.exitCode;
        if (s.outputTail) result.outputTail = s.outputTail;
        if (!result.ok) result.message = s.message ?? `run command ended ${s.executionState} (exit ${s.exitCode ?? "?"})`;
        break;
      }
      if (nowMs(context) >= deadline) {
        result.message = `run command still ${s.executionState} after ${MAX_WAIT_MS / 60_000} minutes`;
        break;
      }
    }
  } catch (err) {
    result.message = (err as Error).message.split("\n")[0];
  }
  // One write: the attachment (when the sync succeeded) and the last sync, successful or not.
  try {
    yield* callActivityTyped(context, ACTIVITY.recordEdgeSync, { result, requestedBy: input.requestedBy }, cloudRetry());
  } catch (err) {
    // A failed sync keeps its own reason; a successful one whose attachment could not be recorded says so.
    if (result.ok) result.message = (err as Error).message.split("\n")[0];
  }
  yield* callActivityTyped(context, ACTIVITY.publishEvents, [
    {
      type: result.ok ? `jobflow.edge.${input.mode === "detach" ? "detached" : "attached"}` : "jobflow.edge.failed",
      subject: `edges/${input.vm}`,
      data: { ...result },
    },
  ]);
  context.df.setCustomStatus({ vm: input.vm, mode: input.mode, clusterName: input.clusterName, phase: result.ok ? "done" : "failed" });
  return result;
};

df.app.orchestration(ORCHESTRATION.edgeSync, edgeSync);
export default edgeSync;
