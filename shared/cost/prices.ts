// Price books: HDInsight node prices (VM + HDInsight surcharge, per node-hour) for one region and currency, and how
// one is read from Azure Retail Prices API rows. Pure: the fetching lives in shared/cost/retailPricesClient.ts and
// the activity that caches it in Blob. The built-in table is only the offline fallback and says so in every record.

/** Where a price book came from: the Retail Prices API (fresh or from the Blob cache), or the built-in fallback. */
export type PriceSource = "retail-prices-api" | "builtin-fallback";

export interface PriceBook {
  source: PriceSource;
  region: string;
  currency: string;
  /** ISO time the prices were fetched from the API (absent for the built-in table). */
  fetchedAt?: string;
  /** Price per node-hour by normalized VM size (see normalizeVmSize). */
  perNodeHour: Record<string, number>;
  /** Why the fallback was used (network error, no rows…), when it was. */
  note?: string;
}

/**
 * Built-in pay-as-you-go HDInsight node prices (USD per node-hour, West Europe, VM + HDInsight surcharge), used
 * only when the Retail Prices API cannot be reached and no cached book exists. Approximate; they drift.
 */
export const BUILTIN_USD_PER_NODE_HOUR: Record<string, number> = {
  e4v3: 0.48,
  e8v3: 0.95,
  e16v3: 1.9,
  d12v2: 0.49,
  d13v2: 0.97,
  a2v2: 0.13,
  a4v2: 0.26,
};
/** Price of a VM size missing from a book (fallback table or API rows): a mid-range memory-optimized node. */
export const UNKNOWN_SIZE_PER_NODE_HOUR_USD = 0.6;

/** "Standard_E8_v3", "E8 v3" and "standard_e8_V3" all become "e8v3" (Azure size names are case-insensitive). */
export function normalizeVmSize(name: string): string {
  return name
    .toLowerCase()
    .replace(/^standard_/, "")
    .replace(/[^a-z0-9]/g, "");
}

export function builtinPriceBook(region: string, note?: string): PriceBook {
  return { source: "builtin-fallback", region, currency: "USD", perNodeHour: { ...BUILTIN_USD_PER_NODE_HOUR }, ...(note ? { note } : {}) };
}

/** The price of one node-hour of a VM size, and whether the book knew the size. */
export function nodeHourPrice(book: PriceBook, vmSize: string): { price: number; known: boolean } {
  const p = book.perNodeHour[normalizeVmSize(vmSize)];
  return p === undefined ? { price: UNKNOWN_SIZE_PER_NODE_HOUR_USD, known: false } : { price: p, known: true };
}

/** One row of the Retail Prices API (`Items[]`); only the fields Jobflow reads. */
export interface RetailPriceItem {
  currencyCode: string;
  retailPrice: number;
  unitPrice?: number;
  armRegionName: string;
  meterName: string;
  skuName: string;
  productName: string;
  serviceName: string;
  unitOfMeasure: string;
  type: string;
  armSkuName?: string;
  isPrimaryMeterRegion?: boolean;
  effectiveStartDate?: string;
}

/**
 * Builds a book from API rows: HDInsight consumption meters priced per hour ("1 Hour"), in the region; a VM size is
 * named by armSkuName when present, else by skuName ("E8 v3"). Low-priority/spot and Windows rows are skipped;
 * when two rows name one size, the latest effectiveStartDate wins.
 */
export function priceBookFromItems(items: RetailPriceItem[], region: string, currency: string, fetchedAt: string): PriceBook {
  const perNodeHour: Record<string, number> = {};
  const since: Record<string, string> = {};
  for (const it of items) {
    if (it.serviceName !== "HDInsight" || it.type !== "Consumption" || it.armRegionName !== region) continue;
    if (!/^1 hours?$/i.test(it.unitOfMeasure)) continue;
    if (/low priority|spot|windows/i.test(`${it.skuName} ${it.meterName} ${it.productName}`)) continue;
    const size = normalizeVmSize(it.armSkuName || it.skuName);
    if (!size) continue;
    const start = it.effectiveStartDate ?? "";
    if (since[size] !== undefined && since[size] > start) continue;
    since[size] = start;
    perNodeHour[size] = it.retailPrice;
  }
  return { source: "retail-prices-api", region, currency, fetchedAt, perNodeHour };
}

/** The OData filter Jobflow sends: HDInsight consumption meters of one region. */
export function retailPricesFilter(region: string): string {
  return `serviceName eq 'HDInsight' and armRegionName eq '${region.replace(/'/g, "''")}' and priceType eq 'Consumption'`;
}
