// The cluster orchestration's cost ledger: each lifecycle fact is appended with the replay-safe orchestration time
// and persisted by an activity (the ledger blob is what job records, cluster records and the cost report read).
//
// While the orchestration serves commands, facts are only noted (no yield) and published in its custom status
// (ledgerForStatus): yielding an activity between taking a command and waiting for the next one lets a burst of
// commands (three releases at once) reach an already-completed external-event task and be lost. The ledger is
// saved to Blob when the create is accepted, when teardown begins and when the deletion completed.
import type { OrchestrationContext, Task } from "durable-functions";
import { appendLedgerEvent, newLedger, type LedgerEvent } from "../shared/cost/ledger";
import { ACTIVITY, type BeginCreateClusterResult, type ClusterCarriedState, type ClusterOrchestrationInput } from "../shared/workflow/activities";
import { cloudRetry, nowIso } from "./waits";

/** A ledger event without its time (it is stamped with the orchestration's time). */
export type UnstampedLedgerEvent = LedgerEvent extends infer E ? (E extends LedgerEvent ? Omit<E, "at"> : never) : never;

/** Opens the ledger once ARM accepted the create (billing starts now), saves it and refreshes the price book. */
export function* openLedger(context: OrchestrationContext, input: ClusterOrchestrationInput, state: ClusterCarriedState, created: BeginCreateClusterResult | undefined): Generator<Task, void, unknown> {
  if (!input.costLedger) return; // started by code without the ledger: its history has no ledger activities
  const creator = "jobId" in input.owner ? input.owner.jobId : input.owner.leaseId;
  state.ledger = newLedger({ clusterName: input.clusterName, profile: input.profileName, profileHash: input.profileHash, region: created?.region, creator, tags: input.jobTags });
  yield* recordLedger(context, state, { type: "createAccepted", nodes: created?.nodes ?? [] });
  try {
    yield context.df.callActivity(ACTIVITY.refreshPrices, { region: created?.region });
  } catch {
    // Prices are best effort: the cost report falls back to the cached or built-in book and says so.
  }
}

/** Appends one event stamped now, without saving; a no-op before the create was accepted. */
export function noteLedger(context: OrchestrationContext, state: ClusterCarriedState, event: UnstampedLedgerEvent): void {
  if (state.ledger) state.ledger = appendLedgerEvent(state.ledger, { ...event, at: nowIso(context) } as LedgerEvent);
}

/** Appends one event and saves the ledger at once (outside the command loop only). */
export function* recordLedger(context: OrchestrationContext, state: ClusterCarriedState, event: UnstampedLedgerEvent): Generator<Task, void, unknown> {
  if (!state.ledger) return;
  const before = state.ledger;
  noteLedger(context, state, event);
  if (state.ledger === before) return;
  try {
    yield context.df.callActivityWithRetry(ACTIVITY.saveClusterLedger, cloudRetry(), state.ledger);
  } catch {
    // Cost bookkeeping never stops a cluster's lifecycle: the ledger stays in the orchestration's state and the
    // next save writes it whole.
  }
}

/** Custom status stays well under the 16 KB Durable limit: a longer live ledger is read from Blob (older). */
const MAX_STATUS_LEDGER_CHARS = 12_000;

/**
 * The live ledger for the orchestration's custom status (readers prefer it to the blob while the cluster lives):
 * inside the command loop the ledger is noted without saving, so it costs no activity between commands.
 */
export function ledgerForStatus(state: ClusterCarriedState): { ledger?: ClusterCarriedState["ledger"] } {
  if (!state.ledger || JSON.stringify(state.ledger).length > MAX_STATUS_LEDGER_CHARS) return {};
  return { ledger: state.ledger };
}
