// In-process control of a sandbox (what /_sandbox/… offers over HTTP), for tests and `npm start` in one process.
import type { VirtualClock } from "../clock/virtualClock";
import type { ScenarioSettings } from "./armTypes";
import type { FaultSpec, FaultTable, ActiveFault } from "./faults";
import type { RequestComponent, RequestLog, RequestLogEntry } from "./requestLog";
import type { ThrottlingOptions, TokenBuckets } from "./throttling";
import type { ClusterStore } from "./hdinsight/clusterStore";
import type { ComputeService } from "./compute/computeService";
import type { RecordedCommand } from "./compute/vms";

export interface SandboxControlDeps {
  clock: VirtualClock;
  settings: ScenarioSettings;
  saveSettings(): void;
  faults: FaultTable;
  throttle: TokenBuckets;
  log: RequestLog;
  clusters: ClusterStore;
  compute: ComputeService;
  reset(): Promise<void>;
}

export class SandboxControl {
  constructor(private readonly deps: SandboxControlDeps) {}

  /** Manual clock: moves virtual time forward, firing due timers (provisioning transitions, deletes). */
  advanceBy(durationInMs: number): Promise<void> {
    return this.deps.clock.advanceBy(durationInMs);
  }

  /** Changes scenario settings (durations apply to clusters created afterwards) and persists them. */
  updateSettings(patch: Partial<ScenarioSettings>): ScenarioSettings {
    Object.assign(this.deps.settings, patch);
    this.deps.saveSettings();
    return { ...this.deps.settings };
  }

  /** The next N matching ARM requests fail as described (429, 5xx, timeout). */
  addFault(spec: FaultSpec): ActiveFault {
    return this.deps.faults.add(spec);
  }

  clearFaults(): void {
    this.deps.faults.clear();
  }

  setThrottling(options: ThrottlingOptions): void {
    this.deps.throttle.configure(options);
  }

  requests(filter: { sinceSeq?: number; component?: string } = {}): RequestLogEntry[] {
    return this.deps.log.list(filter);
  }

  /** Requests per component, never trimmed (requests() keeps only the newest 20,000 or so). */
  requestCounts(): Record<RequestComponent, number> {
    return this.deps.log.countsByComponent();
  }

  clearRequests(): void {
    this.deps.log.clear();
  }

  /** Fails the named cluster's provisioning now, or its next create when it is not provisioning. */
  failProvisioning(
    clusterName: string,
    failure = { code: "InternalServerError", message: "Cluster provisioning failed (injected by the sandbox)." },
  ): void {
    const c = this.deps.clusters.findByName(clusterName);
    if (c && this.deps.clusters.statusOf(c).provisioningState === "InProgress") {
      c.timeline.failAtMs = this.deps.clock.nowMs();
      c.timeline.failure = failure;
      this.deps.clusters.changed(c);
      return;
    }
    this.deps.clusters.pendingFailures[clusterName.toLowerCase()] = failure;
    this.deps.clusters.save();
  }

  /** Deletes a cluster behind the client's back: it is simply gone (404) from now on. Returns false if absent. */
  vanishCluster(clusterName: string): boolean {
    const c = this.deps.clusters.findByName(clusterName);
    if (!c) return false;
    this.deps.clusters.vanish(c);
    return true;
  }

  /** The next `count` run commands on the VM fail (exit code) or time out instead of running. */
  addRunCommandFault(vmName: string, fault: { kind: "fail" | "timeout"; count?: number; exitCode?: number; message?: string }): void {
    this.deps.compute.addFault(vmName, fault);
  }

  /** Calls of apt-get, systemctl, … made by scripts on the VM, in order. */
  recordedCommands(vmName: string): RecordedCommand[] {
    return this.deps.compute.registry.recorded(vmName);
  }

  /** The VM's filesystem root (its JF_ROOT). */
  vmRoot(vmName: string): string {
    return this.deps.compute.registry.rootOf(vmName);
  }

  /** Resolves when no run command is executing or queued on any VM. */
  runCommandsIdle(): Promise<void> {
    return this.deps.compute.executor.whenIdle();
  }

  reset(): Promise<void> {
    return this.deps.reset();
  }
}
