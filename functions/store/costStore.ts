// Cost data in Blob (the jobs container): one ledger per cluster, `ledgers/<cluster>.json`, written by its cluster
// orchestration (the single writer) through the saveClusterLedger activity and kept after the cluster is gone (the
// cost report reads them); and the cached price book, `prices/<region>-<currency>.json`, refreshed by an activity.
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { RetailPricesClient } from "../../shared/cloud/retailPrices";
import type { ClusterLedger } from "../../shared/cost/ledger";
import { builtinPriceBook, priceBookFromItems, retailPricesFilter, type PriceBook } from "../../shared/cost/prices";

export const ledgerBlob = (clusterName: string): string => `ledgers/${clusterName}.json`;
export const priceBookBlob = (region: string, currency: string): string => `prices/${region}-${currency}.json`;

export class CostStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async saveLedger(ledger: ClusterLedger): Promise<void> {
    await this.blobs.putJson(this.container, ledgerBlob(ledger.clusterName), ledger);
  }

  async getLedger(clusterName: string): Promise<ClusterLedger | undefined> {
    return (await this.blobs.getJson<ClusterLedger>(this.container, ledgerBlob(clusterName)))?.value;
  }

  /** Every ledger (one list call, then one read per cluster). */
  async listLedgers(): Promise<ClusterLedger[]> {
    const entries = await this.blobs.list(this.container, "ledgers/");
    const ledgers = await Promise.all(entries.map(async (e) => (await this.blobs.getJson<ClusterLedger>(this.container, e.name))?.value));
    return ledgers.filter((l): l is ClusterLedger => !!l);
  }

  /** The cached price book, or the built-in fallback (named as such) when none was ever fetched. */
  async priceBook(region: string, currency: string): Promise<PriceBook> {
    const cached = (await this.blobs.getJson<PriceBook>(this.container, priceBookBlob(region, currency)))?.value;
    return cached ?? builtinPriceBook(region, "no price book fetched from the Retail Prices API yet");
  }

  /**
   * Fetches the region's HDInsight prices unless the cached book is younger than `refreshHours`; caches what it
   * fetched. When the API fails: the cached book if any (even stale), else the built-in fallback with the reason.
   * Never throws for an API failure: cost figures must not block a cluster's lifecycle.
   */
  async refreshPriceBook(
    client: RetailPricesClient,
    region: string,
    currency: string,
    refreshHours: number,
    nowMs: number,
  ): Promise<PriceBook> {
    const name = priceBookBlob(region, currency);
    const cached = (await this.blobs.getJson<PriceBook>(this.container, name))?.value;
    if (cached?.fetchedAt && nowMs - Date.parse(cached.fetchedAt) < refreshHours * 3_600_000) return cached;
    let reason: string;
    try {
      const items = await client.listPrices({ filter: retailPricesFilter(region), currency });
      const book = priceBookFromItems(items, region, currency, new Date(nowMs).toISOString());
      if (Object.keys(book.perNodeHour).length > 0) {
        await this.blobs.putJson(this.container, name, book);
        return book;
      }
      reason = `the Retail Prices API returned no HDInsight hourly rows for ${region}`;
    } catch (e) {
      reason = (e as Error).message;
    }
    return cached ?? builtinPriceBook(region, reason);
  }
}
