// Who holds a cluster (pure; part of the cluster decider, clusterDecider.ts, split along this seam): the holder
// commands jobs, leases, schedules and the reaper send — acquire (join, wait for ready, or be refused: drained, or not
// shared), release (the last one out makes the cluster idle, or deletes it: terminate, drain, keepWarmMinutes 0 while
// creating), reap (holders win) and delete — and the periodic reconciliation that drops holders whose orchestration
// ended without releasing. The rest of the lifecycle (create, polls, keep-warm, teardown) is the decider's.
import type { LedgerEvent } from "../cost/ledger";
import type { ClusterEvent } from "../states/cluster";
import type { ClusterCarriedState, ClusterCommand, ClusterNotice, ClusterOrchestrationInput } from "./activities";
import type { ClusterDeciderCommand } from "./clusterDeciderTypes";

/** When a held cluster first checks that every holder's orchestration still runs (after it became ready)… */
export const RECONCILE_HOLDERS_MS = 10 * 60_000;
/** …and the longest gap between two checks later on. */
export const RECONCILE_HOLDERS_MAX_MS = 30 * 60_000;

/**
 * The gap until the next holder check of a cluster ready since `readyAtMs`: 1.5 × the time it has been ready, between
 * 10 and 30 minutes (10, 15, 30, 30… after ready). A holder ending without a release is rare (a terminated
 * orchestration): a short job is looked at once or twice, a long-held cluster every half hour.
 */
export function reconcileGapMs(readyAtMs: number, nowMs: number): number {
  return Math.min(RECONCILE_HOLDERS_MAX_MS, Math.max(RECONCILE_HOLDERS_MS, Math.round(1.5 * (nowMs - readyAtMs))));
}
/** A ledger event without its time (the decider stamps it with `nowMs`). */
export type Unstamped = LedgerEvent extends infer E ? (E extends LedgerEvent ? Omit<E, "at"> : never) : never;

/** One decision in progress: the state being changed, the commands so far, and the decider's helpers. */
export interface ClusterDeciding {
  input: ClusterOrchestrationInput;
  s: ClusterCarriedState;
  out: ClusterDeciderCommand[];
  nowMs: number;
  nowIso: string;
  keepWarmMinutes: number;
  move: (e: ClusterEvent) => void;
  note: (e: Unstamped) => void;
  publish: (type: string, data: Record<string, unknown>) => void;
  notify: (to: string[], notice: ClusterNotice) => void;
  requestDelete: (reason: string, refusal?: ClusterNotice) => void;
  /** The last holder left: a ready cluster becomes idle (keep-warm decided), a creating one only notes the time. */
  lastHolderLeft: () => void;
}

/** Holders whose orchestration has ended (undefined: could not be read) leave a ready cluster. */
export function onHoldersReconciled(d: ClusterDeciding, ended: string[] | undefined): void {
  const { s, out, note, lastHolderLeft, nowIso } = d;
  const name = d.input.clusterName;
  const subject = `clusters/${name}`;
  const gone = (ended ?? []).filter((h) => s.holders.includes(h));
  if (gone.length === 0 || s.phase !== "ready") return;
  s.holders = s.holders.filter((h) => !gone.includes(h));
  for (const holder of gone) note({ type: "released", holder });
  out.push({
    type: "publish",
    events: gone.map((holder) => ({
      type: "jobflow.cluster.holderReconciled",
      subject,
      data: {
        clusterName: name,
        holder,
        reason: `holder ${holder} has ended without releasing the cluster`,
        holders: [...s.holders],
        time: nowIso,
      },
    })),
  });
  if (s.holders.length === 0) lastHolderLeft();
}

/** A holder command (acquire, release, reap, delete) while the cluster is creating, ready or idle. */
export function onCommand(d: ClusterDeciding, cmd: ClusterCommand): void {
  const { input, s, keepWarmMinutes, move, note, publish, notify, requestDelete, lastHolderLeft } = d;
  const name = input.clusterName;
  if (s.phase !== "creating" && s.phase !== "ready" && s.phase !== "idle") return; // teardown answers commands itself
  const owner = "jobId" in input.owner ? input.owner.jobId : input.owner.leaseId;
  const waiting = s.waiting ?? [];
  if (cmd.type === "acquire") {
    if (s.phase === "creating" && s.holders.includes(cmd.holder) && waiting.includes(cmd.replyTo)) {
      // The same acquire again (an acquireCluster retried after the start that carried it): already waiting.
    } else if (s.releasedEarly?.includes(cmd.holder)) {
      // Its release overtook this acquire (the holder gave up waiting): nobody waits for an answer.
      s.releasedEarly = s.releasedEarly.filter((h) => h !== cmd.holder);
    } else if (s.drained)
      notify([cmd.replyTo], { type: "unavailable", clusterName: name, reason: `cluster ${name} is drained: ${s.drained}` });
    else if (input.reuse !== "warm" && cmd.holder !== owner) {
      notify([cmd.replyTo], { type: "unavailable", clusterName: name, reason: `cluster ${name} is not shared (reuse: never)` });
    } else {
      if (!s.holders.includes(cmd.holder)) s.holders.push(cmd.holder);
      note({ type: "acquired", holder: cmd.holder });
      s.idleSince = undefined;
      s.keepUntilMs = undefined;
      s.deleteWithoutIdleCheck = undefined;
      move("acquired");
      if (s.phase === "ready") notify([cmd.replyTo], { type: "ready", clusterName: name });
      else waiting.push(cmd.replyTo);
    }
  } else if (cmd.type === "release") {
    if (!s.holders.includes(cmd.holder) && !waiting.includes(cmd.holder)) {
      s.releasedEarly = [...(s.releasedEarly ?? []), cmd.holder].slice(-50);
      return;
    }
    s.holders = s.holders.filter((h) => h !== cmd.holder);
    note({ type: "released", holder: cmd.holder });
    s.waiting = waiting.filter((w) => w !== cmd.holder);
    if (cmd.drain && !s.drained) {
      s.drained = cmd.drain;
      publish("jobflow.cluster.drained", { reason: cmd.drain, holders: [...s.holders] });
    }
    if (s.holders.length > 0) {
      move("released");
      return;
    }
    if (s.phase === "creating") move("released");
    if (s.drained) requestDelete(`drained: ${s.drained}`);
    else if (cmd.terminate) requestDelete(`terminated by ${cmd.holder} (ActionOnFailure TERMINATE_CLUSTER)`);
    else if (s.phase === "creating" && keepWarmMinutes === 0) requestDelete(`released by ${cmd.holder} before it was ready`);
    else lastHolderLeft();
  } else if (cmd.type === "reap") {
    // The reaper decided from a snapshot; a job may have acquired the cluster since. Holders win.
    if (s.holders.length > 0 || waiting.length > 0) publish("jobflow.cluster.reapRefused", { reason: cmd.reason, holders: [...s.holders] });
    else requestDelete(`reaped: ${cmd.reason}`);
  } else {
    notify([...new Set([...s.holders, ...waiting])], {
      type: "expiring",
      clusterName: name,
      reason: `cluster ${name} is being deleted: ${cmd.reason}`,
    });
    requestDelete(cmd.reason);
  }
}
