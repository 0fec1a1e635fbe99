// The cost report (GET /api/costs, `jobflow costs`): what was spent in a period, grouped by profile, by a tag of
// the jobs (e.g. team), by job or by UTC day, and how much of it was idle keep-warm time. Built from the cluster
// ledgers; per cluster, only the billed minutes starting in the period count. Pure; exact sums in micro-units.
import { computeClusterCost, figure, type ClusterCost, type CostFigure } from "./billing";
import { ledgerCreatedAt, ledgerDeletedAt, type ClusterLedger } from "./ledger";
import type { PriceBook } from "./prices";

export type CostGroupBy = { kind: "profile" } | { kind: "job" } | { kind: "day" } | { kind: "tag"; tag: string };

export interface CostReportRow {
  key: string;
  amount: number;
  nodeMinutes: number;
  /** Part of the row that is idle keep-warm time (the profile's pool). */
  idleAmount: number;
  idleNodeMinutes: number;
  jobs: number;
  clusters: number;
}

export interface CostReport {
  from: string;
  to: string;
  groupBy: string;
  currency: string;
  /** Where the prices came from, per region (a fallback table is named as such). */
  prices: { region: string; source: PriceBook["source"]; fetchedAt?: string; note?: string }[];
  totals: Omit<CostReportRow, "key">;
  groups: CostReportRow[];
}

export const UNTAGGED = "(untagged)";
const DAY_MS = 86_400_000;

export function parseGroupBy(value: string | null | undefined): CostGroupBy | string {
  const v = (value || "profile").trim();
  if (v === "profile" || v === "job" || v === "day") return { kind: v };
  const tag = /^tag:(.+)$/.exec(v);
  if (tag && tag[1].trim()) return { kind: "tag", tag: tag[1].trim() };
  return `groupBy must be profile, job, day or tag:<name>, got '${v}'`;
}

export const groupByName = (g: CostGroupBy): string => (g.kind === "tag" ? `tag:${g.tag}` : g.kind);

interface Acc {
  total: CostFigure[];
  idle: CostFigure[];
  jobs: Set<string>;
  clusters: Set<string>;
}

export function buildCostReport(
  ledgers: ClusterLedger[],
  bookFor: (region: string | undefined) => PriceBook,
  options: {
    fromMs: number;
    toMs: number;
    asOfMs: number;
    groupBy: CostGroupBy;
    holderTags?: (holder: string) => Record<string, string> | undefined;
  },
): CostReport {
  const rows = new Map<string, Acc>();
  const acc = (key: string): Acc => {
    let a = rows.get(key);
    if (!a) rows.set(key, (a = { total: [], idle: [], jobs: new Set(), clusters: new Set() }));
    return a;
  };
  const books = new Map<string, PriceBook>();
  const g = options.groupBy;
  for (const ledger of ledgers) {
    const created = ledgerCreatedAt(ledger);
    if (!created) continue;
    const book = bookFor(ledger.region);
    books.set(book.region, book);
    const end = Date.parse(ledgerDeletedAt(ledger) ?? new Date(options.asOfMs).toISOString());
    const from = Math.max(options.fromMs, Date.parse(created) - 60_000);
    const to = Math.min(options.toMs, end + 60_000);
    if (to <= from) continue;
    const windows: [number, number, string | undefined][] = [];
    if (g.kind === "day") {
      for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS)
        windows.push([Math.max(d, options.fromMs), Math.min(d + DAY_MS, options.toMs), new Date(d).toISOString().slice(0, 10)]);
    } else windows.push([options.fromMs, options.toMs, undefined]);
    for (const [wFrom, wTo, day] of windows) {
      const cost: ClusterCost = computeClusterCost(ledger, book, options.asOfMs, { fromMs: wFrom, toMs: wTo });
      if (cost.bill.micros === 0 && cost.bill.milliNodeMinutes === 0) continue;
      const keyOf = (holder: string | undefined): string => {
        if (g.kind === "day") return day as string;
        if (g.kind === "profile") return ledger.profile;
        if (g.kind === "job") return holder ?? `(idle pool: ${ledger.profile})`;
        // By tag: a job's share by the job's tag; idle by the cluster's tags (those Azure Cost Management sees).
        const tags = holder ? options.holderTags?.(holder) : ledger.tags;
        return tags?.[g.tag] ?? UNTAGGED;
      };
      for (const h of cost.holders) {
        if (h.total.micros === 0 && h.total.milliNodeMinutes === 0) continue;
        const a = acc(keyOf(h.holder));
        a.total.push(h.total);
        a.jobs.add(h.holder);
        a.clusters.add(ledger.clusterName);
      }
      if (cost.pool.idle.micros > 0 || cost.pool.idle.milliNodeMinutes > 0) {
        const a = acc(keyOf(undefined));
        a.total.push(cost.pool.idle);
        a.idle.push(cost.pool.idle);
        a.clusters.add(ledger.clusterName);
      }
    }
  }
  const sum = (fs: CostFigure[]): CostFigure =>
    figure(
      fs.reduce((x, f) => x + f.micros, 0),
      fs.reduce((x, f) => x + f.milliNodeMinutes, 0),
    );
  const row = (a: Acc): Omit<CostReportRow, "key"> => {
    const t = sum(a.total);
    const i = sum(a.idle);
    return {
      amount: t.amount,
      nodeMinutes: t.nodeMinutes,
      idleAmount: i.amount,
      idleNodeMinutes: i.nodeMinutes,
      jobs: a.jobs.size,
      clusters: a.clusters.size,
    };
  };
  const all: Acc = { total: [], idle: [], jobs: new Set(), clusters: new Set() };
  for (const a of rows.values()) {
    all.total.push(...a.total);
    all.idle.push(...a.idle);
    a.jobs.forEach((j) => all.jobs.add(j));
    a.clusters.forEach((c) => all.clusters.add(c));
  }
  const groups = [...rows]
    .map(([key, a]) => ({ key, ...row(a) }))
    .sort((x, y) => (g.kind === "day" ? x.key.localeCompare(y.key) : y.amount - x.amount || x.key.localeCompare(y.key)));
  const currencies = [...new Set([...books.values()].map((b) => b.currency))];
  return {
    from: new Date(options.fromMs).toISOString(),
    to: new Date(options.toMs).toISOString(),
    groupBy: groupByName(g),
    currency: currencies.join("+") || bookFor(undefined).currency,
    prices: [...books.values()].map((b) => ({
      region: b.region,
      source: b.source,
      ...(b.fetchedAt ? { fetchedAt: b.fetchedAt } : {}),
      ...(b.note ? { note: b.note } : {}),
    })),
    totals: row(all),
    groups,
  };
}
