// Microsoft.Compute as the sandbox emulates it: registered VMs, Run Command v1 and managed v2 executions wired to
// the executor, async operations, per-VM injected run-command faults, and the /_sandbox/vms control endpoints.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";
import type { VirtualClock } from "../../clock/virtualClock";
import type { ArmReply, ScenarioSettings } from "../armTypes";
import { ArmError } from "../http";
import { DEFAULT_TIMEOUT_SECONDS, RunExecutor, type RunFault, type RunResult } from "./executor";
import { AppendBlobSink } from "./blobSink";
import { RunCommandStore, type ComputeOperation, type RunCommandRecord } from "./runCommandStore";
import { VmRegistry, type VmConfig } from "./vms";

export interface ExecutionRequest {
  vm: VmConfig;
  script: string;
  /** source.scriptUri: downloaded when the run starts. */
  loadScript?: () => Promise<string>;
  env: Record<string, string>;
  args: string[];
  timeoutSeconds: number;
  onStart(startMs: number): void;
  onOutput(stdout: string, stderr: string): void;
  onChunk?(stream: "stdout" | "stderr", chunk: Buffer): void;
  onEnd(result: RunResult): void | Promise<void>;
}

export class ComputeService {
  readonly registry: VmRegistry;
  readonly executor: RunExecutor;
  readonly store: RunCommandStore;
  private vmFaults = new Map<string, Array<RunFault & { count: number }>>();

  constructor(
    readonly clock: VirtualClock,
    readonly settings: ScenarioSettings,
    dataDir: string,
    stateDir: string,
    vms: VmConfig[],
  ) {
    this.registry = new VmRegistry(join(dataDir, "vms"), vms, settings.defaultLocation);
    this.executor = new RunExecutor(clock, this.registry);
    this.store = new RunCommandStore(stateDir, clock.nowMs());
  }

