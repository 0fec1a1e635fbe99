// Microsoft.Compute over ARM: the request router — GET virtualMachine, v1 POST …/runCommand (RunShellScript),
// managed v2 …/runCommands/{name} (GET and list here; PUT/PATCH/DELETE in managedRunCommands.ts) — and the
// locations/{loc}/operations/{id} polling URLs. runAsPassword and protectedParameters (secret in the spec) are
// never stored or returned.
import type { ArmReply, ArmRequest } from "../armTypes";
import { ArmError } from "../http";
import { isObject } from "../hdinsight/validate";
import { ComputeService } from "./computeService";
import { deleteManaged, parameters, patchManaged, putManaged, runCommandBody } from "./managedRunCommands";
import { runCommandKey } from "./runCommandStore";
import type { VmConfig } from "./vms";
const VM_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)(?:\/(runCommand|runCommands)(?:\/([^/]+))?)?$/i;

const OPERATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/operations\/([^/]+)$/i;

/** The VM whose "Update VM" budget a request spends: v1 runCommand and v2 writes. */
export function updateVmTarget(req: ArmRequest): string | undefined {
  const m = VM_PATH.exec(req.path);
  if (!m || !m[4] || req.method === "GET") return undefined;
  if (m[4].toLowerCase() === "runcommands" && !m[5]) return undefined;
  return `/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.Compute/virtualMachines/${m[3]}`;
}

export function handleCompute(svc: ComputeService, req: ArmRequest): ArmReply | undefined {
  const op = OPERATION_PATH.exec(req.path);
  if (op) return operation(svc, req, op[3]);
  const m = VM_PATH.exec(req.path);
  if (!m) return undefined;
  const [, sub, rg, vmName, child, runName] = m;
  const vm = svc.requireVm(rg, vmName);
  if (!child) {
    if (req.method !== "GET") throw new ArmError(405, "MethodNotAllowed", `The sandbox does not modify VMs (${req.method}).`);
    return { status: 200, body: vmBody(svc, sub, rg, vm, req.query.get("$expand") === "instanceView") };
  }
  if (child.toLowerCase() === "runcommand") {
    if (req.method !== "POST") throw new ArmError(405, "MethodNotAllowed", "Use POST for runCommand.");
    return runCommandV1(svc, req, sub, vm);
  }
  if (!runName) {
    if (req.method !== "GET") throw new ArmError(405, "MethodNotAllowed", "Use GET to list run commands.");
    const expand = req.query.get("$expand") === "instanceView";
    const value = [...svc.store.runCommands.values()].filter(
      (r) => r.vmName.toLowerCase() === vm.name.toLowerCase() && r.resourceGroup.toLowerCase() === rg.toLowerCase(),
    );
    return { status: 200, body: { value: value.map((r) => runCommandBody(r, expand)) } };
  }
  const key = runCommandKey(sub, rg, vm.name, runName);
  const existing = svc.store.runCommands.get(key);
  switch (req.method) {
    case "GET":
      if (!existing)
        throw new ArmError(
          404,
          "ResourceNotFound",
          `The Resource 'Microsoft.Compute/virtualMachines/${vm.name}/runCommands/${runName}' under resource group '${rg}' was not found.`,
        );
      return { status: 200, body: runCommandBody(existing, req.query.get("$expand") === "instanceView") };
    case "PUT":
      return putManaged(svc, req, req.body, sub, rg, vm, runName, existing);
    case "PATCH":
      return patchManaged(svc, req, sub, rg, vm, runName, existing);
    case "DELETE":
      return deleteManaged(svc, req, sub, vm, key, existing);
    default:
      throw new ArmError(405, "MethodNotAllowed", `Method ${req.method} is not supported on run commands by the sandbox.`);
  }
}

