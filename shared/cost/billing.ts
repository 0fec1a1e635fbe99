// Cluster bill and its attribution, from a ledger and a price book. Pure and exact: amounts are integer micro-units
// of the currency and node-minutes integer milli-node-minutes, split by largest remainder, so Σ holder shares +
// pool idle = the cluster bill to the last unit (the reconciliation rule of docs/costs.md).
//
// Billing (as HDInsight bills): every node from create accepted to deletion completed, per started minute; a minute
// bills the largest node count of each role seen during it (a node added by a resize pays its first minute).
// Attribution: the bill is split over the phases in proportion to price-weighted node time (held, idle,
// provisioning, teardown); a held stretch is split evenly among its concurrent holders; idle (kept warm) goes to the
// profile's pool; provisioning + teardown are paid by the creating job while the cluster exists, and split evenly
// among every holder that used it once the cluster is gone (the creator alone when nobody held it).
import { ledgerCreatedAt, ledgerDeletedAt, ledgerSegments, ledgerUsers, type ClusterLedger, type NodeGroup } from "./ledger";
import { nodeHourPrice, type PriceBook } from "./prices";

const MINUTE_MS = 60_000;

/** An amount and the node-minutes behind it; `micros`/`milliNodeMinutes` are the exact integers. */
export interface CostFigure {
  micros: number;
  milliNodeMinutes: number;
  amount: number;
  nodeMinutes: number;
}

export interface HolderShare {
  holder: string;
  /** Its share of the minutes it held the ready cluster (split with concurrent holders). */
  held: CostFigure;
  /** Its share of provisioning and teardown. */
  overhead: CostFigure;
  total: CostFigure;
}

export interface ClusterCost {
  clusterName: string;
  profile: string;
  region: string;
  currency: string;
  priceSource: PriceBook["source"];
  priceFetchedAt?: string;
  /** True once deletion completed: nothing will change any more. */
  final: boolean;
  createdAt?: string;
  deletedAt?: string;
  /** Computed up to (the deletion, or now). */
  asOf: string;
  billedMinutes: number;
  bill: CostFigure;
  byVmSize: { vmSize: string; pricePerNodeHour: number; priceKnown: boolean; nodeMinutes: number; amount: number }[];
  phases: Record<"provisioning" | "held" | "idle" | "teardown", CostFigure>;
  holders: HolderShare[];
  pool: { profile: string; idle: CostFigure };
  basis: string;
}

export interface CostWindow {
  /** Only billed minutes starting in [fromMs, toMs) count (reports by period). */
  fromMs?: number;
  toMs?: number;
}

export function figure(micros: bigint | number, milliNodeMinutes: bigint | number): CostFigure {
  const m = Number(micros);
  const n = Number(milliNodeMinutes);
  return { micros: m, milliNodeMinutes: n, amount: m / 1e6, nodeMinutes: n / 1000 };
}

export function addFigures(...fs: CostFigure[]): CostFigure {
  return figure(
    fs.reduce((a, f) => a + f.micros, 0),
    fs.reduce((a, f) => a + f.milliNodeMinutes, 0),
  );
}

/** Splits `total` in proportion to `weights` (largest remainder, ties to the earlier index): Σ result = total. */
export function allocate(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, w) => a + w, 0n);
  if (weights.length === 0) return [];
  if (sum === 0n)
    return allocate(
      total,
      weights.map(() => 1n),
    );
  const base = weights.map((w) => (total * w) / sum);
  let left = total - base.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (total * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0n) break;
    base[i] += 1n;
    left -= 1n;
  }
  return base;
}

const priceMicros = (book: PriceBook, vmSize: string): bigint => BigInt(Math.round(nodeHourPrice(book, vmSize).price * 1e6));
const groupKey = (g: NodeGroup): string => `${g.role}\u0000${g.vmSize}`;

