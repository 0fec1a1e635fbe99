// The cluster orchestration's side effects as ONE activity (clusterSideEffects): consecutive decider commands that
// nothing waits on — the ledger save, lifecycle events, notices to holders, timing samples, the price refresh,
// keep-warm audit records — used to go out as a Task.all of one activity each, and each completion could wake the
// orchestration on its own (one episode each). Pure: the orchestration (orchestrations/clusterLifecycle.ts) merges
// the commands with sideEffectsOf() and runs the activity; table-tested in test/unit/workflow/clusterSideEffects.test.ts.
//
// Failure semantics (what each part did as an activity of its own, kept):
// * every part is attempted independently — one failing never stops the others;
// * the ledger save, the audit records and the notices were retried (cloudRetry) and still are: the activity answers
//   with the parts that failed (`retry`), and the orchestration calls it again with only those, after a durable
//   timer (sideEffectRetryDelayMs), up to SIDE_EFFECT_ATTEMPTS calls. A part that succeeded is never sent again, so
//   a retry doubles nothing (an event, a notice);
// * the edge list a teardown's detach needs (`edgesOf`) is retried the same way (it was cloudRetry too);
// * events, timing samples and the price refresh were one attempt, best effort, and still are (never retried: an
//   event published twice is worse than one lost, and the next create refreshes prices / records a timing again);
// * a part still failing after the last attempt is dropped: the cluster's lifecycle never waits on a side effect.
import type { ClusterLedger } from "../cost/ledger";
import type { ClusterTimingKind } from "../cost/clusterTimings";
import type { ClusterNotice, EventDraft } from "./activities";
import type { ClusterDeciderCommand, KeepWarmAuditRecord } from "./clusterDeciderTypes";

export interface ClusterTimingSampleInput {
  profileHash: string;
  clusterName: string;
  kind: ClusterTimingKind;
  ms: number;
}

export interface HolderNoticeInput {
  /** The holder's orchestration instance id (event `clusterNotice`). */
  instanceId: string;
  notice: ClusterNotice;
}

/** What one clusterSideEffects call does; every part optional (an empty input does nothing). */
export interface ClusterSideEffectsInput {
  /** The cluster's ledger, saved whole (idempotent: the blob is overwritten). Retried. */
  ledger?: ClusterLedger;
  /** Lifecycle events, published in this order as one batch. Not retried. */
  events?: EventDraft[];
  /** Notices to holders (raised on their orchestrations). Retried, each on its own. */
  notices?: HolderNoticeInput[];
  /** Observed create/delete durations (a sample already there for the cluster is not counted twice). Not retried. */
  timings?: ClusterTimingSampleInput[];
  /** Refresh the price book of this region (when stale). Not retried. */
  prices?: { region?: string };
  /** Keep-warm decisions' audit records. Retried, each on its own. */
  audits?: KeepWarmAuditRecord[];
  /**
   * List the edge VMs attached to this cluster (answered as `edges`): the side effects of a teardown's start ride
   * with the list its detach needs. Retried; when it still fails, the teardown lists them itself.
   */
  edgesOf?: string;
}

export type ClusterSideEffectPart = "ledger" | "events" | "notices" | "timings" | "prices" | "audits" | "edges";

export interface ClusterSideEffectsResult {
  /** The parts that failed (an item of them, at least) in this call, retried or not: for logs and tests. */
  failed: ClusterSideEffectPart[];
  /** The retried parts that failed (only the failed items): the input of the next call, if any. */
  retry?: ClusterSideEffectsInput;
  /** The edge VMs attached to the cluster (`edgesOf`), when they could be listed. */
  edges?: string[];
}

/** Calls of the activity at most (the first and the retries), as cloudRetry() attempted each part before. */
export const SIDE_EFFECT_ATTEMPTS = 6;
export const SIDE_EFFECT_RETRY_FIRST_MS = 15_000;
export const SIDE_EFFECT_RETRY_MAX_MS = 5 * 60_000;

/** The wait before call number `attempt + 1` after call `attempt` left parts to retry: 15 s doubling, at most 5 min. */
export function sideEffectRetryDelayMs(attempt: number): number {
  return Math.min(SIDE_EFFECT_RETRY_MAX_MS, SIDE_EFFECT_RETRY_FIRST_MS * Math.pow(2, Math.max(0, attempt - 1)));
}

/** The decider commands this module turns into the one activity (all the decider's unanswered side effects). */
export const SIDE_EFFECT_COMMANDS: ReadonlySet<ClusterDeciderCommand["type"]> = new Set([
  "refreshPrices",
  "saveLedger",
  "notify",
  "publish",
  "auditKeepWarm",
  "recordTiming",
]);

export interface SideEffectsContext {
  clusterName: string;
  profileHash: string;
  /** The ledger as the decision left it (saved by a saveLedger command), when the cluster keeps one. */
  ledger?: ClusterLedger;
}

/**
 * One activity input for consecutive side-effect commands, in their order (events and notices keep it). A saveLedger
 * saves `ctx.ledger` (once, however many were asked: the ledger is saved whole); undefined when there is nothing to do.
 */
export function sideEffectsOf(commands: readonly ClusterDeciderCommand[], ctx: SideEffectsContext): ClusterSideEffectsInput | undefined {
  const out: ClusterSideEffectsInput = {};
  for (const cmd of commands) {
    if (cmd.type === "saveLedger") {
      if (ctx.ledger) out.ledger = ctx.ledger;
    } else if (cmd.type === "publish") out.events = [...(out.events ?? []), ...cmd.events];
    else if (cmd.type === "notify")
      out.notices = [...(out.notices ?? []), ...cmd.to.map((instanceId) => ({ instanceId, notice: cmd.notice }))];
    else if (cmd.type === "recordTiming")
      out.timings = [...(out.timings ?? []), { profileHash: ctx.profileHash, clusterName: ctx.clusterName, kind: cmd.kind, ms: cmd.ms }];
    else if (cmd.type === "refreshPrices") out.prices = cmd.region === undefined ? {} : { region: cmd.region };
    else if (cmd.type === "auditKeepWarm") out.audits = [...(out.audits ?? []), cmd.record];
  }
  return hasSideEffects(out) ? out : undefined;
}

/** True when the input asks for anything at all. */
export function hasSideEffects(input: ClusterSideEffectsInput | undefined): input is ClusterSideEffectsInput {
  if (!input) return false;
  return (
    input.ledger !== undefined ||
    input.prices !== undefined ||
    input.edgesOf !== undefined ||
    (input.events?.length ?? 0) > 0 ||
    (input.notices?.length ?? 0) > 0 ||
    (input.timings?.length ?? 0) > 0 ||
    (input.audits?.length ?? 0) > 0
  );
}
