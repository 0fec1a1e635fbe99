// Microsoft.Compute over ARM: GET virtualMachine, v1 POST …/runCommand (RunShellScript), managed v2
// …/runCommands/{name} (PUT/PATCH/GET/DELETE, list; source.script or source.scriptUri; output/error append blobs)
// and the locations/{loc}/operations/{id} polling URLs. runAsPassword and protectedParameters (secret in the
// spec) are never stored or returned.
import type { ArmReply, ArmRequest } from "../armTypes";
import { ArmError } from "../http";
import { isObject } from "../hdinsight/validate";
import { ComputeService } from "./computeService";
import { downloadScript } from "./blobSink";
import { runCommandKey, type RunCommandRecord } from "./runCommandStore";
import type { VmConfig } from "./vms";

const VM_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)(?:\/(runCommand|runCommands)(?:\/([^/]+))?)?$/i;
const OPERATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/operations\/([^/]+)$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

/** PATCH: the stored definition with the sent properties over it, then as a PUT (re-runs when it changed). */
function patchManaged(
  svc: ComputeService,
  req: ArmRequest,
  sub: string,
  rg: string,
  vm: VmConfig,
  name: string,
  existing?: RunCommandRecord,
): ArmReply {
  if (!existing)
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.Compute/virtualMachines/${vm.name}/runCommands/${name}' under resource group '${rg}' was not found.`,
    );
  const patch = isObject(req.body) ? req.body : {};
  // Protected values are never stored: a PATCH that should keep them must send them again.
  const merged = {
    location: existing.location,
    ...(existing.tags ? { tags: existing.tags } : {}),
    ...(isObject(patch.tags) ? { tags: patch.tags } : {}),
    properties: { ...existing.properties, ...(isObject(patch.properties) ? patch.properties : {}) },
  };
  return putManaged(svc, req, merged, sub, rg, vm, name, existing);
}

const BLOB_URI = /^https?:\/\/[^\s]+$/i;

function putManaged(
  svc: ComputeService,
  req: ArmRequest,
  body: unknown,
  sub: string,
  rg: string,
  vm: VmConfig,
  name: string,
  existing?: RunCommandRecord,
): ArmReply {
  if (!isObject(body) || !isObject(body.properties))
    throw new ArmError(400, "InvalidRequestContent", "A run command body with 'properties' is required.");
  const p = body.properties;
  const source = isObject(p.source) ? p.source : undefined;
  const sources = source ? ["script", "scriptUri", "commandId"].filter((k) => source[k] !== undefined) : [];
  if (sources.length !== 1)
    throw new ArmError(400, "InvalidParameter", "Exactly one of source.script, source.scriptUri or source.commandId is required.", [
      { code: "InvalidParameter", message: "source", target: "properties.source" },
    ]);
  if (source?.commandId !== undefined)
    throw new ArmError(
      400,
      "InvalidParameter",
      "The sandbox runs source.script or source.scriptUri; built-in commands (source.commandId) are not emulated.",
    );
  if (source?.scriptUri !== undefined && (typeof source.scriptUri !== "string" || !BLOB_URI.test(source.scriptUri)))
    throw new ArmError(400, "InvalidParameter", "source.scriptUri must be an http(s) URI.", [
      { code: "InvalidParameter", message: "scriptUri", target: "properties.source.scriptUri" },
    ]);
  for (const k of ["outputBlobUri", "errorBlobUri"])
    if (p[k] !== undefined && (typeof p[k] !== "string" || !BLOB_URI.test(p[k] as string)))
      throw new ArmError(400, "InvalidParameter", `${k} must be an http(s) blob URI.`, [
        { code: "InvalidParameter", message: k, target: `properties.${k}` },
      ]);
  const { env, args } = parameters(p.parameters, p.protectedParameters);
  const hash = ComputeService.hashBody(body);
  if (existing) {
    const state = existing.instanceView.executionState;
    if (state === "Pending" || state === "Running")
      throw new ArmError(409, "Conflict", `Run command '${name}' is still executing; wait for it to finish or delete it.`);
    // Same definition again: Azure does not re-run it (no new extension sequence number).
    if (existing.bodyHash === hash) return { status: 200, body: runCommandBody(existing, false) };
  }
  const op = svc.newOperation("managedRunCommand");
  const { protectedParameters: _protected, runAsPassword: _password, ...visible } = p;
  const record: RunCommandRecord = {
    subscriptionId: sub,
    resourceGroup: rg,
    vmName: vm.name,
    name,
    location: typeof body.location === "string" ? body.location : svc.registry.location(vm),
    ...(isObject(body.tags) ? { tags: body.tags as Record<string, string> } : {}),
    properties: visible,
    bodyHash: hash,
    provisioningState: existing ? "Updating" : "Creating",
    instanceView: { executionState: "Pending", executionMessage: "", output: "", error: "" },
    jobId: "",
    operationId: op.id,
  };
  svc.store.runCommands.set(runCommandKey(sub, rg, vm.name, name), record);
  const blobs = {
    ...(typeof p.outputBlobUri === "string" ? { output: p.outputBlobUri } : {}),
    ...(typeof p.errorBlobUri === "string" ? { error: p.errorBlobUri } : {}),
  };
  const tracked = svc.trackManaged(record, op, p.asyncExecution === true, p.treatFailureAsDeploymentFailure === true, blobs);
  const scriptUri = typeof source?.scriptUri === "string" ? source.scriptUri : undefined;
  record.jobId = svc.execute({
    vm,
    script: String(source?.script ?? ""),
    ...(scriptUri ? { loadScript: () => downloadScript(scriptUri) } : {}),
    env,
    args,
    timeoutSeconds: ComputeService.defaultTimeout(p.timeoutInSeconds),
    ...tracked,
  });
  svc.store.save();
  return {
    status: existing ? 200 : 201,
    body: runCommandBody(record, false),
    headers: svc.asyncHeaders(req.baseUrl, sub, record.location, op, req.apiVersion),
  };
}

