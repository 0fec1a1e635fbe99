// The Retail Prices client (shared/cloud/azure/retailPricesHttp.ts) against the sandbox's /api/retail/prices (same
// shape as prices.azure.com): the OData filter, NextPageLink paging, currency; and the price-book cache in Blob
// (Azurite) with its refresh interval and its fallback when the API is unreachable.
import { describe, expect, it } from "vitest";
import { HttpRetailPricesClient } from "../../../shared/cloud/azure/retailPricesHttp";
import { createBlobStore } from "../../../shared/cloud/azure/blobStore";
import { priceBookFromItems, retailPricesFilter } from "../../../shared/cost/prices";
import { CostStore } from "../../../functions/store/costStore";
import { PAGE_SIZE } from "../../../local/sandbox/prices/retailPrices";
import { useAzurite } from "../../support/azurite";
import { useTestSandbox } from "../../support/sandbox";

const sb = useTestSandbox();
const azurite = useAzurite();
const client = (): HttpRetailPricesClient =>
  new HttpRetailPricesClient({ endpoint: `${sb.current.sandbox.url}/api/retail/prices`, caPem: sb.current.sandbox.caPem });
const priceRequests = (): { path: string; status: number }[] => sb.current.sandbox.control.requests({ component: "prices" });

describe("Retail Prices API client on the sandbox", () => {
  it("follows NextPageLink to the last page and returns only the filtered HDInsight rows", async () => {
    const before = priceRequests().length;
    const items = await client().listPrices({ filter: retailPricesFilter("westeurope") });
    expect(items.length).toBeGreaterThan(PAGE_SIZE); // more than one page
    expect(priceRequests().length - before).toBe(Math.ceil(items.length / PAGE_SIZE));
    expect(new Set(items.map((i) => i.serviceName))).toEqual(new Set(["HDInsight"]));
    expect(new Set(items.map((i) => i.armRegionName))).toEqual(new Set(["westeurope"]));
    const book = priceBookFromItems(items, "westeurope", "USD", "2026-11-21T10:00:00Z");
    expect(book.perNodeHour.e8v3).toBeCloseTo(0.954, 6);
    expect(book.perNodeHour.a2v2).toBeGreaterThan(0);
  });

  it("filters by region and converts to the requested currency", async () => {
    const usd = priceBookFromItems(await client().listPrices({ filter: retailPricesFilter("eastus") }), "eastus", "USD", "t");
    const eur = await client().listPrices({ filter: retailPricesFilter("eastus"), currency: "EUR" });
    expect(new Set(eur.map((i) => i.currencyCode))).toEqual(new Set(["EUR"]));
    const eurBook = priceBookFromItems(eur, "eastus", "EUR", "t");
    expect(eurBook.perNodeHour.e8v3).toBeLessThan(usd.perNodeHour.e8v3);
    expect(eurBook.perNodeHour.e8v3).toBeCloseTo(usd.perNodeHour.e8v3 * 0.92, 3);
  });

  it("throws RetailPricesError with the status on a refused query and when unreachable", async () => {
    await expect(client().listPrices({ filter: "serviceName gt 'HDInsight'" })).rejects.toMatchObject({
      name: "RetailPricesError",
      status: 400,
    });
    await expect(client().listPrices({ filter: retailPricesFilter("westeurope"), currency: "XYZ" })).rejects.toMatchObject({
      name: "RetailPricesError",
      status: 400,
    });
    const down = new HttpRetailPricesClient({ endpoint: "https://127.0.0.1:9/api/retail/prices", timeoutInMs: 2000 });
    await expect(down.listPrices({ filter: retailPricesFilter("westeurope") })).rejects.toMatchObject({ name: "RetailPricesError" });
  });
});

describe("price book cache in Blob", () => {
  let n = 0;
  const store = (): CostStore =>
    new CostStore(createBlobStore({ connectionString: azurite.current.connectionString }), `costs${++n}-${process.pid}`);
  const T = Date.parse("2026-11-21T10:00:00Z");

  it("fetches once, serves the cached book within the refresh interval, refetches after it", async () => {
    const s = store();
    const first = await s.refreshPriceBook(client(), "westeurope", "USD", 24, T);
    expect(first).toMatchObject({ source: "retail-prices-api", fetchedAt: new Date(T).toISOString() });
    const calls = priceRequests().length;
    expect(await s.refreshPriceBook(client(), "westeurope", "USD", 24, T + 3_600_000)).toEqual(first);
    expect(priceRequests().length).toBe(calls);
    expect(await s.priceBook("westeurope", "USD")).toEqual(first);
    const later = await s.refreshPriceBook(client(), "westeurope", "USD", 24, T + 25 * 3_600_000);
    expect(later.fetchedAt).toBe(new Date(T + 25 * 3_600_000).toISOString());
    expect(priceRequests().length).toBeGreaterThan(calls);
  });

  it("falls back to the stale cache, else to the built-in table named as such, when the API is unreachable", async () => {
    const down = new HttpRetailPricesClient({ endpoint: "https://127.0.0.1:9/api/retail/prices", timeoutInMs: 2000 });
    const empty = store();
    const fallback = await empty.refreshPriceBook(down, "westeurope", "USD", 24, T);
    expect(fallback.source).toBe("builtin-fallback");
    expect(fallback.note).toMatch(/unreachable/);
    expect((await empty.priceBook("westeurope", "USD")).source).toBe("builtin-fallback");

    const cached = store();
    const fetched = await cached.refreshPriceBook(client(), "westeurope", "USD", 24, T);
    expect(await cached.refreshPriceBook(down, "westeurope", "USD", 24, T + 48 * 3_600_000)).toEqual(fetched);

    const noRows = await store().refreshPriceBook(client(), "northpole", "USD", 24, T);
    expect(noRows).toMatchObject({ source: "builtin-fallback", note: expect.stringMatching(/no HDInsight hourly rows for northpole/) });
  });
});