  requireVm(rg: string, name: string): VmConfig {
    const vm = this.registry.find(rg, name);
    if (!vm)
      throw new ArmError(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    return vm;
  }

  /** Starts (queues) a script on the VM; an injected fault for the VM replaces the real run. */
  execute(request: ExecutionRequest): string {
    const jobId = randomUUID();
    const fault = this.takeFault(request.vm.name);
    const { vm, ...rest } = request;
    this.executor.enqueue({ ...rest, id: jobId, vm: vm.name, ...(fault ? { fault } : {}) });
    return jobId;
  }

  newOperation(kind: ComputeOperation["kind"]): ComputeOperation {
    const op: ComputeOperation = { id: randomUUID(), kind, startedAtMs: this.clock.nowMs(), status: "InProgress" };
    this.store.operations.set(op.id, op);
    return op;
  }

  endOperation(op: ComputeOperation, status: "Succeeded" | "Failed", extra: Partial<ComputeOperation> = {}): void {
    Object.assign(op, extra, { status, endedAtMs: this.clock.nowMs() });
    this.store.save();
  }

  asyncHeaders(baseUrl: string, sub: string, location: string, op: ComputeOperation, apiVersion: string): Record<string, string | number> {
    const url = `${baseUrl}/subscriptions/${sub}/providers/Microsoft.Compute/locations/${encodeURIComponent(location)}/operations/${op.id}`;
    const v = encodeURIComponent(apiVersion);
    return {
      "azure-asyncoperation": `${url}?api-version=${v}`,
      location: `${url}?p=${op.id}&monitor=true&api-version=${v}`,
      "retry-after": this.settings.lroRetryAfterSeconds,
    };
  }

  static hashBody(body: unknown): string {
    return createHash("sha256").update(JSON.stringify(body)).digest("hex");
  }

  static defaultTimeout(seconds: unknown): number {
    return typeof seconds === "number" && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
  }

  /**
   * Updates a v2 record from executor events and keeps its operation in step. `blobs` are the output / error
   * append blob URIs: each stream is written there in full as it arrives, and flushed before the run reports its end.
   */
  trackManaged(
    record: RunCommandRecord,
    op: ComputeOperation,
    asyncExecution: boolean,
    failAsDeployment: boolean,
    blobs: { output?: string; error?: string } = {},
  ): Pick<ExecutionRequest, "onStart" | "onOutput" | "onChunk" | "onEnd"> {
    let sinks: { stdout?: AppendBlobSink; stderr?: AppendBlobSink } = {};
    return {
      onStart: (startMs) => {
        sinks = {
          ...(blobs.output ? { stdout: new AppendBlobSink(blobs.output) } : {}),
          ...(blobs.error ? { stderr: new AppendBlobSink(blobs.error) } : {}),
        };
        record.instanceView = {
          ...record.instanceView,
          executionState: "Running",
          executionMessage: "",
          startTime: new Date(startMs).toISOString(),
        };
        if (asyncExecution) {
          record.provisioningState = "Succeeded";
          this.endOperation(op, "Succeeded");
        } else this.store.save();
      },
      onOutput: (stdout, stderr) => {
        record.instanceView.output = stdout;
        record.instanceView.error = stderr;
      },
      onChunk: (stream, chunk) => sinks[stream]?.append(chunk),
      onEnd: async (r) => {
        const blobFailures = (await Promise.all([sinks.stdout?.flush(), sinks.stderr?.flush()])).filter(Boolean);
        const message = blobFailures.length ? `${r.message}; writing the output blobs failed: ${blobFailures.join("; ")}` : r.message;
        record.instanceView = {
          executionState: r.state,
          executionMessage: message,
          exitCode: r.exitCode,
          output: r.stdout,
          error: r.stderr,
          startTime: record.instanceView.startTime ?? new Date(r.endMs).toISOString(),
          endTime: new Date(r.endMs).toISOString(),
        };
        if (op.status !== "InProgress") return this.store.save();
        const failed = failAsDeployment && r.state !== "Succeeded";
        record.provisioningState = failed ? "Failed" : "Succeeded";
        this.endOperation(
          op,
          failed ? "Failed" : "Succeeded",
          failed ? { error: { code: "VMExtensionProvisioningError", message: `Run command '${record.name}' failed: ${r.message}` } } : {},
        );
      },
    };
  }

  /** /_sandbox/vms[/{vm}/recorded|files|faults] */
  async control(method: string, subPath: string, query: URLSearchParams, body: unknown): Promise<ArmReply | undefined> {
    const [name, what] = subPath.split("/").filter(Boolean);
    if (!name)
      return {
        status: 200,
        body: { value: this.registry.vms.map((v) => ({ ...v, root: this.registry.rootOf(v.name), busy: this.executor.busy(v.name) })) },
      };
    const vm = this.registry.byName(name);
    if (!vm) throw new ArmError(404, "NotFound", `No registered VM named '${name}'.`);
    if (what === "recorded") return { status: 200, body: { value: this.registry.recorded(vm.name) } };
    if (what === "root") return { status: 200, body: { path: this.registry.rootOf(vm.name) } };
    if (what === "files") return { status: 200, body: { content: this.readVmFile(vm.name, query.get("path") ?? "") } };
    if (what === "faults") {
      if (method === "DELETE") this.vmFaults.delete(vm.name.toLowerCase());
      else if (method === "POST") this.addFault(vm.name, body);
      return { status: 200, body: { value: this.vmFaults.get(vm.name.toLowerCase()) ?? [] } };
    }
    return undefined;
  }

  addFault(vmName: string, body: unknown): void {
    const spec = (body ?? {}) as { kind?: unknown; count?: unknown; exitCode?: unknown; message?: unknown };
    if (spec.kind !== "fail" && spec.kind !== "timeout")
      throw new ArmError(400, "InvalidRequestContent", "kind must be 'fail' or 'timeout'.");
    const count = typeof spec.count === "number" && spec.count >= 1 ? spec.count : 1;
    const list = this.vmFaults.get(vmName.toLowerCase()) ?? [];
    list.push({
      kind: spec.kind,
      count,
      ...(typeof spec.exitCode === "number" ? { exitCode: spec.exitCode } : {}),
      ...(typeof spec.message === "string" ? { message: spec.message } : {}),
    });
    this.vmFaults.set(vmName.toLowerCase(), list);
  }

  async reset(): Promise<void> {
    await this.executor.stop();
    this.vmFaults.clear();
    this.store.clear();
    for (const vm of this.registry.vms) this.registry.wipe(vm.name);
  }

  private takeFault(vmName: string): RunFault | undefined {
    const list = this.vmFaults.get(vmName.toLowerCase());
    const next = list?.[0];
    if (!list || !next) return undefined;
    next.count -= 1;
    if (next.count <= 0) list.shift();
    return {
      kind: next.kind,
      ...(next.exitCode !== undefined ? { exitCode: next.exitCode } : {}),
      ...(next.message ? { message: next.message } : {}),
    };
  }

  private readVmFile(vmName: string, path: string): string | null {
    const root = this.registry.rootOf(vmName);
    const full = normalize(join(root, path));
    if (!full.startsWith(root)) throw new ArmError(400, "InvalidRequestContent", "path escapes the VM root.");
    return existsSync(full) ? readFileSync(full, "utf8") : null;
  }
}
