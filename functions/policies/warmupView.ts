// A schedule's warm-ups as the API shows them (GET /api/schedules/{id}, `jobflow schedules show`): each entry of the
// record with its cost from the cluster's ledger (as of now; final once the cluster is deleted). A wasted warm-up
// that created its cluster and saw no job on it costs the whole cluster; otherwise it costs its share as a holder
// (held minutes split with concurrent holders + its part of provisioning and teardown), like a job's share.
import type { DurableClient } from "durable-functions";
import type { ClusterCost } from "../../shared/cost/billing";
import { jobShareOf } from "../../shared/cost/jobShare";
import type { WarmupCost, WarmupEntry, WarmupView } from "../../shared/policies/workflowTypes";
import { clusterCost, liveLedgers, type CostReaderDeps } from "../store/costReader";

export type { WarmupCost, WarmupView };

export function warmupCost(entry: WarmupEntry, scheduleId: string, cost: ClusterCost): WarmupCost | null {
  const others = cost.holders.filter((h) => h.holder !== scheduleId);
  if (entry.state === "wasted" && entry.created && others.length === 0) {
    return {
      amount: cost.bill.amount,
      nodeMinutes: cost.bill.nodeMinutes,
      currency: cost.currency,
      final: cost.final,
      basis: `the whole of cluster ${cost.clusterName} (${cost.billedMinutes} billed minutes): created by this warm-up, used by no job`,
    };
  }
  const share = jobShareOf(cost, scheduleId);
  if (!share) return null;
  return {
    amount: share.amount,
    nodeMinutes: share.nodeMinutes,
    currency: share.currency,
    final: share.final,
    basis: `this schedule's share as a holder of cluster ${cost.clusterName} (shared with ${others.length} other holder(s))`,
  };
}

export async function warmupsWithCost(
  s: CostReaderDeps,
  client: DurableClient,
  scheduleId: string,
  entries: readonly WarmupEntry[],
): Promise<WarmupView[]> {
  const live = liveLedgers(client);
  const names = [...new Set(entries.map((e) => e.clusterName))];
  const costs = new Map(await Promise.all(names.map(async (n) => [n, await clusterCost(s, n, live).catch(() => undefined)] as const)));
  return entries.map((e) => {
    const cost = costs.get(e.clusterName);
    return { ...e, cost: cost ? warmupCost(e, scheduleId, cost) : null };
  });
}
