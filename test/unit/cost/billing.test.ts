// The cluster bill and its attribution (shared/cost/billing.ts): per-minute billing, the split rules, and the
// reconciliation rule Σ holder shares + pool idle = bill, exactly, on a warm cluster shared by three jobs.
import { describe, expect, it } from "vitest";
import { allocate, computeClusterCost, type ClusterCost } from "../../../shared/cost/billing";
import { appendLedgerEvent, newLedger, type ClusterLedger, type LedgerEvent, type NodeGroup } from "../../../shared/cost/ledger";
import { builtinPriceBook, type PriceBook } from "../../../shared/cost/prices";

const T0 = Date.parse("2026-11-21T08:00:00Z");
const at = (min: number, sec = 0): string => new Date(T0 + min * 60_000 + sec * 1000).toISOString();
const SHAPE: NodeGroup[] = [
  { role: "headnode", vmSize: "Standard_E8_v3", count: 2 },
  { role: "workernode", vmSize: "Standard_E8_v3", count: 4 },
  { role: "zookeepernode", vmSize: "Standard_A2_v2", count: 3 },
];
const book: PriceBook = {
  source: "retail-prices-api",
  region: "westeurope",
  currency: "USD",
  fetchedAt: at(0),
  perNodeHour: { e8v3: 0.9, a2v2: 0.12 },
};

function ledgerOf(events: LedgerEvent[], creator = "job-a"): ClusterLedger {
  return events.reduce((l, e) => appendLedgerEvent(l, e), newLedger({ clusterName: "jf-c1", profile: "default", creator }));
}

function reconcile(cost: ClusterCost): void {
  const micros = cost.holders.reduce((a, h) => a + h.total.micros, 0) + cost.pool.idle.micros;
  const milli = cost.holders.reduce((a, h) => a + h.total.milliNodeMinutes, 0) + cost.pool.idle.milliNodeMinutes;
  expect(micros).toBe(cost.bill.micros);
  expect(milli).toBe(cost.bill.milliNodeMinutes);
  const phases = Object.values(cost.phases).reduce((a, f) => a + f.micros, 0);
  expect(phases).toBe(cost.bill.micros);
}

const warmShared: LedgerEvent[] = [
  { type: "createAccepted", at: at(0), nodes: SHAPE },
  { type: "acquired", at: at(0, 10), holder: "job-a" }, // the creator waits through provisioning
  { type: "ready", at: at(20) },
  { type: "acquired", at: at(25), holder: "job-b" },
  { type: "released", at: at(40), holder: "job-a" },
  { type: "nodes", at: at(45, 30), nodes: SHAPE.map((g) => (g.role === "workernode" ? { ...g, count: 6 } : g)) },
  { type: "acquired", at: at(50), holder: "job-c" },
  { type: "released", at: at(60), holder: "job-b" },
  { type: "released", at: at(70), holder: "job-c" },
  { type: "deleteRequested", at: at(100), reason: "idle for 30 minutes" },
  { type: "deleted", at: at(104, 20) },
];

describe("allocate (largest remainder)", () => {
  it.each([
    [10n, [1n, 1n, 1n], [4n, 3n, 3n]],
    [100n, [1n, 2n], [33n, 67n]],
    [7n, [0n, 0n], [4n, 3n]],
    [0n, [5n, 1n], [0n, 0n]],
    [1n, [1n, 1n], [1n, 0n]],
  ])("allocate case %#", (total, weights, expected) => {
    const got = allocate(total, weights);
    expect(got).toEqual(expected);
    expect(got.reduce((a, b) => a + b, 0n)).toBe(total);
  });
});

describe("reconciliation: a warm cluster shared by three jobs, with overlap, a resize and idle keep-warm", () => {
  const cost = computeClusterCost(ledgerOf(warmShared), book, Date.parse(at(200)));

  it("bills every node per started minute from create accepted to deletion completed", () => {
    expect(cost.final).toBe(true);
    expect(cost.billedMinutes).toBe(105); // 104 min 20 s → 105 started minutes
    // 9 nodes for minutes 0–44, 11 from the minute the resize happened in (45) to the end (104).
    expect(cost.bill.nodeMinutes).toBe(45 * 9 + 60 * 11);
    const e8 = ((45 * 6 + 60 * 8) * 0.9) / 60;
    const a2 = (105 * 3 * 0.12) / 60;
    expect(cost.bill.amount).toBeCloseTo(e8 + a2, 6);
  });

  it("Σ job shares + pool idle = cluster bill, to the micro-unit and milli-node-minute", () => {
    expect(cost.holders.map((h) => h.holder).sort()).toEqual(["job-a", "job-b", "job-c"]);
    reconcile(cost);
  });

  it("splits held minutes evenly among concurrent holders and provisioning + teardown among the three users", () => {
    const by = Object.fromEntries(cost.holders.map((h) => [h.holder, h]));
    // job-a alone 20–25 and with job-b 25–40 (9 nodes): 5 + 7.5 = 12.5 min × 9 nodes.
    // (The billed extra of the partial last minute and of the resize minute is spread pro rata: within 1 %.)
    expect(Math.abs(by["job-a"].held.nodeMinutes - 12.5 * 9)).toBeLessThan(12.5 * 9 * 0.01);
    // Overhead (20 min provisioning + 4 min 20 s teardown) is split in three equal parts (±1 micro-unit).
    const overheads = cost.holders.map((h) => h.overhead.micros);
    expect(Math.max(...overheads) - Math.min(...overheads)).toBeLessThanOrEqual(1);
    expect(cost.phases.provisioning.nodeMinutes).toBeGreaterThan(0);
    expect(cost.phases.teardown.nodeMinutes).toBeGreaterThan(0);
    // Idle 70–100 with 11 nodes goes to the profile's pool, not to a job.
    expect(cost.pool.profile).toBe("default");
    expect(Math.abs(cost.pool.idle.nodeMinutes - 30 * 11)).toBeLessThan(30 * 11 * 0.01);
  });

  it("before the deletion the creator carries provisioning alone", () => {
    const live = computeClusterCost(ledgerOf(warmShared.slice(0, 8)), book, Date.parse(at(65)));
    expect(live.final).toBe(false);
    const by = Object.fromEntries(live.holders.map((h) => [h.holder, h]));
    expect(by["job-a"].overhead.micros).toBe(live.phases.provisioning.micros);
    expect(by["job-b"].overhead.micros).toBe(0);
    reconcile(live);
  });

  it("a window (one report period) reconciles too and only counts minutes starting in it", () => {
    const first = computeClusterCost(ledgerOf(warmShared), book, Date.parse(at(200)), { toMs: Date.parse(at(50)) });
    const rest = computeClusterCost(ledgerOf(warmShared), book, Date.parse(at(200)), { fromMs: Date.parse(at(50)) });
    expect(first.billedMinutes + rest.billedMinutes).toBe(105);
    expect(first.bill.milliNodeMinutes + rest.bill.milliNodeMinutes).toBe(cost.bill.milliNodeMinutes);
    reconcile(first);
    reconcile(rest);
  });
});

