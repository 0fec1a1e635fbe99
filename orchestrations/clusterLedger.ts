// Persisting the cluster orchestration's cost ledger. The decider (shared/workflow/clusterDecider.ts) appends each
// lifecycle fact with the replay-safe orchestration time; the orchestration saves it to Blob when the decider asks
// (create accepted, teardown begun, deletion completed; a side effect, clusterLifecycle.ts) — the blob is what job
// records, cluster records and the cost report read. While the orchestration serves commands, facts are only noted and published in its custom status
// (ledgerForStatus), so a burst of commands costs no extra activity.
import type { ClusterCarriedState } from "../shared/workflow/activities";

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
