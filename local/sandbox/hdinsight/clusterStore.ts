// The clusters "Azure" holds: records persisted in the data folder, state derived from timestamps (timeline.ts),
// clock timers armed at each transition so that deletes complete (and the gateway is told) without a request.
import { join } from "node:path";
import type { VirtualClock, TimerHandle } from "../../clock/virtualClock";
import type { SandboxClusterView } from "../contracts";
import { readJsonFile, SerializedJsonFile } from "../stateFile";
import { statusAt, transitionTimes, type ClusterStatus, type ClusterTimeline } from "./timeline";

export interface ClusterRecord {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  identity?: unknown;
  /** Availability zones the create asked for (top-level `zones`). */
  zones?: string[];
  /** The create body's properties with secrets removed and the RP's fill-ins added (clusterShape.ts): echoed in GET. */
  properties: Record<string, unknown>;
  /** Cluster configurations (Ambari config types) for the configurations API, without the gateway password. */
  configurations?: Record<string, Record<string, unknown>>;
  /** Hash of the create request: a PUT with another definition is refused instead of silently ignored. */
  bodyHash?: string;
  /** Script actions run on the cluster (newest first) and those persisted for new nodes. */
  scriptExecutions?: ScriptExecution[];
  persistedScripts?: string[];
  clusterVersion: string;
  kind: string;
  gatewayUsername: string;
  /** Kept so the gateway can check basic auth, as the real gateway does. Never returned by GET. */
  gatewayPassword: string;
  nodeCount: number;
  etag: string;
  clusterId: string;
  createOperationId: string;
  deleteOperationId?: string;
  timeline: ClusterTimeline;
}

export interface ScriptExecution {
  scriptExecutionId: number;
  name: string;
  uri: string;
  roles: string[];
  parameters?: string;
  startTime: string;
  endTime: string;
  status: string;
  operation: string;
  executionSummary: Array<{ status: string; instanceCount: number }>;
}

export interface AsyncOperation {
  id: string;
  /** create/delete follow the cluster's timeline; update (resize, autoscale, gateway, script actions) ends at doneAtMs. */
  kind: "create" | "delete" | "update";
  clusterKey: string;
  startedAtMs: number;
  doneAtMs?: number;
}

interface PersistedClusters {
  clusters: ClusterRecord[];
  operations: AsyncOperation[];
  /** Clusters to fail when (or if) they are created: name → failure. */
  pendingFailures: Record<string, { code: string; message: string }>;
}

export function clusterKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
}

export class ClusterStore {
  private clusters = new Map<string, ClusterRecord>();
  /** Lower-case name → key in `clusters` (names are global: findByName without a scan). */
  private byName = new Map<string, string>();
  private operations = new Map<string, AsyncOperation>();
  pendingFailures: Record<string, { code: string; message: string }> = {};
  private timers: TimerHandle[] = [];
  private readonly file: SerializedJsonFile<{ toJSON(): PersistedClusters }>;
  /** The state is serialized when a write starts (not at every change): the newest state, once per write. */
  private readonly persisted = { toJSON: (): PersistedClusters => this.snapshot() };
  private lastSave: Promise<void> = Promise.resolve();
  /** Earliest time a delete completes (a cluster becomes gone): sweep() has nothing to do before it. */
  private nextGoneAtMs = Infinity;

  constructor(
    private readonly clock: VirtualClock,
    stateDir: string,
    private readonly onGone: (name: string) => void,
  ) {
    this.file = new SerializedJsonFile(stateDir, "clusters.json");
    const saved = readJsonFile<PersistedClusters>(join(stateDir, "clusters.json"), { clusters: [], operations: [], pendingFailures: {} });
    for (const c of saved.clusters) this.put(c);
    for (const o of saved.operations) this.operations.set(o.id, o);
    this.pendingFailures = saved.pendingFailures ?? {};
    this.nextGoneAtMs = -Infinity; // sweep what went while the sandbox was down
    this.sweep();
    for (const c of this.clusters.values()) this.armTimers(c);
  }

  private put(c: ClusterRecord): void {
    const key = clusterKey(c.subscriptionId, c.resourceGroup, c.name);
    this.clusters.set(key, c);
    this.byName.set(c.name.toLowerCase(), key);
    this.noteGoneAt(c);
  }

  private remove(key: string): void {
    const c = this.clusters.get(key);
    this.clusters.delete(key);
    if (c && this.byName.get(c.name.toLowerCase()) === key) this.byName.delete(c.name.toLowerCase());
  }

  private noteGoneAt(c: ClusterRecord): void {
    const t = c.timeline;
    if (t.deleteRequestedAtMs !== undefined)
      this.nextGoneAtMs = Math.min(this.nextGoneAtMs, t.deleteRequestedAtMs + (t.deleteDurationMs ?? 0));
  }

