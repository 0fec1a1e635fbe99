// The offline optimum ("oracle") of a trace, computed, not simulated (docs/costs.md, "The oracle"). It knows every
// arrival and run time in advance. Per compatible profile (same profile and overrides), the busy intervals are the
// union of [arrival, arrival + run time] (jobs of one profile share a cluster when they overlap); between two busy
// intervals separated by a gap g it keeps the cluster when g < P + D (provisioning + deletion time: what deleting
// and re-creating would bill), else deletes at once and re-creates just in time (P before the next arrival), so
// every job starts at its time. A cluster's life = P + first arrival → last busy end (gaps kept) + D, billed per
// started minute × its nodes. Delays are 0 by construction.
import type { NodeGroup } from "../../shared/cost/ledger";
import { nodeHourPrice, type PriceBook } from "../../shared/cost/prices";

export interface OracleJob {
  atMs: number;
  runMs: number;
  /** Compatible profile: jobs with the same key may share a cluster. */
  profileKey: string;
  nodes: NodeGroup[];
}

export interface OracleResult {
  billedNodeMinutes: number;
  amount: number;
  clustersCreated: number;
  lifetimes: { profileKey: string; createAtMs: number; deletedAtMs: number; minutes: number }[];
}

export function oracle(jobs: OracleJob[], provisioningMs: number, deleteMs: number, book: PriceBook): OracleResult {
  const byProfile = new Map<string, OracleJob[]>();
  for (const j of jobs) byProfile.set(j.profileKey, [...(byProfile.get(j.profileKey) ?? []), j]);
  const lifetimes: OracleResult["lifetimes"] = [];
  let nodeMinutes = 0;
  let amount = 0;
  for (const [profileKey, list] of byProfile) {
    const nodes = list[0].nodes;
    // Busy intervals: union of the jobs' run intervals.
    const busy: [number, number][] = [];
    for (const j of [...list].sort((a, b) => a.atMs - b.atMs)) {
      const last = busy[busy.length - 1];
      if (last && j.atMs <= last[1]) last[1] = Math.max(last[1], j.atMs + j.runMs);
      else busy.push([j.atMs, j.atMs + j.runMs]);
    }
    // Lives: keep through a gap shorter than deleting + re-creating, else delete and re-create just in time.
    let life: [number, number] | undefined;
    const close = (): void => {
      if (!life) return;
      const createAtMs = life[0] - provisioningMs;
      const deletedAtMs = life[1] + deleteMs;
      const minutes = Math.ceil((deletedAtMs - createAtMs) / 60_000);
      lifetimes.push({ profileKey, createAtMs, deletedAtMs, minutes });
      for (const g of nodes) {
        nodeMinutes += minutes * g.count;
        amount += (minutes * g.count * nodeHourPrice(book, g.vmSize).price) / 60;
      }
    };
    for (const [s, e] of busy) {
      if (life && s - life[1] < provisioningMs + deleteMs) life[1] = e;
      else {
        close();
        life = [s, e];
      }
    }
    close();
  }
  return { billedNodeMinutes: nodeMinutes, amount: Math.round(amount * 1e6) / 1e6, clustersCreated: lifetimes.length, lifetimes };
}
