// Cost activities: persist a cluster's ledger (its orchestration is the single writer) and refresh the cached
// HDInsight price book from the Azure Retail Prices API (shared/cost/prices.ts, functions/store/costStore.ts); record
// and estimate how long a profile's clusters take to create and delete (shared/cost/clusterTimings.ts).
import * as df from "durable-functions";
import type { ClusterLedger } from "../../shared/cost/ledger";
import type { ClusterTimingEstimate, ClusterTimingKind } from "../../shared/cost/clusterTimings";
import { ACTIVITY, type RefreshPricesResult } from "../../shared/workflow/activities";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";

df.app.activity(ACTIVITY.saveClusterLedger, {
  handler: async (ledger: ClusterLedger) => {
    await services().costs.saveLedger(ledger);
    return { saved: true };
  },
});

df.app.activity(ACTIVITY.refreshPrices, {
  handler: async (input: { region?: string }): Promise<RefreshPricesResult> => {
    const s = services();
    const book = await s.costs.refreshPriceBook(s.retailPrices, input.region ?? s.config.location, s.config.prices.currency, s.config.prices.refreshHours, appClock().nowMs());
    const result: RefreshPricesResult = { source: book.source, currency: book.currency, region: book.region, sizes: Object.keys(book.perNodeHour).length };
    if (book.fetchedAt) result.fetchedAt = book.fetchedAt;
    if (book.note) result.note = book.note;
    return result;
  },
});

df.app.activity(ACTIVITY.getClusterTimingEstimate, {
  handler: async (input: { profileHash: string }): Promise<ClusterTimingEstimate> => services().clusterTimings.estimate(input.profileHash),
});

df.app.activity(ACTIVITY.recordClusterTiming, {
  handler: async (input: { profileHash: string; clusterName: string; kind: ClusterTimingKind; ms: number }) => {
    await services().clusterTimings.record(input.profileHash, input.kind, input.clusterName, input.ms);
    return { recorded: true };
  },
});
