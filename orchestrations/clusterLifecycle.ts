// The cluster orchestration: one singleton instance per cluster name (instance id `cluster-<name>`).
// begin create → poll until ready or failed → serve acquire/release commands → when nobody holds it, keep it warm
// for keepWarmMinutes, re-check idleness, delete → poll until gone. Max lifetime deletes regardless, telling its
// holders first. Commands arrive as one external event name (clusterCommand) with a typed payload, taken in through
// a CommandInbox (no command lost to the SDK's waiter bookkeeping or to continueAsNew); holders are reconciled
// against their own orchestrations every few minutes, so a release that never arrived cannot keep a cluster up.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  type BeginCreateClusterInput,
  type ClusterCarriedState,
  type ClusterCommand,
  type ClusterNotice,
  type ClusterOrchestrationInput,
  type ClusterStatusResult,
  type BeginCreateClusterResult,
} from "../shared/workflow/activities";
import { at, backoffMs, cloudRetry, nowIso, nowMs } from "./waits";
import { detachEdgesOf, notifyHolders, retryDetaches } from "./clusterNotices";
import { CommandInbox } from "./commandInbox";
import { callCloud } from "./cloudCall";
import { teardownCluster, type TeardownProgress } from "./clusterTeardown";
import { failureText } from "../shared/workflow/activityFailure";
import { ledgerForStatus, noteLedger, openLedger, recordLedger } from "./clusterLedger";

const CREATE_POLL_FIRST_MS = 60_000;
const CREATE_POLL_MAX_MS = 5 * 60_000;
const IDLE_RECHECK_MS = 5 * 60_000;
/** Commands handled before the history is trimmed with continueAsNew. */
const ITERATIONS_BEFORE_CONTINUE = 40;
/** How often a ready cluster with holders checks that every holder's orchestration still runs. */
export const RECONCILE_HOLDERS_MS = 10 * 60_000;

const clusterLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ClusterOrchestrationInput;
  const { pendingCommands, ...carried } = input.carried ?? { phase: "new", holders: [] };
  const state: ClusterCarriedState = carried;
  const inbox = new CommandInbox<ClusterCommand>(context, EVENT.clusterCommand, pendingCommands ?? []);
  // A cluster nobody else may join (reuse: never) has nothing to stay warm for.
  const keepWarmMinutes = input.reuse === "never" ? 0 : input.keepWarmMinutes;
  const waiting: string[] = []; // holders to notify when the create finishes
  let teardown: TeardownProgress | undefined;
  const status = (): void =>
    context.df.setCustomStatus({ phase: state.phase, holders: state.holders, profileHash: input.profileHash, reuse: input.reuse,
      createdAt: state.createdAt, readyAt: state.readyAt, idleSince: state.idleSince, expiresAt: expiresAtIso(),
      ...(state.drained ? { drained: state.drained } : {}), ...(teardown ? { teardown } : {}), ...ledgerForStatus(state) });
  const expiresAtIso = (): string | undefined =>
    state.createdAt ? new Date(Date.parse(state.createdAt) + input.maxLifetimeMinutes * 60_000).toISOString() : undefined;
  // One CloudEvent per phase change (docs/events.md); best effort like every lifecycle event.
  const phaseEvent = (extra: Record<string, unknown> = {}): Task => context.df.callActivity(ACTIVITY.publishEvents, [{ type: `jobflow.cluster.${state.phase}`,
    subject: `clusters/${input.clusterName}`, data: { clusterName: input.clusterName, phase: state.phase, holders: [...state.holders], ...extra, time: nowIso(context) } }]);

  if (state.phase === "new") {
    state.createdAt = nowIso(context);
    state.phase = "creating";
    status();
    const createInput: BeginCreateClusterInput = {
      clusterName: input.clusterName, profileName: input.profileName, overrides: input.overrides, profileHash: input.profileHash,
      owner: input.owner, keepWarmMinutes: input.keepWarmMinutes, maxLifetimeMinutes: input.maxLifetimeMinutes,
      createdAt: state.createdAt, jobTags: input.jobTags, adlsAccounts: input.adlsAccounts,
    };
    try {
      const created = yield* callCloud<BeginCreateClusterResult | undefined>(context, ACTIVITY.beginCreateCluster, createInput);
      yield* openLedger(context, input, state, created);
      yield phaseEvent({ profileHash: input.profileHash, reuse: input.reuse, expiresAt: expiresAtIso() });
    } catch (err) {
      state.phase = "failed";
      state.deleteReason = `create request refused by Azure: ${failureText(err)}`;
      yield phaseEvent({ reason: state.deleteReason });
    }
  }

  let pollRound = 0;
  let iterations = 0;
  let reconcileAt = nowMs(context) + RECONCILE_HOLDERS_MS;
  while (state.phase === "creating" || state.phase === "ready") {
    status();
    const now = nowMs(context);
    const deadline = Date.parse(state.createdAt as string) + input.maxLifetimeMinutes * 60_000;
    let wakeAt = deadline;
    if (state.phase === "creating") wakeAt = Math.min(deadline, now + backoffMs(pollRound, CREATE_POLL_FIRST_MS, CREATE_POLL_MAX_MS));
    else if (state.holders.length === 0) wakeAt = Math.min(deadline, Date.parse(state.idleSince ?? nowIso(context)) + keepWarmMinutes * 60_000);
    else wakeAt = Math.min(deadline, reconcileAt);
    if (state.phase === "ready" && state.holders.length === 0 && keepWarmMinutes === 0 && inbox.queue.length === 0) {
      state.deleteReason = "released by its last holder (keepWarmMinutes 0)";
      break;
    }
    let cmd = inbox.next();
    if (cmd === undefined) {
      const waiter = inbox.waiter();
      const timer = context.df.createTimer(at(Math.max(wakeAt, now)));
      const winner: Task = yield context.df.Task.any([waiter, timer]);
      if (winner !== timer) {
        timer.cancel();
        cmd = inbox.next();
      }
    }
    if (cmd !== undefined) {
      iterations += 1;
      const stop = yield* handleCommand(context, input, keepWarmMinutes, state, waiting, cmd);
      if (stop) break;
    } else {
      if (nowMs(context) >= deadline) {
        state.deleteReason = `reached its maximum lifetime of ${input.maxLifetimeMinutes} minutes`;
        yield* notifyHolders(context, state.holders, { type: "expiring", clusterName: input.clusterName, reason: `cluster ${input.clusterName} ${state.deleteReason}` });
        break;
      }
      if (state.phase === "creating") {
        pollRound += 1;
        let s: ClusterStatusResult;
        try {
          s = yield* callCloud<ClusterStatusResult>(context, ACTIVITY.getClusterStatus, { clusterName: input.clusterName });
        } catch {
          continue; // could not look (retries exhausted, or refused): look again later; max lifetime still bounds it
        }
        if (s.phase === "ready") {
          state.phase = "ready";
          state.readyAt = nowIso(context);
          noteLedger(context, state, { type: "ready" });
          if (state.holders.length === 0) state.idleSince = state.readyAt;
          yield phaseEvent({ gatewayEndpoint: s.gatewayEndpoint, clusterVersion: s.clusterVersion });
          yield* notifyHolders(context, waiting.splice(0), { type: "ready", clusterName: input.clusterName, gatewayEndpoint: s.gatewayEndpoint, clusterVersion: s.clusterVersion });
          yield* recordTiming(context, input, "provisioning", Date.parse(state.readyAt) - Date.parse(state.createdAt as string));
        } else if (s.phase !== "creating") {
          const reason = s.phase === "gone"
            ? `cluster ${input.clusterName} disappeared while it was being created (deleted outside Jobflow?)`
            : s.errors.length ? s.errors.join("; ") : `cluster ${input.clusterName} ended in ${s.provisioningState ?? s.phase}/${s.clusterState ?? ""}`;
          state.phase = "failed";
          state.deleteReason = `provisioning failed: ${reason}`;
          yield phaseEvent({ reason });
          yield* notifyHolders(context, [...new Set([...waiting.splice(0), ...state.holders])], { type: "failed", clusterName: input.clusterName, reason });
          state.holders = [];
        }
      } else if (state.holders.length > 0) {
        reconcileAt = nowMs(context) + RECONCILE_HOLDERS_MS;
        yield* reconcileHolders(context, input, state);
      } else {
        // Keep-warm elapsed: delete only if the cluster is really idle (no Livy batch, no running YARN app).
        let idle = { idle: false };
        try {
          idle = yield* callCloud<{ idle: boolean }>(context, ACTIVITY.checkClusterIdle, { clusterName: input.clusterName, profileName: input.profileName });
        } catch {
          // No evidence of idleness, no delete: re-check later (the reaper decides the same way).
        }
        if (idle.idle) {
          state.deleteReason = `idle for ${keepWarmMinutes} minutes`;
          break;
        }
        state.idleSince = new Date(nowMs(context) + IDLE_RECHECK_MS - keepWarmMinutes * 60_000).toISOString();
      }
    }
    if (iterations >= ITERATIONS_BEFORE_CONTINUE && waiting.length === 0) {
      // Everything already delivered to this execution goes into the next one's input (preserveUnprocessedEvents).
      yield* inbox.drain();
      context.df.continueAsNew({ ...input, carried: { ...state, pendingCommands: [...inbox.queue] } });
      return { phase: state.phase, continued: true };
    }
  }

  // Teardown: detach edges pointing at it, delete (never giving up while it exists), poll until gone.
  const createFailed = state.phase === "failed";
  state.phase = "deleting";
  status();
  const deleteRequestedMs = nowMs(context);
  yield* recordLedger(context, state, { type: "deleteRequested", reason: state.deleteReason ?? "deleted" });
  yield phaseEvent({ reason: state.deleteReason ?? "deleted" });
  const detachFailed = yield* detachEdgesOf(context, input.clusterName);
  // A job that asks now learns why: the create failure itself (not "being deleted"), or that it is going away.
  const refusal: ClusterNotice = createFailed && state.deleteReason
    ? { type: "failed", clusterName: input.clusterName, reason: `cluster ${input.clusterName}: ${state.deleteReason}` }
    : { type: "unavailable", clusterName: input.clusterName, reason: `cluster ${input.clusterName} is being deleted` };
  yield* teardownCluster(context, input.clusterName, inbox, refusal, (progress) => {
    teardown = progress;
    status();
  });
  state.phase = "deleted";
  status();
  yield* recordLedger(context, state, { type: "deleted" });
  if (state.readyAt) yield* recordTiming(context, input, "deletion", nowMs(context) - deleteRequestedMs);
  yield context.df.callActivity(ACTIVITY.publishEvents, [{ type: "jobflow.cluster.deleted", subject: `clusters/${input.clusterName}`,
    data: { clusterName: input.clusterName, reason: state.deleteReason ?? "deleted", createdAt: state.createdAt, readyAt: state.readyAt, deletedAt: nowIso(context) } }]);
  yield* retryDetaches(context, input.clusterName, detachFailed);
  return { phase: state.phase, reason: state.deleteReason };
};