  statusOf(c: ClusterRecord): ClusterStatus {
    return statusAt(c.timeline, this.clock.nowMs());
  }

  /** A live (not yet gone) cluster by ARM coordinates. */
  get(subscriptionId: string, resourceGroup: string, name: string): ClusterRecord | undefined {
    this.sweep();
    return this.clusters.get(clusterKey(subscriptionId, resourceGroup, name));
  }

  /** A live cluster by name alone: names are global (DNS labels), so this is unambiguous. */
  findByName(name: string): ClusterRecord | undefined {
    this.sweep();
    const key = this.byName.get(name.toLowerCase());
    return key === undefined ? undefined : this.clusters.get(key);
  }

  list(filter: { subscriptionId: string; resourceGroup?: string }): ClusterRecord[] {
    this.sweep();
    return [...this.clusters.values()]
      .filter((c) => c.subscriptionId.toLowerCase() === filter.subscriptionId.toLowerCase())
      .filter((c) => !filter.resourceGroup || c.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase())
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  add(c: ClusterRecord, op: AsyncOperation): void {
    this.put(c);
    this.operations.set(op.id, op);
    this.save();
    this.armTimers(c);
  }

  addOperation(op: AsyncOperation): void {
    this.operations.set(op.id, op);
    this.save();
  }

  operation(id: string): AsyncOperation | undefined {
    return this.operations.get(id);
  }

  /** Any record under this key, including one whose delete completed but was not swept yet. */
  raw(key: string): ClusterRecord | undefined {
    return this.clusters.get(key);
  }

  /** Persist after a caller mutated a record, and re-arm its timers. */
  changed(c: ClusterRecord): void {
    this.noteGoneAt(c);
    this.save();
    this.armTimers(c);
  }

  /** Removes a cluster at once (the "deleted behind your back" fault). */
  vanish(c: ClusterRecord): void {
    this.remove(clusterKey(c.subscriptionId, c.resourceGroup, c.name));
    this.save();
    this.onGone(c.name);
  }

  view(c: ClusterRecord): SandboxClusterView {
    const s = this.statusOf(c);
    const state: SandboxClusterView["state"] = s.gone
      ? "deleted"
      : s.provisioningState === "Deleting"
        ? "deleting"
        : s.provisioningState === "Failed"
          ? "failed"
          : s.provisioningState === "Succeeded"
            ? "running"
            : "provisioning";
    return {
      name: c.name,
      state,
      gatewayUsername: c.gatewayUsername,
      gatewayPassword: c.gatewayPassword,
      clusterVersion: c.clusterVersion,
      ...(s.runningSinceMs !== undefined ? { runningSinceMs: s.runningSinceMs } : {}),
    };
  }

  reset(): void {
    const names = [...this.clusters.values()].map((c) => c.name);
    this.clusters.clear();
    this.byName.clear();
    this.nextGoneAtMs = Infinity;
    this.operations.clear();
    this.pendingFailures = {};
    this.save();
    names.forEach((n) => this.onGone(n));
  }

  stop(): void {
    this.timers.forEach((t) => t.cancel());
    this.timers = [];
  }

  /**
   * Persists the state (atomic, coalesced with other saves: SerializedJsonFile). Every mutation calls it; an ARM
   * reply waits for flushed() first, so what a reply acknowledged is on disk (a killed sandbox keeps it).
   */
  save(): void {
    const saved = this.file.save(this.persisted);
    saved.catch(() => undefined); // reported through flushed(); a later save writes the state again
    this.lastSave = saved;
  }

  /** Resolves when every change saved so far is on disk (rejects when that write failed). */
  flushed(): Promise<void> {
    return this.lastSave;
  }

  private snapshot(): PersistedClusters {
    return { clusters: [...this.clusters.values()], operations: [...this.operations.values()], pendingFailures: this.pendingFailures };
  }

  /** Drops clusters whose delete has completed and tells the gateway; keeps their operations for pollers. */
  private sweep(): void {
    const now = this.clock.nowMs();
    if (now < this.nextGoneAtMs) return; // nothing can be gone yet: no scan per request
    this.nextGoneAtMs = Infinity;
    const gone: ClusterRecord[] = [];
    for (const [key, c] of this.clusters) {
      if (this.statusOf(c).gone) {
        gone.push(c);
        this.remove(key);
      } else this.noteGoneAt(c);
    }
    if (gone.length === 0) return;
    this.save();
    for (const c of gone) this.onGone(c.name);
  }

  private armTimers(c: ClusterRecord): void {
    const now = this.clock.nowMs();
    for (const at of transitionTimes(c.timeline)) {
      if (at <= now) continue;
      const handle = this.clock.setTimer(at, () => {
        this.timers = this.timers.filter((t) => t !== handle);
        this.sweep();
      });
      this.timers.push(handle);
    }
  }
}
