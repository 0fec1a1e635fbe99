// Persisting the cluster orchestration's cost ledger. The decider (shared/workflow/clusterDecider.ts) appends each
// lifecycle fact with the replay-safe orchestration time; this saves it to Blob when the decider asks (create
// accepted, teardown begun, deletion completed) — the blob is what job records, cluster records and the cost report
// read. While the orchestration serves commands, facts are only noted and published in its custom status
// (ledgerForStatus), so a burst of commands costs no extra activity.
import type { OrchestrationContext, Task } from "durable-functions";
import { ACTIVITY, type ClusterCarriedState } from "../shared/workflow/activities";
import { cloudRetry } from "./waits";
import { callActivityTyped } from "./activityCall";

/** Saves the ledger as it is now (best effort). */
export function* saveLedger(context: OrchestrationContext, state: ClusterCarriedState): Generator<Task, void, unknown> {
  if (!state.ledger) return;
  try {
    yield* callActivityTyped(context, ACTIVITY.saveClusterLedger, state.ledger, cloudRetry());
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
