// In-memory EdgeRunCommands. VMs exist only when added (constructor or addVm): a run on an unknown VM is a
// NotFoundError, as ARM answers. beginRun stores the request (`requestOf`) in state Running; tests end it with
// finish(). Repeating a PUT of the same name keeps the execution; deleting a missing run command succeeds.
import { JobflowError } from "../../errors";
import type { EdgeRunCommands, RunCommandRequest, RunCommandStatus, VmInfo } from "../runCommands";
import { CallRecorder } from "./recorder";

type Method = "beginRun" | "get" | "beginDelete" | "getVm";

export class FakeEdgeRunCommands extends CallRecorder<Method> implements EdgeRunCommands {
  private readonly vms = new Set<string>();
  private readonly runs = new Map<string, { request: RunCommandRequest; status: RunCommandStatus }>();

  constructor(vms: string[] = []) {
    super();
    for (const vm of vms) this.vms.add(vm);
  }

  addVm(name: string): void {
    this.vms.add(name);
  }

  async beginRun(vmName: string, runCommandName: string, request: RunCommandRequest): Promise<void> {
    this.enter("beginRun", vmName, runCommandName, request);
    if (!this.vms.has(vmName)) throw new JobflowError("NotFoundError", `virtual machine ${vmName} not found`, { statusCode: 404 });
    const key = `${vmName}/${runCommandName}`;
    if (this.runs.has(key)) return;
    this.runs.set(key, {
      request: structuredClone(request),
      status: { name: runCommandName, provisioningState: "Succeeded", executionState: "Running" },
    });
  }

  async get(vmName: string, runCommandName: string): Promise<RunCommandStatus | undefined> {
    this.enter("get", vmName, runCommandName);
    const run = this.runs.get(`${vmName}/${runCommandName}`);
    return run ? { ...run.status } : undefined;
  }

  async beginDelete(vmName: string, runCommandName: string): Promise<void> {
    this.enter("beginDelete", vmName, runCommandName);
    this.runs.delete(`${vmName}/${runCommandName}`);
  }

  async getVm(vmName: string): Promise<VmInfo | undefined> {
    this.enter("getVm", vmName);
    if (!this.vms.has(vmName)) return undefined;
    return {
      name: vmName,
      id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/jobflow-test/providers/Microsoft.Compute/virtualMachines/${vmName}`,
      location: "westeurope",
      tags: {},
      provisioningState: "Succeeded",
    };
  }

  /** The request of a run command (script, parameters, protected parameters) as ARM received it. */
  requestOf(vmName: string, runCommandName: string): RunCommandRequest | undefined {
    return this.runs.get(`${vmName}/${runCommandName}`)?.request;
  }

  /** Names of the run commands that exist on a VM. */
  runNames(vmName: string): string[] {
    return [...this.runs.keys()].filter((k) => k.startsWith(`${vmName}/`)).map((k) => k.slice(vmName.length + 1));
  }

  /** Moves a run command on, e.g. `{ executionState: "Succeeded", exitCode: 0, output: "…" }`. */
  finish(vmName: string, runCommandName: string, status: Partial<Omit<RunCommandStatus, "name">>): void {
    const run = this.runs.get(`${vmName}/${runCommandName}`);
    if (!run) throw new Error(`FakeEdgeRunCommands: no run command ${runCommandName} on ${vmName}`);
    Object.assign(run.status, status);
  }

  reset(): void {
    this.resetCalls();
    this.runs.clear();
  }
}
