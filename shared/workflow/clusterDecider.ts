// The cluster lifecycle as a pure decider: decideCluster(input, state, event, nowMs) → { state, commands }.
// orchestrations/clusterLifecycle.ts only turns the commands into activities and timers and feeds their results
// back as events; every rule lives here and is table-tested in milliseconds (test/unit/workflow/clusterDecider*.ts).
// Every phase change goes through transition() of the one cluster vocabulary (shared/states/cluster.ts): an
// impossible move throws. Times are absolute: the next create poll, the next holder reconciliation and the end of
// keep-warm are stored in the state, so a command (a job joining) never moves them. The holder rules (acquire,
// release, reap, delete, reconciliation) are in clusterHolders.ts, which this decision hands its helpers to.
import { appendLedgerEvent, newLedger, type LedgerEvent } from "../cost/ledger";
import { clusterMachine, type ClusterEvent } from "../states/cluster";
import { transition } from "../states/machine";
import type { ClusterCarriedState, ClusterNotice, ClusterOrchestrationInput, ClusterStatusResult } from "./activities";
import { DEFAULT_CLUSTER_TIMINGS, nextCreatePollAtMs } from "./clusterPolling";
import type { ClusterDeciderCommand, ClusterDeciderEvent, NextDemandAnswer } from "./clusterDeciderTypes";
import { decideKeepWarm, keepWarmAuditRecord } from "./keepWarmRule";
import {
  RECONCILE_HOLDERS_MS,
  onCommand,
  onHoldersReconciled,
  reconcileGapMs,
  type ClusterDeciding,
  type Unstamped,
} from "./clusterHolders";

export { RECONCILE_HOLDERS_MAX_MS, RECONCILE_HOLDERS_MS, reconcileGapMs } from "./clusterHolders";

export type { ClusterDeciderCommand, ClusterDeciderEvent } from "./clusterDeciderTypes";

/** An idle cluster found busy (a Livy batch, a YARN app) is looked at again after this long. */
export const IDLE_RECHECK_MS = 5 * 60_000;

export interface ClusterDecision {
  state: ClusterCarriedState;
  commands: ClusterDeciderCommand[];
}

/** Commands whose result comes back as an event: while one is out, the decider asks for no wait. */
const ANSWERED: ReadonlySet<ClusterDeciderCommand["type"]> = new Set([
  "beginCreate",
  "getTimings",
  "pollStatus",
  "checkIdle",
  "askNextDemand",
  "reconcileHolders",
  "teardown",
]);

/** A fresh state for a new cluster (or the carried one, with "new" from older instances read as "requested"). */
export function initialClusterState(carried?: ClusterCarriedState): ClusterCarriedState {
  if (!carried) return { phase: "requested", holders: [], waiting: [] };
  const phase = (carried.phase as string) === "new" ? "requested" : carried.phase;
  return { ...carried, phase, waiting: carried.waiting ?? [] };
}