/** Best effort: one observed create or delete duration for the profile's estimates (shared/cost/clusterTimings.ts). */
function* recordTiming(context: OrchestrationContext, input: ClusterOrchestrationInput, kind: "provisioning" | "deletion", ms: number): Generator<Task, void, unknown> {
  try {
    yield context.df.callActivity(ACTIVITY.recordClusterTiming, { profileHash: input.profileHash, clusterName: input.clusterName, kind, ms });
  } catch {
    // The estimates fall back on older samples or the defaults.
  }
}

/** Releases every holder whose own orchestration has ended (its release was lost), with one event per holder. */
function* reconcileHolders(context: OrchestrationContext, input: ClusterOrchestrationInput, state: ClusterCarriedState): Generator<Task, void, unknown> {
  let ended: string[];
  try {
    ended = (yield context.df.callActivityWithRetry(ACTIVITY.findEndedHolders, cloudRetry(), { holders: [...state.holders] })) as string[];
  } catch {
    return; // next time
  }
  const gone = ended.filter((h) => state.holders.includes(h));
  if (gone.length === 0) return;
  state.holders = state.holders.filter((h) => !gone.includes(h));
  for (const holder of gone) noteLedger(context, state, { type: "released", holder });
  if (state.holders.length === 0) state.idleSince = nowIso(context);
  yield context.df.callActivity(ACTIVITY.publishEvents, gone.map((holder) => ({ type: "jobflow.cluster.holderReconciled", subject: `clusters/${input.clusterName}`,
    data: { clusterName: input.clusterName, holder, reason: `holder ${holder} has ended without releasing the cluster`, holders: [...state.holders], time: nowIso(context) } })));
}

