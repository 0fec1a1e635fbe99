// Read side of cost: a job's share and a cluster's bill from its ledger (as of now, final once deleted), and the
// cost report over every ledger. A live cluster's newest ledger is in its orchestration's custom status (the blob
// is saved at create, teardown and deletion); `LiveLedgers` reads it. Prices: the cached price book of the
// cluster's region (built-in fallback, named as such, when none was fetched yet).
import type { DurableClient } from "durable-functions";
import { OrchestrationRuntimeStatus } from "durable-functions";
import { clusterInstanceId } from "../../shared/workflow/activities";
import type { ClusterCost } from "../../shared/cost/billing";
import { computeClusterCost } from "../../shared/cost/billing";
import { jobShareOf, type JobCost } from "../../shared/cost/jobShare";
import type { ClusterLedger } from "../../shared/cost/ledger";
import type { PriceBook } from "../../shared/cost/prices";
import { buildCostReport, type CostGroupBy, type CostReport } from "../../shared/cost/report";
import type { JobRecord } from "../../shared/workflow/jobRecord";
import type { Clock } from "../../shared/clock";
import type { JobflowConfig } from "../../shared/config";
import type { CostStore } from "./costStore";
import type { JobStore } from "./jobStore";

/** What the cost read side needs (the app's Services satisfy it; activities pass their own deps). */
export interface CostReaderDeps {
  config: JobflowConfig;
  costs: CostStore;
  clock: Clock;
}

/** The live ledger of a cluster whose orchestration still runs (undefined otherwise). */
export type LiveLedgers = (clusterName: string) => Promise<ClusterLedger | undefined>;

const RUNNING = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.ContinuedAsNew];

export function liveLedgers(client: DurableClient): LiveLedgers {
  return async (clusterName) => {
    const st = await client.getStatus(clusterInstanceId(clusterName)).catch(() => undefined);
    if (!st || !RUNNING.includes(st.runtimeStatus)) return undefined;
    return (st.customStatus as { ledger?: ClusterLedger } | undefined)?.ledger;
  };
}

/** The newer of the blob's and the orchestration's ledger (ledgers only grow). */
async function freshest(
  blob: ClusterLedger | undefined,
  live: LiveLedgers | undefined,
  clusterName: string,
): Promise<ClusterLedger | undefined> {
  if (blob?.events.some((e) => e.type === "deleted") || !live) return blob;
  const l = await live(clusterName).catch(() => undefined);
  return l && (!blob || l.events.length >= blob.events.length) ? l : blob;
}

async function booksFor(s: CostReaderDeps, ledgers: ClusterLedger[]): Promise<(region: string | undefined) => PriceBook> {
  const regions = [...new Set([s.config.location, ...ledgers.map((l) => l.region ?? s.config.location)])];
  const books = new Map(await Promise.all(regions.map(async (r) => [r, await s.costs.priceBook(r, s.config.prices.currency)] as const)));
  return (region) => books.get(region ?? s.config.location) as PriceBook;
}

export async function clusterCost(s: CostReaderDeps, clusterName: string, live?: LiveLedgers): Promise<ClusterCost | undefined> {
  const ledger = await freshest(await s.costs.getLedger(clusterName), live, clusterName);
  if (!ledger) return undefined;
  const book = (await booksFor(s, [ledger]))(ledger.region);
  return computeClusterCost(ledger, book, s.clock.nowMs());
}

export async function jobCost(
  s: CostReaderDeps,
  record: Pick<JobRecord, "id" | "cluster">,
  live?: LiveLedgers,
): Promise<JobCost | undefined> {
  if (!record.cluster.name) return undefined;
  const cost = await clusterCost(s, record.cluster.name, live);
  return cost ? jobShareOf(cost, record.id) : undefined;
}

/** The record with its ledger-based cost filled in (the stored record never carries one). */
export async function withCost<T extends JobRecord>(s: CostReaderDeps, record: T, live?: LiveLedgers): Promise<T> {
  const cost = await jobCost(s, record, live).catch(() => undefined);
  return cost ? { ...record, estimatedCost: cost } : record;
}

/** withCost for a page of records: each distinct cluster's ledger and each region's price book are read once. */
export async function withCosts<T extends JobRecord>(s: CostReaderDeps, records: T[], live?: LiveLedgers): Promise<T[]> {
  const names = [...new Set(records.flatMap((r) => (r.cluster.name ? [r.cluster.name] : [])))];
  const ledgers = (await Promise.all(names.map(async (n) => freshest(await s.costs.getLedger(n).catch(() => undefined), live, n)))).filter(
    (l): l is ClusterLedger => !!l,
  );
  const bookFor = await booksFor(s, ledgers);
  const now = s.clock.nowMs();
  const costs = new Map(ledgers.map((l) => [l.clusterName, computeClusterCost(l, bookFor(l.region), now)]));
  return records.map((r) => {
    const cost = r.cluster.name ? costs.get(r.cluster.name) : undefined;
    const share = cost ? jobShareOf(cost, r.id) : undefined;
    return share ? { ...r, estimatedCost: share } : r;
  });
}

export async function costReport(
  s: CostReaderDeps & { jobs: JobStore },
  options: { fromMs: number; toMs: number; groupBy: CostGroupBy },
  live?: LiveLedgers,
): Promise<CostReport> {
  const ledgers = (await Promise.all((await s.costs.listLedgers()).map((l) => freshest(l, live, l.clusterName)))).filter(
    (l): l is ClusterLedger => !!l,
  );
  const bookFor = await booksFor(s, ledgers);
  const tags = new Map<string, Record<string, string> | undefined>();
  if (options.groupBy.kind === "tag") {
    const holders = [
      ...new Set(ledgers.flatMap((l) => l.events.flatMap((e) => (e.type === "acquired" ? [e.holder] : [])).concat(l.creator))),
    ];
    await Promise.all(holders.map(async (h) => tags.set(h, (await s.jobs.get(h).catch(() => undefined))?.tags)));
  }
  return buildCostReport(ledgers, bookFor, { ...options, asOfMs: s.clock.nowMs(), holderTags: (h) => tags.get(h) });
}