export function decideCluster(
  input: ClusterOrchestrationInput,
  prior: ClusterCarriedState,
  event: ClusterDeciderEvent,
  nowMs: number,
): ClusterDecision {
  const s: ClusterCarriedState = { ...prior, holders: [...prior.holders], waiting: [...(prior.waiting ?? [])] };
  const out: ClusterDeciderCommand[] = [];
  const nowIso = new Date(nowMs).toISOString();
  const name = input.clusterName;
  const subject = `clusters/${name}`;
  const keepWarmMinutes = input.reuse === "never" ? 0 : input.keepWarmMinutes;
  const timings = (): NonNullable<ClusterCarriedState["timings"]> => s.timings ?? DEFAULT_CLUSTER_TIMINGS;
  const createdMs = (): number => Date.parse(s.createdAt ?? nowIso);
  const deadlineMs = (): number => createdMs() + input.maxLifetimeMinutes * 60_000;

  const move = (e: ClusterEvent): void => {
    s.phase = transition(clusterMachine, s.phase, e);
  };
  const note = (e: Unstamped): void => {
    if (s.ledger) s.ledger = appendLedgerEvent(s.ledger, { ...e, at: nowIso } as LedgerEvent);
  };
  const publish = (type: string, data: Record<string, unknown>): void => {
    out.push({ type: "publish", events: [{ type, subject, data: { clusterName: name, ...data, time: nowIso } }] });
  };
  const phaseEvent = (extra: Record<string, unknown> = {}): void =>
    publish(`jobflow.cluster.${s.phase}`, { phase: s.phase, holders: [...s.holders], ...extra });
  const notify = (to: string[], notice: ClusterNotice): void => {
    if (to.length > 0) out.push({ type: "notify", to, notice });
  };

  /** Teardown begins (the phase is already `deleting`). */
  const teardown = (refusal: ClusterNotice): void => {
    s.deleteRequestedAtMs = nowMs;
    s.keepUntilMs = undefined;
    s.nextPollAtMs = undefined;
    note({ type: "deleteRequested", reason: s.deleteReason ?? "deleted" });
    out.push({ type: "saveLedger" });
    phaseEvent({ reason: s.deleteReason ?? "deleted" });
    out.push({ type: "teardown", refusal });
  };
  const requestDelete = (reason: string, refusal?: ClusterNotice): void => {
    s.deleteReason = reason;
    move("deleteRequested");
    teardown(refusal ?? { type: "unavailable", clusterName: name, reason: `cluster ${name} is being deleted` });
  };
  /** The cluster just became idle (phase `idle`): decide how long to keep it. */
  const becameIdle = (): void => {
    s.idleSince = nowIso;
    s.keepUntilMs = undefined;
    s.deleteWithoutIdleCheck = undefined;
    if (input.reuse === "never") {
      // Nobody else may join it: deleted now (a wait for commands already delivered could only bring refusals).
      s.deleteReason = "released by its last holder (keepWarmMinutes 0)";
      move("idleTimeout");
      teardown({ type: "unavailable", clusterName: name, reason: `cluster ${name} is being deleted` });
    } else if (keepWarmMinutes === 0) {
      // Its job wants no keep-warm: deleted as soon as no command is waiting (a warm job may be joining right now).
      s.keepUntilMs = nowMs;
      s.deleteWithoutIdleCheck = true;
    } else if ((input.keepWarmPolicy ?? "breakEven") === "fixed") keepWarmDecided({ idleGapsMs: [] });
    else out.push({ type: "askNextDemand" });
  };
  const keepWarmDecided = (answer: NextDemandAnswer): void => {
    const policy = input.keepWarmPolicy ?? "breakEven";
    const inputs = { policy, keepWarmMinutes, timings: timings(), nextDemand: answer.next, idleGapsMs: answer.idleGapsMs };
    const d = decideKeepWarm(inputs, nowMs);
    s.keepUntilMs = d.untilMs;
    const record = keepWarmAuditRecord(
      { clusterName: name, profileHash: input.profileHash, idleSince: s.idleSince ?? nowIso },
      inputs,
      d,
      nowMs,
    );
    publish("jobflow.cluster.keepWarmDecided", { ...record });
    out.push({ type: "auditKeepWarm", record });
  };
  const lastHolderLeft = (): void => {
    if (s.phase === "ready") {
      move("lastReleased");
      becameIdle();
    } else s.idleSince = nowIso;
  };

  const d: ClusterDeciding = { input, s, out, nowMs, nowIso, keepWarmMinutes, move, note, publish, notify, requestDelete, lastHolderLeft };

  switch (event.type) {
    case "start":
      if (s.phase === "requested") {
        s.createdAt = nowIso;
        out.push({ type: "beginCreate" });
      } else if (s.phase === "creating" && s.nextPollAtMs === undefined)
        s.nextPollAtMs = nowMs; // carried from older code
      else if (s.phase === "ready" && s.holders.length === 0 && s.keepUntilMs === undefined) {
        move("lastReleased"); // carried from older code, where an idle cluster was "ready" without holders
        becameIdle();
      }
      break;
    case "createAccepted": {
      move("beginCreate");
      s.createAccepted = true;
      if (input.costLedger) {
        const creator = "jobId" in input.owner ? input.owner.jobId : input.owner.leaseId;
        s.ledger = newLedger({
          clusterName: name,
          profile: input.profileName,
          profileHash: input.profileHash,
          region: event.region,
          creator,
          tags: input.jobTags,
        });
        note({ type: "createAccepted", nodes: event.nodes });
        out.push({ type: "saveLedger" }, { type: "refreshPrices", region: event.region });
      }
      // The profile's timing estimate usually comes with the accepted create (read in the same activity).
      if (event.timings) s.timings = event.timings;
      s.nextPollAtMs = nextCreatePollAtMs(createdMs(), nowMs, timings());
      phaseEvent({ profileHash: input.profileHash, reuse: input.reuse, expiresAt: new Date(deadlineMs()).toISOString() });
      if (!event.timings) out.push({ type: "getTimings" });
      break;
    }
    case "createRefused":
      move("createRejected");
      s.deleteReason = `create request refused by Azure: ${event.reason}`;
      phaseEvent({ reason: s.deleteReason });
      move("deleteRequested");
      teardown({ type: "failed", clusterName: name, reason: `cluster ${name}: ${s.deleteReason}` });
      break;
    case "timings":
      s.timings = event.timings ?? DEFAULT_CLUSTER_TIMINGS;
      if (s.phase === "creating") s.nextPollAtMs = nextCreatePollAtMs(createdMs(), nowMs, timings());
      break;
    case "status":
      if (s.phase === "creating") onStatus(event.result);
      break;
    case "command":
      onCommand(d, event.command);
      break;
    case "timer":
      onTimer();
      break;
    case "idleChecked":
      if (s.phase !== "idle") break;
      if (event.idle === true) {
        s.deleteReason = s.deleteWithoutIdleCheck
          ? "released by its last holder (keepWarmMinutes 0)"
          : `idle for ${Math.round((nowMs - Date.parse(s.idleSince ?? nowIso)) / 60_000)} minutes`;
        move("idleTimeout");
        teardown({ type: "unavailable", clusterName: name, reason: `cluster ${name} is being deleted` });
      } else s.keepUntilMs = nowMs + IDLE_RECHECK_MS; // busy, or no evidence of idleness: no delete, look again
      break;
    case "nextDemand":
      if (s.phase === "idle") keepWarmDecided(event.answer ?? { idleGapsMs: [] });
      break;
    case "holdersReconciled":
      onHoldersReconciled(d, event.ended);
      break;
    case "teardownDone":
      move("deleted");
      note({ type: "deleted" });
      out.push({ type: "saveLedger" });
      publish("jobflow.cluster.deleted", {
        reason: s.deleteReason ?? "deleted",
        createdAt: s.createdAt,
        readyAt: s.readyAt,
        deletedAt: nowIso,
      });
      if (s.readyAt && s.deleteRequestedAtMs !== undefined)
        out.push({ type: "recordTiming", kind: "deletion", ms: nowMs - s.deleteRequestedAtMs });
      out.push({ type: "finish" });
      break;
  }

  function onStatus(result: ClusterStatusResult | undefined): void {
    if (result?.phase === "ready") {
      move("provisioned");
      s.readyAt = nowIso;
      s.nextPollAtMs = undefined;
      // Its holders were just told it is ready: the first look at whether they still run is one interval later.
      s.reconcileAtMs = nowMs + RECONCILE_HOLDERS_MS;
      note({ type: "ready" });
      phaseEvent({ gatewayEndpoint: result.gatewayEndpoint, clusterVersion: result.clusterVersion });
      notify(s.waiting ?? [], {
        type: "ready",
        clusterName: name,
        gatewayEndpoint: result.gatewayEndpoint,
        clusterVersion: result.clusterVersion,
      });
      out.push({ type: "recordTiming", kind: "provisioning", ms: nowMs - createdMs() });
      s.waiting = [];
      if (s.holders.length === 0) lastHolderLeft();
      return;
    }
    if (result === undefined || result.phase === "creating") {
      s.nextPollAtMs = nextCreatePollAtMs(createdMs(), nowMs, timings());
      return;
    }
    const reason =
      result.phase === "gone"
        ? `cluster ${name} disappeared while it was being created (deleted outside Jobflow?)`
        : result.errors.length
          ? result.errors.join("; ")
          : `cluster ${name} ended in ${result.provisioningState ?? result.phase}/${result.clusterState ?? ""}`;
    move("provisioningFailed");
    s.deleteReason = `provisioning failed: ${reason}`;
    phaseEvent({ reason });
    notify([...new Set([...(s.waiting ?? []), ...s.holders])], { type: "failed", clusterName: name, reason });
    s.waiting = [];
    s.holders = [];
    move("deleteRequested");
    teardown({ type: "failed", clusterName: name, reason: `cluster ${name}: ${s.deleteReason}` });
  }

  function onTimer(): void {
    if (s.phase !== "creating" && s.phase !== "ready" && s.phase !== "idle") return;
    if (nowMs >= deadlineMs()) {
      s.deleteReason = `reached its maximum lifetime of ${input.maxLifetimeMinutes} minutes`;
      notify(s.holders, { type: "expiring", clusterName: name, reason: `cluster ${name} ${s.deleteReason}` });
      move("expired");
      teardown({ type: "unavailable", clusterName: name, reason: `cluster ${name} is being deleted` });
    } else if (s.phase === "creating" && nowMs >= (s.nextPollAtMs ?? nowMs)) out.push({ type: "pollStatus" });
    else if (s.phase === "ready" && s.holders.length > 0 && nowMs >= (s.reconcileAtMs ?? nowMs)) {
      s.reconcileAtMs = nowMs + reconcileGapMs(Date.parse(s.readyAt ?? nowIso), nowMs);
      out.push({ type: "reconcileHolders", holders: [...s.holders] });
    } else if (s.phase === "idle" && s.keepUntilMs !== undefined && nowMs >= s.keepUntilMs) {
      if (s.deleteWithoutIdleCheck) {
        s.deleteReason = "released by its last holder (keepWarmMinutes 0)";
        move("idleTimeout");
        teardown({ type: "unavailable", clusterName: name, reason: `cluster ${name} is being deleted` });
      } else out.push({ type: "checkIdle" });
    }
  }

  if (!out.some((c) => ANSWERED.has(c.type)) && (s.phase === "creating" || s.phase === "ready" || s.phase === "idle")) {
    out.push({ type: "wakeAt", atMs: nextWakeMs(s, deadlineMs()) });
  }
  return { state: s, commands: out };
}

/** The absolute time the orchestration next has something to do by itself (poll, reconcile, keep-warm end, expiry). */
export function nextWakeMs(s: ClusterCarriedState, deadlineMs: number): number {
  if (s.phase === "creating") return Math.min(deadlineMs, s.nextPollAtMs ?? deadlineMs);
  if (s.phase === "ready" && s.holders.length > 0) return Math.min(deadlineMs, s.reconcileAtMs ?? deadlineMs);
  if (s.phase === "idle") return Math.min(deadlineMs, s.keepUntilMs ?? deadlineMs);
  return deadlineMs;
}
