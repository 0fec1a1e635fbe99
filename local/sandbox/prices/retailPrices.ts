// The sandbox's Azure Retail Prices API (`GET /api/retail/prices`): the public, unauthenticated price list, same
// response shape as https://prices.azure.com (BillingCurrency, CustomerEntityId, CustomerEntityType, Items[],
// NextPageLink, Count), OData `$filter` with `eq` clauses joined by `and` (values case-sensitive, as api-version
// 2023-01-01-preview), `currencyCode='EUR'`, `$skip` paging. Pages are small (PAGE_SIZE rows, Azure uses 100) so a
// handful of rows already exercises NextPageLink. Prices: realistic HDInsight node prices (VM + surcharge).
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestBaseUrl, sendJson } from "../http";

export const PAGE_SIZE = 5;

/** Fixed reference exchange rates from USD (the API converts USD retail prices "for reference"). */
const USD_TO: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 150.2, CHF: 0.88 };

interface Row {
  serviceName: string;
  productName: string;
  skuName: string;
  armSkuName: string;
  armRegionName: string;
  location: string;
  usd: number;
  unitOfMeasure: string;
  type: string;
}

const HDI_WESTEUROPE: [string, string, number][] = [
  ["HDInsight Ev3 Series", "E4 v3", 0.477],
  ["HDInsight Ev3 Series", "E8 v3", 0.954],
  ["HDInsight Ev3 Series", "E16 v3", 1.908],
  ["HDInsight Dv2 Series", "D12 v2", 0.495],
  ["HDInsight Dv2 Series", "D13 v2", 0.989],
  ["HDInsight Av2 Series", "A2 v2", 0.134],
  ["HDInsight Av2 Series", "A4 v2", 0.281],
];

function rows(): Row[] {
  const out: Row[] = [];
  for (const [region, location, factor] of [
    ["westeurope", "EU West", 1],
    ["eastus", "US East", 0.9],
  ] as const) {
    for (const [productName, skuName, usd] of HDI_WESTEUROPE) {
      out.push({
        serviceName: "HDInsight",
        productName,
        skuName,
        armSkuName: "",
        armRegionName: region,
        location,
        usd: Math.round(usd * factor * 1000) / 1000,
        unitOfMeasure: "1 Hour",
        type: "Consumption",
      });
    }
    // Rows the HDInsight filter must leave out: VM prices of the same sizes, and a reservation row.
    out.push({
      serviceName: "Virtual Machines",
      productName: "Virtual Machines Ev3 Series",
      skuName: "E8 v3",
      armSkuName: "Standard_E8_v3",
      armRegionName: region,
      location,
      usd: 0.564 * factor,
      unitOfMeasure: "1 Hour",
      type: "Consumption",
    });
    out.push({
      serviceName: "Virtual Machines",
      productName: "Virtual Machines Ev3 Series",
      skuName: "E8 v3",
      armSkuName: "Standard_E8_v3",
      armRegionName: region,
      location,
      usd: 2950 * factor,
      unitOfMeasure: "1 Hour",
      type: "Reservation",
    });
  }
  return out;
}

function item(r: Row, currency: string, rate: number): Record<string, unknown> {
  const price = Math.round(r.usd * rate * 10_000) / 10_000;
  const meterId = `${r.serviceName}-${r.armRegionName}-${r.skuName}-${r.type}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    currencyCode: currency,
    tierMinimumUnits: 0,
    retailPrice: price,
    unitPrice: price,
    armRegionName: r.armRegionName,
    location: r.location,
    effectiveStartDate: "2025-04-01T00:00:00Z",
    meterId,
    meterName: r.skuName,
    productId: `DZH318Z0${r.productName.length}`,
    skuId: `DZH318Z0-${r.skuName.replace(/ /g, "")}`,
    productName: r.productName,
    skuName: r.skuName,
    serviceName: r.serviceName,
    serviceId: r.serviceName === "HDInsight" ? "DZH317WPS8FH" : "DZH313Z7MMC8",
    serviceFamily: r.serviceName === "HDInsight" ? "Analytics" : "Compute",
    unitOfMeasure: r.unitOfMeasure,
    type: r.type,
    isPrimaryMeterRegion: true,
    armSkuName: r.armSkuName,
  };
}

/** Every row the sandbox serves, in a currency (what `npm run bench:cost`'s oracle prices with). */
export function sandboxPriceItems(currency = "USD"): Record<string, unknown>[] {
  const rate = USD_TO[currency] ?? 1;
  return rows().map((r) => item(r, currency, rate));
}

/** `a eq 'x' and b eq 'y'` → [[a, x], [b, y]]; anything else is a 400 like the real API's. */
function parseFilter(filter: string): [string, string][] | string {
  const clauses = filter.trim() === "" ? [] : filter.split(/\s+and\s+/i);
  const out: [string, string][] = [];
  for (const c of clauses) {
    const m = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(c);
    if (!m) return `Invalid OData filter clause: ${c}`;
    out.push([m[1].toLowerCase(), m[2].replace(/''/g, "'")]);
  }
  return out;
}

const FIELD: Record<string, (r: Row) => string> = {
  servicename: (r) => r.serviceName,
  armregionname: (r) => r.armRegionName,
  location: (r) => r.location,
  skuname: (r) => r.skuName,
  metername: (r) => r.skuName,
  productname: (r) => r.productName,
  armskuname: (r) => r.armSkuName,
  type: (r) => r.type,
  pricetype: (r) => r.type,
};

export async function handleRetailPrices(req: IncomingMessage, res: ServerResponse, fallbackBaseUrl: string): Promise<number> {
  const url = new URL(req.url ?? "/", "https://127.0.0.1");
  if ((req.method ?? "GET").toUpperCase() !== "GET") {
    sendJson(res, 405, { Error: { Code: "MethodNotAllowed", Message: "Only GET is supported." } });
    return 405;
  }
  const currency = (url.searchParams.get("currencyCode") ?? "USD").replace(/^'|'$/g, "").toUpperCase();
  const rate = USD_TO[currency];
  if (rate === undefined) {
    sendJson(res, 400, { Error: { Code: "InvalidCurrency", Message: `Currency code ${currency} is not supported.` } });
    return 400;
  }
  const clauses = parseFilter(url.searchParams.get("$filter") ?? "");
  if (typeof clauses === "string") {
    sendJson(res, 400, { Error: { Code: "InvalidFilter", Message: clauses } });
    return 400;
  }
  const unknown = clauses.find(([f]) => !FIELD[f]);
  if (unknown) {
    sendJson(res, 400, { Error: { Code: "InvalidFilter", Message: `Could not find a property named '${unknown[0]}'.` } });
    return 400;
  }
  const matching = rows().filter((r) => clauses.every(([f, v]) => FIELD[f](r) === v));
  const skip = Math.max(0, Number(url.searchParams.get("$skip") ?? 0) || 0);
  const page = matching.slice(skip, skip + PAGE_SIZE).map((r) => item(r, currency, rate));
  let next: string | null = null;
  if (skip + PAGE_SIZE < matching.length) {
    const n = new URL(`${requestBaseUrl(req, fallbackBaseUrl)}${url.pathname}`);
    for (const [k, v] of url.searchParams) if (k !== "$skip") n.searchParams.set(k, v);
    n.searchParams.set("$skip", String(skip + PAGE_SIZE));
    next = n.toString();
  }
  sendJson(res, 200, {
    BillingCurrency: currency,
    CustomerEntityId: "Default",
    CustomerEntityType: "Retail",
    Items: page,
    NextPageLink: next,
    Count: page.length,
  });
  return 200;
}
