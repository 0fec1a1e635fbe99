// The Azure Retail Prices API (https://prices.azure.com/api/retail/prices): public, unauthenticated price rows.
// Contract only; the HTTP implementation is shared/cloud/azure/retailPricesHttp.ts, the fake is in-memory rows.
import type { CallOptions } from "./common";
import type { RetailPriceItem } from "../cost/prices";

export interface RetailPricesQuery {
  /** OData filter, e.g. `serviceName eq 'HDInsight' and armRegionName eq 'westeurope'`. */
  filter: string;
  /** ISO 4217 code; the API converts USD retail prices "for reference" (default USD). */
  currency?: string;
}

export interface RetailPricesClient {
  /**
   * Every row matching the query, following NextPageLink to the last page (at most `maxPages`, default 50). Throws
   * an error named "RetailPricesError" (with `status` when the API answered) on a non-200 answer, a malformed
   * page, a network error or when the pages do not end; read-only, safe to retry.
   */
  listPrices(query: RetailPricesQuery, options?: CallOptions & { maxPages?: number }): Promise<RetailPriceItem[]>;
}

export class RetailPricesError extends Error {
  override readonly name = "RetailPricesError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