function runCommandV1(svc: ComputeService, req: ArmRequest, sub: string, vm: VmConfig): ArmReply {
  const body = isObject(req.body) ? req.body : {};
  if (body.commandId !== "RunShellScript")
    throw new ArmError(
      400,
      "InvalidParameter",
      `commandId '${String(body.commandId)}' is not supported for a Linux VM; use RunShellScript.`,
      [{ code: "InvalidParameter", message: "commandId", target: "commandId" }],
    );
  if (!Array.isArray(body.script) || !body.script.every((l) => typeof l === "string"))
    throw new ArmError(400, "InvalidParameter", "script must be an array of lines.");
  if (svc.executor.busy(vm.name))
    throw new ArmError(
      409,
      "Conflict",
      "Run command extension execution is in progress. Please wait for completion before invoking a run command.",
    );
  const { env, args } = parameters(body.parameters, []);
  const op = svc.newOperation("runCommand");
  svc.execute({
    vm,
    script: (body.script as string[]).join("\n"),
    env,
    args,
    timeoutSeconds: ComputeService.defaultTimeout(undefined),
    onStart: () => undefined,
    onOutput: () => undefined,
    onEnd: (r) => {
      const ok = r.state === "Succeeded";
      const verb = ok
        ? "Enable succeeded: "
        : `Enable failed: failed to execute command: ${r.state === "TimedOut" ? "command timed out" : `command terminated with exit status=${r.exitCode}`}`;
      const message = `${verb}\n[stdout]\n${r.stdout}\n[stderr]\n${r.stderr}\n`;
      const status = {
        code: `ProvisioningState/${ok ? "succeeded" : "failed"}`,
        level: ok ? "Info" : "Error",
        displayStatus: ok ? "Provisioning succeeded" : "Provisioning failed",
        message,
        time: new Date(r.endMs).toISOString(),
      };
      svc.endOperation(op, "Succeeded", { result: { value: [status] } });
    },
  });
  svc.store.save();
  return { status: 202, headers: svc.asyncHeaders(req.baseUrl, sub, svc.registry.location(vm), op, req.apiVersion) };
}

function operation(svc: ComputeService, req: ArmRequest, id: string): ArmReply {
  const op = svc.store.operations.get(id);
  if (!op) throw new ArmError(404, "NotFound", `Operation '${id}' was not found.`);
  const retry = op.status === "InProgress" ? { "retry-after": svc.settings.lroRetryAfterSeconds } : undefined;
  if (req.query.get("monitor") === "true") {
    // Location URL: 202 while running, then the operation's result (v1's RunCommandResult).
    if (op.status === "InProgress") return { status: 202, headers: retry };
    if (op.status === "Failed") throw new ArmError(400, op.error?.code ?? "Failed", op.error?.message ?? "The operation failed.");
    return op.result !== undefined ? { status: 200, body: op.result } : { status: 204 };
  }
  const body = {
    name: op.id,
    status: op.status,
    startTime: new Date(op.startedAtMs).toISOString(),
    ...(op.endedAtMs !== undefined ? { endTime: new Date(op.endedAtMs).toISOString() } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
  return { status: 200, body, ...(retry ? { headers: retry } : {}) };
}

function vmBody(svc: ComputeService, sub: string, rg: string, vm: VmConfig, expand: boolean): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
    name: vm.name,
    type: "Microsoft.Compute/virtualMachines",
    location: svc.registry.location(vm),
    properties: {
      vmId: ComputeService.hashBody(vm.name)
        .slice(0, 32)
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
      hardwareProfile: { vmSize: vm.vmSize ?? "Standard_D4s_v5" },
      storageProfile: { osDisk: { osType: "Linux", name: `${vm.name}_OsDisk`, createOption: "FromImage" } },
      osProfile: { computerName: vm.name, adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true } },
      provisioningState: "Succeeded",
      ...(expand
        ? {
            instanceView: {
              computerName: vm.name,
              osName: "ubuntu",
              statuses: [
                { code: "ProvisioningState/succeeded", level: "Info" },
                { code: "PowerState/running", level: "Info", displayStatus: "VM running" },
              ],
            },
          }
        : {}),
    },
  };
}
