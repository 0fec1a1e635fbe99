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
      const retry: ClusterSideEffectsInput = {};
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
      const { ledger, events, notices, timings, prices, audits, edgesOf } = input;
      let edges: string[] | undefined;
      await Promise.all([
        ledger &&
          attempt("ledger", () => cost[ACTIVITY.saveClusterLedger](ledger, invocation)).then((ok) => {
            if (!ok) retry.ledger = ledger;
          }),
        events?.length && attempt("events", () => records[ACTIVITY.publishEvents](events, invocation)),
        ...(notices ?? []).map((n) =>
          attempt("notices", () =>
            durable[ACTIVITY.raiseEventTo]({ instanceId: n.instanceId, eventName: EVENT.clusterNotice, payload: n.notice }, invocation),
          ).then((ok) => {
            if (!ok) retry.notices = [...(retry.notices ?? []), n];
          }),
        ),
        ...(timings ?? []).map((t) => attempt("timings", () => cost[ACTIVITY.recordClusterTiming](t, invocation))),
        prices && attempt("prices", () => cost[ACTIVITY.refreshPrices](prices, invocation)),
        ...(audits ?? []).map((a) =>
          attempt("audits", () => keepWarm[ACTIVITY.recordKeepWarmDecision](a, invocation)).then((ok) => {
            if (!ok) retry.audits = [...(retry.audits ?? []), a];
          }),
        ),
        edgesOf !== undefined &&
          attempt("edges", async () => {
            edges = await edgeRecords[ACTIVITY.listEdgesAttachedTo]({ clusterName: edgesOf }, invocation);
          }).then((ok) => {
            if (!ok) retry.edgesOf = edgesOf;
          }),
      ]);
      // Retried items keep their order (events are not retried; notices and audits are independent of each other).
      if (retry.notices && notices) retry.notices = notices.filter((n) => retry.notices?.includes(n));
      if (retry.audits && audits) retry.audits = audits.filter((a) => retry.audits?.includes(a));
      const result: ClusterSideEffectsResult = { failed: [...failed].sort() };
      if (Object.keys(retry).length > 0) result.retry = retry;
      if (edges) result.edges = edges;
      return result;
    },
  };
}
