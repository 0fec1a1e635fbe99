// The clusters "Azure" holds: records persisted in the data folder, state derived from timestamps (timeline.ts),
// clock timers armed at each transition so that deletes complete (and the gateway is told) without a request.
import { join } from "node:path";
import type { VirtualClock, TimerHandle } from "../../clock/virtualClock";
import type { SandboxClusterView } from "../contracts";
import { readJsonFile, writeJsonFile } from "../stateFile";
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
  private operations = new Map<string, AsyncOperation>();
  pendingFailures: Record<string, { code: string; message: string }> = {};
  private timers: TimerHandle[] = [];
  private readonly file: string;

  constructor(
    private readonly clock: VirtualClock,
    stateDir: string,
    private readonly onGone: (name: string) => void,
  ) {
    this.file = join(stateDir, "clusters.json");
    const saved = readJsonFile<PersistedClusters>(this.file, { clusters: [], operations: [], pendingFailures: {} });
    for (const c of saved.clusters) this.clusters.set(clusterKey(c.subscriptionId, c.resourceGroup, c.name), c);
    for (const o of saved.operations) this.operations.set(o.id, o);
    this.pendingFailures = saved.pendingFailures ?? {};
    this.sweep();
    for (const c of this.clusters.values()) this.armTimers(c);
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
    const lower = name.toLowerCase();
    for (const c of this.clusters.values()) if (c.name.toLowerCase() === lower) return c;
    return undefined;
  }

  list(filter: { subscriptionId: string; resourceGroup?: string }): ClusterRecord[] {
    this.sweep();
    return [...this.clusters.values()]
      .filter((c) => c.subscriptionId.toLowerCase() === filter.subscriptionId.toLowerCase())
      .filter((c) => !filter.resourceGroup || c.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase())
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  add(c: ClusterRecord, op: AsyncOperation): void {
    this.clusters.set(clusterKey(c.subscriptionId, c.resourceGroup, c.name), c);
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
    this.save();
    this.armTimers(c);
  }

  /** Removes a cluster at once (the "deleted behind your back" fault). */
  vanish(c: ClusterRecord): void {
    this.clusters.delete(clusterKey(c.subscriptionId, c.resourceGroup, c.name));
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
    this.operations.clear();
    this.pendingFailures = {};
    this.save();
    names.forEach((n) => this.onGone(n));
  }

  stop(): void {
    this.timers.forEach((t) => t.cancel());
    this.timers = [];
  }

  save(): void {
    writeJsonFile(this.file, {
      clusters: [...this.clusters.values()],
      operations: [...this.operations.values()],
      pendingFailures: this.pendingFailures,
    } satisfies PersistedClusters);
  }

  /** Drops clusters whose delete has completed and tells the gateway; keeps their operations for pollers. */
  private sweep(): void {
    const gone = [...this.clusters.entries()].filter(([, c]) => this.statusOf(c).gone);
    if (gone.length === 0) return;
    for (const [key] of gone) this.clusters.delete(key);
    this.save();
    for (const [, c] of gone) this.onGone(c.name);
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
