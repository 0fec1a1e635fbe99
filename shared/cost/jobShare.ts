// A job's (or lease's) cost as its record shows it: its share of one cluster's bill (shared/cost/billing.ts), with
// the basis spelled out in words. Pure.
import type { ClusterCost } from "./billing";

export interface JobCost {
  clusterName: string;
  currency: string;
  /** Held share + overhead share. */
  amount: number;
  nodeMinutes: number;
  nodeHours: number;
  held: { amount: number; nodeMinutes: number };
  overhead: { amount: number; nodeMinutes: number };
  /** False while the cluster exists: the overhead share is re-split among all its users once it is deleted. */
  final: boolean;
  priceSource: ClusterCost["priceSource"];
  cluster: { billedMinutes: number; nodeMinutes: number; amount: number; users: number; poolIdleAmount: number };
  basis: string;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function jobShareOf(cost: ClusterCost, holder: string): JobCost | undefined {
  const share = cost.holders.find((h) => h.holder === holder);
  if (!share) return undefined;
  const users = cost.holders.filter((h) => h.held.micros > 0 || h.held.milliNodeMinutes > 0).length;
  const overheadRule = cost.final
    ? `1/${Math.max(1, cost.holders.length)} of the cluster's provisioning and teardown`
    : share.overhead.micros > 0
      ? "the cluster's provisioning so far (this job created it; re-split among its users once it is deleted)"
      : "no provisioning share yet (the creating job carries it until the cluster is deleted)";
  const basis =
    `share of cluster ${cost.clusterName} (billed ${cost.bill.nodeMinutes} node-minutes = ${cost.bill.amount.toFixed(2)} ${cost.currency}${cost.final ? "" : " so far"}): ` +
    `${share.held.nodeMinutes.toFixed(1)} node-minutes held (split evenly with concurrent holders) + ${overheadRule}; ` +
    `idle keep-warm time (${cost.pool.idle.amount.toFixed(2)} ${cost.currency}) is charged to the ${cost.profile} pool, not to jobs. ${cost.basis}`;
  return {
    clusterName: cost.clusterName,
    currency: cost.currency,
    amount: share.total.amount,
    nodeMinutes: share.total.nodeMinutes,
    nodeHours: r3(share.total.nodeMinutes / 60),
    held: { amount: share.held.amount, nodeMinutes: share.held.nodeMinutes },
    overhead: { amount: share.overhead.amount, nodeMinutes: share.overhead.nodeMinutes },
    final: cost.final,
    priceSource: cost.priceSource,
    cluster: {
      billedMinutes: cost.billedMinutes,
      nodeMinutes: cost.bill.nodeMinutes,
      amount: cost.bill.amount,
      users,
      poolIdleAmount: cost.pool.idle.amount,
    },
    basis,
  };
}