export function computeClusterCost(ledger: ClusterLedger, book: PriceBook, asOfMs: number, window: CostWindow = {}): ClusterCost {
  const createdAt = ledgerCreatedAt(ledger);
  const deletedAt = ledgerDeletedAt(ledger);
  const segments = ledgerSegments(ledger, asOfMs);
  const c = createdAt ? Date.parse(createdAt) : asOfMs;
  const end = deletedAt ? Date.parse(deletedAt) : Math.max(asOfMs, c);
  const totalSlots = Math.ceil((end - c) / MINUTE_MS);
  const firstSlot = Math.max(0, window.fromMs === undefined ? 0 : Math.ceil((window.fromMs - c) / MINUTE_MS));
  const lastSlot = Math.min(totalSlots, window.toMs === undefined ? totalSlots : Math.ceil((window.toMs - c) / MINUTE_MS)); // exclusive
  const winStart = c + firstSlot * MINUTE_MS;
  const winEnd = c + lastSlot * MINUTE_MS;

  // Billed node-minutes: per minute slot, the largest count of each group seen during it.
  const slotMax = new Map<number, Map<string, number>>();
  const groups = new Map<string, NodeGroup>();
  for (const s of segments) {
    const from = Math.max(firstSlot, Math.floor((s.startMs - c) / MINUTE_MS));
    const to = Math.min(lastSlot, Math.ceil((s.endMs - c) / MINUTE_MS));
    for (let k = from; k < to; k++) {
      const m = slotMax.get(k) ?? new Map<string, number>();
      for (const g of s.nodes) {
        groups.set(groupKey(g), g);
        m.set(groupKey(g), Math.max(m.get(groupKey(g)) ?? 0, g.count));
      }
      slotMax.set(k, m);
    }
  }
  const nmBySize = new Map<string, bigint>();
  for (const m of slotMax.values())
    for (const [key, count] of m) {
      const size = (groups.get(key) as NodeGroup).vmSize;
      nmBySize.set(size, (nmBySize.get(size) ?? 0n) + BigInt(count));
    }
  const byVmSize = [...nmBySize].map(([vmSize, nm]) => {
    const micros = (nm * priceMicros(book, vmSize) + 30n) / 60n; // rounded half up to the micro-unit
    const p = nodeHourPrice(book, vmSize);
    return { vmSize, pricePerNodeHour: p.price, priceKnown: p.known, nodeMinutes: Number(nm), micros };
  });
  const billMicros = byVmSize.reduce((a, r) => a + r.micros, 0n);
  const billMilliNm = byVmSize.reduce((a, r) => a + BigInt(r.nodeMinutes) * 1000n, 0n);

  // Buckets weighted by price-weighted node time (amounts) and node time (node-minutes), within the window.
  const buckets = new Map<string, { amountW: bigint; nodeW: bigint }>();
  for (const s of segments) {
    const dur = BigInt(Math.max(0, Math.min(s.endMs, winEnd) - Math.max(s.startMs, winStart)));
    if (dur === 0n) continue;
    const key = s.phase === "held" ? `held:${s.holders.join("\u0000")}` : s.phase;
    const b = buckets.get(key) ?? { amountW: 0n, nodeW: 0n };
    for (const g of s.nodes) {
      b.amountW += BigInt(g.count) * priceMicros(book, g.vmSize) * dur;
      b.nodeW += BigInt(g.count) * dur;
    }
    buckets.set(key, b);
  }
  const keys = [...buckets.keys()];
  if (keys.length === 0 && (billMicros > 0n || billMilliNm > 0n)) keys.push("provisioning");
  const amounts = allocate(
    billMicros,
    keys.map((k) => buckets.get(k)?.amountW ?? 0n),
  );
  const nodes = allocate(
    billMilliNm,
    keys.map((k) => buckets.get(k)?.nodeW ?? 0n),
  );

  const final = deletedAt !== undefined;
  const users = ledgerUsers(ledger, asOfMs);
  const overheadPayers = final && users.length > 0 ? users : [ledger.creator];
  const shares = new Map<string, { held: [bigint, bigint]; overhead: [bigint, bigint] }>();
  const share = (h: string): { held: [bigint, bigint]; overhead: [bigint, bigint] } => {
    let s = shares.get(h);
    if (!s) shares.set(h, (s = { held: [0n, 0n], overhead: [0n, 0n] }));
    return s;
  };
  const phases = { provisioning: [0n, 0n], held: [0n, 0n], idle: [0n, 0n], teardown: [0n, 0n] } as Record<
    keyof ClusterCost["phases"],
    [bigint, bigint]
  >;
  keys.forEach((key, i) => {
    const phase = (key.startsWith("held:") ? "held" : key) as keyof ClusterCost["phases"];
    phases[phase][0] += amounts[i];
    phases[phase][1] += nodes[i];
    if (phase === "idle") return;
    const payers = phase === "held" ? key.slice(5).split("\u0000") : overheadPayers;
    const ev = payers.map(() => 1n);
    const a = allocate(amounts[i], ev);
    const n = allocate(nodes[i], ev);
    payers.forEach((h, j) => {
      const target = phase === "held" ? share(h).held : share(h).overhead;
      target[0] += a[j];
      target[1] += n[j];
    });
  });
  for (const u of users) share(u);

  const currency = book.currency;
  const holders: HolderShare[] = [...shares].map(([holder, s]) => {
    const held = figure(s.held[0], s.held[1]);
    const overhead = figure(s.overhead[0], s.overhead[1]);
    return { holder, held, overhead, total: addFigures(held, overhead) };
  });
  const bill = figure(billMicros, billMilliNm);
  const result: ClusterCost = {
    clusterName: ledger.clusterName,
    profile: ledger.profile,
    region: book.region,
    currency,
    priceSource: book.source,
    final,
    asOf: new Date(end).toISOString(),
    billedMinutes: lastSlot - firstSlot,
    bill,
    byVmSize: byVmSize.map(({ micros, ...r }) => ({ ...r, amount: Number(micros) / 1e6 })),
    phases: {
      provisioning: figure(...phases.provisioning),
      held: figure(...phases.held),
      idle: figure(...phases.idle),
      teardown: figure(...phases.teardown),
    },
    holders,
    pool: { profile: ledger.profile, idle: figure(...phases.idle) },
    basis: clusterBasis(book, final, overheadPayers.length),
  };
  if (book.fetchedAt) result.priceFetchedAt = book.fetchedAt;
  if (createdAt) result.createdAt = createdAt;
  if (deletedAt) result.deletedAt = deletedAt;
  return result;
}

function clusterBasis(book: PriceBook, final: boolean, payers: number): string {
  const prices =
    book.source === "builtin-fallback"
      ? `built-in fallback price table (${book.currency}; the Retail Prices API was not available${book.note ? `: ${book.note}` : ""})`
      : `Azure Retail Prices API, HDInsight meters, ${book.region}, ${book.currency}, fetched ${book.fetchedAt ?? "?"}`;
  const overhead = final
    ? `provisioning and teardown split evenly among the ${payers} holder(s) that used the cluster`
    : "provisioning so far charged to the job that created the cluster (re-split among all its users once it is deleted)";
  return `every node billed per started minute from create accepted to deletion completed, at ${prices}; held minutes split evenly among concurrent holders; idle (kept-warm) minutes charged to the profile's pool; ${overhead}`;
}