function deleteManaged(
  svc: ComputeService,
  req: ArmRequest,
  sub: string,
  vm: VmConfig,
  key: string,
  existing?: RunCommandRecord,
): ArmReply {
  if (!existing) return { status: 204 };
  const op = svc.newOperation("deleteManagedRunCommand");
  existing.provisioningState = "Deleting";
  // Deleting a running command terminates its script; the resource goes once the process is gone.
  void svc.executor.cancel(existing.jobId).then(() => {
    svc.store.runCommands.delete(key);
    svc.endOperation(op, "Succeeded");
  });
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

/** Named and protected parameters → environment; unnamed → positional args. */
function parameters(named: unknown, protectedParams: unknown): { env: Record<string, string>; args: string[] } {
  const env: Record<string, string> = {};
  const args: string[] = [];
  for (const list of [named, protectedParams]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ArmError(400, "InvalidParameter", "parameters must be an array of { name, value }.");
    for (const p of list) {
      if (!isObject(p) || typeof p.value !== "string")
        throw new ArmError(400, "InvalidParameter", "Each parameter needs a string 'value'.");
      if (p.name === undefined || p.name === "") args.push(p.value);
      else if (typeof p.name !== "string" || !ENV_NAME.test(p.name))
        throw new ArmError(400, "InvalidParameter", `Parameter name '${String(p.name)}' is not a valid environment variable name.`);
      else env[p.name] = p.value;
    }
  }
  return { env, args };
}

function runCommandBody(r: RunCommandRecord, expand: boolean): Record<string, unknown> {
  return {
    id: `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${r.vmName}/runCommands/${r.name}`,
    name: r.name,
    type: "Microsoft.Compute/virtualMachines/runCommands",
    location: r.location,
    ...(r.tags ? { tags: r.tags } : {}),
    properties: {
      ...r.properties,
      provisioningState: r.provisioningState,
      ...(expand ? { instanceView: { ...r.instanceView, statuses: statusesOf(r) } } : {}),
    },
  };
}

/** instanceView.statuses as the handler reports them: the provisioning state, then StdOut and StdErr. */
function statusesOf(r: RunCommandRecord): Array<Record<string, string>> {
  const v = r.instanceView;
  if (v.executionState === "Pending" || v.executionState === "Running")
    return [{ code: "ProvisioningState/transitioning", level: "Info", displayStatus: "Transitioning" }];
  const ok = v.executionState === "Succeeded";
  const state = ok ? "succeeded" : "failed";
  const level = ok ? "Info" : "Error";
  const displayStatus = ok ? "Provisioning succeeded" : "Provisioning failed";
  const time = v.endTime ?? new Date(0).toISOString();
  return [
    { code: `ProvisioningState/${state}`, level, displayStatus, message: v.executionMessage, time },
    { code: `ComponentStatus/StdOut/${state}`, level, displayStatus, message: v.output, time },
    { code: `ComponentStatus/StdErr/${state}`, level, displayStatus, message: v.error, time },
  ];
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
