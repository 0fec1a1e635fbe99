// Price books from Retail Prices rows (shared/cost/prices.ts) and the cost report's grouping (shared/cost/report.ts).
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import { appendLedgerEvent, newLedger, type ClusterLedger, type LedgerEvent } from "../../../shared/cost/ledger";
import {
  BUILTIN_USD_PER_NODE_HOUR,
  normalizeVmSize,
  priceBookFromItems,
  retailPricesFilter,
  type PriceBook,
  type RetailPriceItem,
} from "../../../shared/cost/prices";
import { buildCostReport, parseGroupBy } from "../../../shared/cost/report";

const row = (over: Partial<RetailPriceItem>): RetailPriceItem => ({
  currencyCode: "USD",
  retailPrice: 1,
  armRegionName: "westeurope",
  meterName: "E8 v3",
  skuName: "E8 v3",
  productName: "HDInsight Ev3 Series",
  serviceName: "HDInsight",
  unitOfMeasure: "1 Hour",
  type: "Consumption",
  ...over,
});

describe("price books", () => {
  it.each([
    ["Standard_E8_v3", "e8v3"],
    ["E8 v3", "e8v3"],
    ["standard_D13_V2", "d13v2"],
    ["A2 v2", "a2v2"],
  ])("normalizeVmSize(%s) = %s", (name, expected) => {
    expect(normalizeVmSize(name)).toBe(expected);
  });

  it("the built-in fallback table knows every size the built-in profiles use", () => {
    for (const p of Object.values(BUILTIN_PROFILES)) {
      for (const r of [p.headNode, p.workerNode, p.zookeeperNode])
        expect(BUILTIN_USD_PER_NODE_HOUR[normalizeVmSize(r.vmSize)], r.vmSize).toBeGreaterThan(0);
    }
  });

  it.each<[string, RetailPriceItem, number | undefined]>([
    ["an HDInsight hourly consumption row", row({ retailPrice: 0.95 }), 0.95],
    ["another service", row({ serviceName: "Virtual Machines" }), undefined],
    ["another region", row({ armRegionName: "eastus" }), undefined],
    ["a reservation", row({ type: "Reservation" }), undefined],
    ["a monthly unit", row({ unitOfMeasure: "1/Month" }), undefined],
    ["a spot row", row({ skuName: "E8 v3 Spot" }), undefined],
    ["armSkuName wins over skuName", row({ armSkuName: "Standard_E8_v3", skuName: "whatever", retailPrice: 0.9 }), 0.9],
  ])("%s", (_name, item, expected) => {
    expect(priceBookFromItems([item], "westeurope", "USD", "t").perNodeHour.e8v3).toBe(expected);
  });

  it("keeps the latest effective price of a size and quotes the region in the filter", () => {
    const book = priceBookFromItems(
      [row({ retailPrice: 2, effectiveStartDate: "2026-01-01" }), row({ retailPrice: 1, effectiveStartDate: "2025-01-01" })],
      "westeurope",
      "USD",
      "t",
    );
    expect(book.perNodeHour.e8v3).toBe(2);
    expect(retailPricesFilter("o'brien")).toBe("serviceName eq 'HDInsight' and armRegionName eq 'o''brien' and priceType eq 'Consumption'");
  });
});

describe("cost report", () => {
  const T0 = Date.parse("2026-11-21T23:00:00Z");
  const at = (min: number): string => new Date(T0 + min * 60_000).toISOString();
  const book: PriceBook = { source: "retail-prices-api", region: "westeurope", currency: "USD", perNodeHour: { e8v3: 0.6 } };
  const nodes = [{ role: "workernode", vmSize: "Standard_E8_v3", count: 1 }];
  const ledger = (name: string, profile: string, events: LedgerEvent[]): ClusterLedger =>
    events.reduce(
      (l, e) => appendLedgerEvent(l, e),
      newLedger({ clusterName: name, profile, creator: "j1", region: "westeurope", tags: { team: "red" } }),
    );
  const ledgers = [
    ledger("c1", "default", [
      { type: "createAccepted", at: at(0), nodes },
      { type: "acquired", at: at(0), holder: "j1" },
      { type: "ready", at: at(20) },
      { type: "released", at: at(40), holder: "j1" },
      { type: "deleteRequested", at: at(100) },
      { type: "deleted", at: at(120) },
    ]),
    ledger("c2", "large", [
      { type: "createAccepted", at: at(0), nodes },
      { type: "acquired", at: at(0), holder: "j2" },
      { type: "ready", at: at(20) },
      { type: "released", at: at(30), holder: "j2" },
      { type: "deleteRequested", at: at(30) },
      { type: "deleted", at: at(40) },
    ]),
  ];
  const report = (groupBy: string, fromMs = T0 - 86_400_000, toMs = T0 + 86_400_000) =>
    buildCostReport(ledgers, () => book, {
      fromMs,
      toMs,
      asOfMs: T0 + 86_400_000,
      groupBy: parseGroupBy(groupBy) as never,
      holderTags: (h) => (h === "j2" ? { team: "blue" } : { team: "red" }),
    });

  it.each<[string, Record<string, number>]>([
    ["profile", { default: 120, large: 40 }],
    ["job", { j1: 60, "(idle pool: default)": 60, j2: 40 }],
    ["tag:team", { red: 120, blue: 40 }],
    ["day", { "2026-11-21": 60 + 40, "2026-11-22": 60 }],
  ])("groupBy=%s", (groupBy, expected) => {
    const r = report(groupBy);
    expect(Object.fromEntries(r.groups.map((g) => [g.key, g.nodeMinutes]))).toEqual(expected);
    expect(r.totals.nodeMinutes).toBe(160);
    expect(r.totals.idleNodeMinutes).toBe(60);
    expect(r.totals.amount).toBeCloseTo(160 * 0.01, 6);
  });

  it("counts only the minutes of the period", () => {
    const r = report("profile", T0 + 30 * 60_000, T0 + 60 * 60_000);
    expect(r.totals.nodeMinutes).toBe(30 + 10);
  });

  it.each(["team", "tag:", "", "cluster"])("groupBy=%s is rejected unless empty (the default: profile)", (g) => {
    expect(typeof parseGroupBy(g)).toBe(g === "" ? "object" : "string");
  });
});
