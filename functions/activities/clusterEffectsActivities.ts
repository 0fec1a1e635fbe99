// The cluster orchestration's side effects in one activity (shared/workflow/clusterSideEffects.ts has the contract
// and the failure semantics): each part done exactly as its own activity did it (the same handlers), every part
// attempted independently, and the retried parts that failed answered back — only those — so the orchestration's
// next call repeats nothing that succeeded. Never throws for a part's failure.
import { ACTIVITY, EVENT } from "../../shared/workflow/activities";
import type { ClusterSideEffectPart, ClusterSideEffectsInput, ClusterSideEffectsResult } from "../../shared/workflow/clusterSideEffects";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { costActivities } from "./costActivities";
import { durableClientActivities } from "./durableClientActivities";
import { edgeActivities } from "./edgeActivities";
import { keepWarmActivities } from "./keepWarmActivities";
import { recordActivities } from "./recordActivities";

export function clusterEffectsActivities(deps: ActivityDeps): Pick<ActivityHandlers, typeof ACTIVITY.clusterSideEffects> {
  const cost = costActivities(deps);
  const records = recordActivities(deps);
  const durable = durableClientActivities(deps);
  const keepWarm = keepWarmActivities(deps);
  const edgeRecords = edgeActivities(deps);
  return {
    [ACTIVITY.clusterSideEffects]: async (input, invocation) => {
      const failed = new Set<ClusterSideEffectPart>();
      /** Runs one item of a part; false (and the part noted as failed) when it threw. */
      const attempt = async (part: ClusterSideEffectPart, run: () => Promise<unknown>): Promise<boolean> => {
        try {
          await run();
          return true;
        } catch {
          failed.add(part);
          return false;
        }
      };
      /** Runs every item of a part, in parallel; answers the items that failed, in their order. */
      const attemptEach = async <T>(part: ClusterSideEffectPart, items: readonly T[] | undefined, run: (item: T) => Promise<unknown>) => {
        const ok = await Promise.all((items ?? []).map((item) => attempt(part, () => run(item))));
        return (items ?? []).filter((_, i) => !ok[i]);
      };
      const { ledger, events, notices, timings, prices, audits, edgesOf } = input;
      let edges: string[] | undefined;
      const [ledgerSaved, failedNotices, failedAudits, edgesListed] = await Promise.all([
        !ledger || attempt("ledger", () => cost[ACTIVITY.saveClusterLedger](ledger, invocation)),
        attemptEach("notices", notices, (n) =>
          durable[ACTIVITY.raiseEventTo]({ instanceId: n.instanceId, eventName: EVENT.clusterNotice, payload: n.notice }, invocation),
        ),
        attemptEach("audits", audits, (a) => keepWarm[ACTIVITY.recordKeepWarmDecision](a, invocation)),
        edgesOf === undefined ||
          attempt("edges", async () => {
            edges = await edgeRecords[ACTIVITY.listEdgesAttachedTo]({ clusterName: edgesOf }, invocation);
          }),
        // Not retried (best effort, as their own activities were): their failures are only reported.
        events?.length && attempt("events", () => records[ACTIVITY.publishEvents](events, invocation)),
        attemptEach("timings", timings, (t) => cost[ACTIVITY.recordClusterTiming](t, invocation)),
        prices && attempt("prices", () => cost[ACTIVITY.refreshPrices](prices, invocation)),
      ]);
      // Only the retried parts' failed items go back (notices and audits in their order).
      const retry: ClusterSideEffectsInput = {
        ...(ledger && !ledgerSaved ? { ledger } : {}),
        ...(failedNotices.length > 0 ? { notices: failedNotices } : {}),
        ...(failedAudits.length > 0 ? { audits: failedAudits } : {}),
        ...(edgesOf !== undefined && !edgesListed ? { edgesOf } : {}),
      };
      const result: ClusterSideEffectsResult = { failed: [...failed].sort() };
      if (Object.keys(retry).length > 0) result.retry = retry;
      if (edges) result.edges = edges;
      return result;
    },
  };
}
