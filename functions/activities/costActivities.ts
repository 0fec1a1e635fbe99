// Cost activities: persist a cluster's ledger (its orchestration is the single writer) and refresh the cached
// HDInsight price book from the Azure Retail Prices API (shared/cost/prices.ts, functions/store/costStore.ts); record
// and estimate how long a profile's clusters take to create and delete (shared/cost/clusterTimings.ts).
import { ACTIVITY, type RefreshPricesResult } from "../../shared/workflow/activities";
import { ClusterTimingStore } from "../store/clusterTimings";
import { CostStore } from "../store/costStore";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";

type CostActivityName =
  | typeof ACTIVITY.saveClusterLedger
  | typeof ACTIVITY.refreshPrices
  | typeof ACTIVITY.getClusterTimingEstimate
  | typeof ACTIVITY.recordClusterTiming;

export function costActivities(deps: ActivityDeps): Pick<ActivityHandlers, CostActivityName> {
  const { config } = deps;
  const costs = new CostStore(deps.blobs, config.containers.jobs);
  const timings = new ClusterTimingStore(deps.blobs, config.containers.jobs);
  return {
    [ACTIVITY.saveClusterLedger]: async (ledger) => {
      await costs.saveLedger(ledger);
      return { saved: true as const };
    },

    [ACTIVITY.refreshPrices]: async (input) => {
      const book = await costs.refreshPriceBook(
        deps.retailPrices,
        input.region ?? config.location,
        config.prices.currency,
        config.prices.refreshHours,
        deps.clock.nowMs(),
      );
      const result: RefreshPricesResult = {
        source: book.source,
        currency: book.currency,
        region: book.region,
        sizes: Object.keys(book.perNodeHour).length,
      };
      if (book.fetchedAt) result.fetchedAt = book.fetchedAt;
      if (book.note) result.note = book.note;
      return result;
    },

    [ACTIVITY.getClusterTimingEstimate]: (input) => timings.estimate(input.profileHash),

    [ACTIVITY.recordClusterTiming]: async (input) => {
      await timings.record(input.profileHash, input.kind, input.clusterName, input.ms);
      return { recorded: true as const };
    },
  };
}