describe("attribution table", () => {
  const one: NodeGroup[] = [{ role: "workernode", vmSize: "Standard_E8_v3", count: 1 }];
  it.each<[string, LedgerEvent[], Record<string, number>, number]>([
    [
      "reuse never: the only job pays everything (provisioning, run, teardown)",
      [
        { type: "createAccepted", at: at(0), nodes: one },
        { type: "acquired", at: at(0), holder: "job-a" },
        { type: "ready", at: at(20) },
        { type: "released", at: at(30), holder: "job-a" },
        { type: "deleteRequested", at: at(30) },
        { type: "deleted", at: at(35) },
      ],
      { "job-a": 35 },
      0,
    ],
    [
      "two jobs overlapping on a warm cluster, no idle",
      [
        { type: "createAccepted", at: at(0), nodes: one },
        { type: "acquired", at: at(0), holder: "job-a" },
        { type: "ready", at: at(10) },
        { type: "acquired", at: at(10), holder: "job-b" },
        { type: "released", at: at(20), holder: "job-a" },
        { type: "released", at: at(30), holder: "job-b" },
        { type: "deleteRequested", at: at(30) },
        { type: "deleted", at: at(40) },
      ],
      { "job-a": 5 + 5 + 5, "job-b": 5 + 5 + 10 + 5 },
      0,
    ],
    [
      "kept warm with nobody coming: idle to the pool",
      [
        { type: "createAccepted", at: at(0), nodes: one },
        { type: "acquired", at: at(0), holder: "job-a" },
        { type: "ready", at: at(10) },
        { type: "released", at: at(20), holder: "job-a" },
        { type: "deleteRequested", at: at(50) },
        { type: "deleted", at: at(55) },
      ],
      { "job-a": 25 },
      30,
    ],
    [
      "provisioning failed: the creator pays the minutes it existed",
      [
        { type: "createAccepted", at: at(0), nodes: one },
        { type: "acquired", at: at(0), holder: "job-a" },
        { type: "released", at: at(12), holder: "job-a" },
        { type: "deleteRequested", at: at(12) },
        { type: "deleted", at: at(14, 30) },
      ],
      { "job-a": 15 },
      0,
    ],
  ])("%s", (_name, events, expected, idle) => {
    const cost = computeClusterCost(ledgerOf(events), book, Date.parse(at(300)));
    reconcile(cost);
    expect(Object.fromEntries(cost.holders.map((h) => [h.holder, h.total.nodeMinutes]))).toEqual(expected);
    expect(cost.pool.idle.nodeMinutes).toBe(idle);
  });

  it("a cluster never accepted costs nothing; an unknown VM size is priced and flagged", () => {
    expect(computeClusterCost(ledgerOf([]), book, T0).bill.micros).toBe(0);
    const odd = computeClusterCost(
      ledgerOf([
        { type: "createAccepted", at: at(0), nodes: [{ role: "workernode", vmSize: "Standard_Z9_v9", count: 1 }] },
        { type: "deleted", at: at(60) },
      ]),
      book,
      T0,
    );
    expect(odd.byVmSize[0]).toMatchObject({ vmSize: "Standard_Z9_v9", priceKnown: false });
    expect(odd.bill.amount).toBeCloseTo(0.6, 6);
  });

  it("names the fallback price table in the basis", () => {
    const cost = computeClusterCost(
      ledgerOf(warmShared),
      builtinPriceBook("westeurope", "prices.azure.com unreachable"),
      Date.parse(at(200)),
    );
    expect(cost.priceSource).toBe("builtin-fallback");
    expect(cost.basis).toMatch(/built-in fallback price table/);
    reconcile(cost);
  });
});

describe("ledger invariants", () => {
  it("ignores a second acquire by a holder, a release by a non-holder and anything after the deletion; time never goes back", () => {
    const l = ledgerOf([
      { type: "createAccepted", at: at(5), nodes: SHAPE },
      { type: "acquired", at: at(6), holder: "x" },
      { type: "acquired", at: at(7), holder: "x" },
      { type: "released", at: at(8), holder: "y" },
      { type: "ready", at: at(4) },
      { type: "deleted", at: at(9) },
      { type: "acquired", at: at(10), holder: "z" },
    ]);
    expect(l.events.map((e) => e.type)).toEqual(["createAccepted", "acquired", "ready", "deleted"]);
    expect(l.events[2].at).toBe(at(6));
  });
});
