// Persisted Run Command state: v2 run command resources (with their instance view) and the async operations the
// SDK polls for v1 and v2. Protected parameters and runAsPassword (secret in the spec) are never stored.
import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "../stateFile";

export type ExecutionState = "Unknown" | "Pending" | "Running" | "Failed" | "Succeeded" | "TimedOut" | "Canceled";

export interface InstanceView {
  executionState: ExecutionState;
  executionMessage: string;
  exitCode?: number;
  output: string;
  error: string;
  startTime?: string;
  endTime?: string;
}

export interface RunCommandRecord {
  subscriptionId: string;
  resourceGroup: string;
  vmName: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  /** As sent, minus protectedParameters and runAsPassword. */
  properties: Record<string, unknown>;
  /** Hash of the full request (incl. protected values) to tell a re-PUT of the same command from a change. */
  bodyHash: string;
  provisioningState: "Creating" | "Updating" | "Succeeded" | "Failed" | "Deleting";
  instanceView: InstanceView;
  jobId: string;
  operationId: string;
}

export interface ComputeOperation {
  id: string;
  kind: "runCommand" | "managedRunCommand" | "deleteManagedRunCommand";
  startedAtMs: number;
  endedAtMs?: number;
  status: "InProgress" | "Succeeded" | "Failed";
  error?: { code: string; message: string };
  /** v1: the RunCommandResult served from the Location URL once done. */
  result?: unknown;
}

interface Persisted {
  runCommands: RunCommandRecord[];
  operations: ComputeOperation[];
}

export function runCommandKey(sub: string, rg: string, vm: string, name: string): string {
  return `${sub}/${rg}/${vm}/${name}`.toLowerCase();
}

export class RunCommandStore {
  readonly runCommands = new Map<string, RunCommandRecord>();
  readonly operations = new Map<string, ComputeOperation>();
  private readonly file: string;

  constructor(stateDir: string, nowMs: number) {
    this.file = join(stateDir, "compute.json");
    const saved = readJsonFile<Persisted>(this.file, { runCommands: [], operations: [] });
    for (const r of saved.runCommands) this.runCommands.set(runCommandKey(r.subscriptionId, r.resourceGroup, r.vmName, r.name), r);
    for (const o of saved.operations) this.operations.set(o.id, o);
    this.failInterrupted(nowMs);
  }

  save(): void {
    writeJsonFile(this.file, {
      runCommands: [...this.runCommands.values()],
      operations: [...this.operations.values()],
    } satisfies Persisted);
  }

  clear(): void {
    this.runCommands.clear();
    this.operations.clear();
    this.save();
  }

  /**
   * Scripts in flight when the process died are gone with it (their protected parameters were never persisted
   * either), so they end as Failed with a message saying why; pollers then see a terminal state.
   */
  private failInterrupted(nowMs: number): void {
    const message = "The sandbox restarted while this run command was in flight; it did not complete.";
    for (const r of this.runCommands.values()) {
      if (r.instanceView.executionState !== "Pending" && r.instanceView.executionState !== "Running") continue;
      r.instanceView = {
        ...r.instanceView,
        executionState: "Failed",
        executionMessage: message,
        exitCode: -1,
        endTime: new Date(nowMs).toISOString(),
      };
      if (r.provisioningState === "Creating" || r.provisioningState === "Updating") r.provisioningState = "Failed";
    }
    for (const o of this.operations.values()) {
      if (o.status !== "InProgress") continue;
      o.status = "Failed";
      o.endedAtMs = nowMs;
      o.error = { code: "OperationInterrupted", message };
    }
    this.save();
  }
}
