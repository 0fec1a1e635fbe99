// The cluster ledger: what a cluster cost is computed from. The cluster orchestration appends one event per fact
// (create accepted, node counts, ready, a holder acquiring/releasing, delete requested, delete completed) with its
// replay-safe time; everything here is pure and deterministic (orchestrations import it).

/** One homogeneous group of nodes: a role (head, worker, zookeeper, edge…) of one VM size. */
export interface NodeGroup {
  role: string;
  vmSize: string;
  count: number;
}

export type LedgerEvent =
  /** ARM accepted the create request: billing starts here (Azure bills from creation). */
  | { type: "createAccepted"; at: string; nodes: NodeGroup[] }
  /** The node counts changed (resize, autoscale): the full new shape. */
  | { type: "nodes"; at: string; nodes: NodeGroup[] }
  | { type: "ready"; at: string }
  | { type: "acquired"; at: string; holder: string }
  | { type: "released"; at: string; holder: string }
  | { type: "deleteRequested"; at: string; reason?: string }
  /** GET answered 404 after the delete: billing ends here. */
  | { type: "deleted"; at: string };

export interface ClusterLedger {
  clusterName: string;
  profile: string;
  profileHash?: string;
  region?: string;
  /** The job or lease whose acquisition created the cluster (pays its provisioning while it is the only user). */
  creator: string;
  tags?: Record<string, string>;
  events: LedgerEvent[];
}

export function newLedger(fields: Omit<ClusterLedger, "events">): ClusterLedger {
  return { ...fields, events: [] };
}

/** Appends an event, keeping the ledger's invariants (time never goes back; one acquire per holder at a time). */
export function appendLedgerEvent(ledger: ClusterLedger, event: LedgerEvent): ClusterLedger {
  const last = ledger.events[ledger.events.length - 1];
  const at = last && Date.parse(event.at) < Date.parse(last.at) ? last.at : event.at;
  const held = holdersAt(ledger.events);
  if (event.type === "acquired" && held.has(event.holder)) return ledger;
  if (event.type === "released" && !held.has(event.holder)) return ledger;
  if (ledger.events.some((e) => e.type === "deleted")) return ledger;
  return { ...ledger, events: [...ledger.events, { ...event, at }] };
}

function holdersAt(events: LedgerEvent[]): Set<string> {
  const held = new Set<string>();
  for (const e of events) {
    if (e.type === "acquired") held.add(e.holder);
    else if (e.type === "released") held.delete(e.holder);
    else if (e.type === "deleted") held.clear();
  }
  return held;
}

export type SegmentPhase = "provisioning" | "held" | "idle" | "teardown";

/** A stretch of time during which the node shape, the phase and the holders did not change. */
export interface LedgerSegment {
  startMs: number;
  endMs: number;
  nodes: NodeGroup[];
  phase: SegmentPhase;
  holders: string[];
}

/**
 * The ledger as consecutive segments from create accepted to deletion completed (or `asOfMs` while the cluster
 * still exists). Empty when the create was never accepted. Holders during provisioning still count as waiting,
 * not holding: provisioning is lifecycle overhead, attributed separately.
 */
export function ledgerSegments(ledger: ClusterLedger, asOfMs: number): LedgerSegment[] {
  const created = ledger.events.find((e) => e.type === "createAccepted");
  if (!created) return [];
  const deleted = ledger.events.find((e) => e.type === "deleted");
  const endMs = deleted ? Date.parse(deleted.at) : Math.max(asOfMs, Date.parse(created.at));
  let nodes = created.nodes;
  let ready = false;
  let teardown = false;
  const holders: string[] = [];
  const segments: LedgerSegment[] = [];
  let cursor = Date.parse(created.at);
  const phase = (): SegmentPhase => (teardown ? "teardown" : !ready ? "provisioning" : holders.length > 0 ? "held" : "idle");
  const close = (untilMs: number): void => {
    const until = Math.min(untilMs, endMs);
    if (until > cursor)
      segments.push({ startMs: cursor, endMs: until, nodes, phase: phase(), holders: phase() === "held" ? [...holders].sort() : [] });
    cursor = Math.max(cursor, until);
  };
  for (const e of ledger.events) {
    if (e.type === "createAccepted") continue;
    close(Date.parse(e.at));
    if (e.type === "nodes") nodes = e.nodes;
    else if (e.type === "ready") ready = true;
    else if (e.type === "acquired" && !holders.includes(e.holder)) holders.push(e.holder);
    else if (e.type === "released") holders.splice(0, holders.length, ...holders.filter((h) => h !== e.holder));
    else if (e.type === "deleteRequested") teardown = true;
    else if (e.type === "deleted") break;
  }
  close(endMs);
  return segments;
}

/** Every holder that held the cluster while it was ready, in order of first acquisition. */
export function ledgerUsers(ledger: ClusterLedger, asOfMs: number): string[] {
  const users: string[] = [];
  for (const s of ledgerSegments(ledger, asOfMs)) for (const h of s.holders) if (!users.includes(h)) users.push(h);
  return users;
}

export const ledgerCreatedAt = (ledger: ClusterLedger): string | undefined => ledger.events.find((e) => e.type === "createAccepted")?.at;
export const ledgerDeletedAt = (ledger: ClusterLedger): string | undefined => ledger.events.find((e) => e.type === "deleted")?.at;