/** Applies one command; returns true when the cluster must now be deleted. */
function* handleCommand(
  context: OrchestrationContext,
  input: ClusterOrchestrationInput,
  keepWarmMinutes: number,
  state: ClusterCarriedState,
  waiting: string[],
  cmd: ClusterCommand,
): Generator<Task, boolean, unknown> {
  const owner = "jobId" in input.owner ? input.owner.jobId : input.owner.leaseId;
  if (cmd.type === "acquire") {
    if (state.releasedEarly?.includes(cmd.holder)) {
      // Its release overtook this acquire (the holder gave up waiting): nobody waits for an answer.
      state.releasedEarly = state.releasedEarly.filter((h) => h !== cmd.holder);
      return false;
    }
    if (state.drained) {
      yield* notifyHolders(context, [cmd.replyTo], { type: "unavailable", clusterName: input.clusterName, reason: `cluster ${input.clusterName} is drained: ${state.drained}` });
      return false;
    }
    const shareable = input.reuse === "warm" || cmd.holder === owner;
    if (!shareable) {
      yield* notifyHolders(context, [cmd.replyTo], { type: "unavailable", clusterName: input.clusterName, reason: `cluster ${input.clusterName} is not shared (reuse: never)` });
      return false;
    }
    if (!state.holders.includes(cmd.holder)) state.holders.push(cmd.holder);
    noteLedger(context, state, { type: "acquired", holder: cmd.holder });
    state.idleSince = undefined;
    if (state.phase === "ready") {
      const notice: ClusterNotice = { type: "ready", clusterName: input.clusterName };
      yield* notifyHolders(context, [cmd.replyTo], notice);
    } else waiting.push(cmd.replyTo);
    return false;
  }
  if (cmd.type === "release") {
    if (!state.holders.includes(cmd.holder) && !waiting.includes(cmd.holder)) {
      state.releasedEarly = [...(state.releasedEarly ?? []), cmd.holder].slice(-50);
      return false;
    }
    state.holders = state.holders.filter((h) => h !== cmd.holder);
    noteLedger(context, state, { type: "released", holder: cmd.holder });
    const i = waiting.indexOf(cmd.holder);
    if (i >= 0) waiting.splice(i, 1);
    if (cmd.drain && !state.drained) {
      state.drained = cmd.drain;
      yield context.df.callActivity(ACTIVITY.publishEvents, [{ type: "jobflow.cluster.drained", subject: `clusters/${input.clusterName}`,
        data: { clusterName: input.clusterName, reason: cmd.drain, holders: [...state.holders], time: nowIso(context) } }]);
    }
    if (state.holders.length > 0) return false;
    state.idleSince = nowIso(context);
    if (state.drained) {
      state.deleteReason = `drained: ${state.drained}`;
      return true;
    }
    if (cmd.terminate) {
      state.deleteReason = `terminated by ${cmd.holder} (ActionOnFailure TERMINATE_CLUSTER)`;
      return true;
    }
    if (state.phase === "creating" && keepWarmMinutes === 0) {
      state.deleteReason = `released by ${cmd.holder} before it was ready`;
      return true;
    }
    return false;
  }
  if (cmd.type === "reap") {
    // The reaper decided from a snapshot; a job may have acquired the cluster since. Holders win.
    if (state.holders.length > 0 || waiting.length > 0) {
      yield context.df.callActivity(ACTIVITY.publishEvents, [{ type: "jobflow.cluster.reapRefused", subject: `clusters/${input.clusterName}`,
        data: { clusterName: input.clusterName, reason: cmd.reason, holders: [...state.holders], time: nowIso(context) } }]);
      return false;
    }
    state.deleteReason = `reaped: ${cmd.reason}`;
    return true;
  }
  state.deleteReason = cmd.reason;
  yield* notifyHolders(context, [...state.holders, ...waiting], { type: "expiring", clusterName: input.clusterName, reason: `cluster ${input.clusterName} is being deleted: ${cmd.reason}` });
  return true;
}

df.app.orchestration(ORCHESTRATION.cluster, clusterLifecycle);
export default clusterLifecycle;
