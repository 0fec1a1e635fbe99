// Managed run commands (v2) of the sandbox's Microsoft.Compute: PUT/PATCH/DELETE …/runCommands/{name} (source.script
// or source.scriptUri; output/error append blobs; the same definition again does not re-run), the resource body
// with its instanceView, and the parameter lists both API versions share. computeRoutes.ts routes requests here.
// runAsPassword and protectedParameters (secret in the spec) are never stored or returned.
import type { ArmReply, ArmRequest } from "../armTypes";
import { ArmError } from "../http";
import { isObject } from "../hdinsight/validate";
import { ComputeService } from "./computeService";
import { downloadScript } from "./blobSink";
import { runCommandKey, type RunCommandRecord } from "./runCommandStore";
import type { VmConfig } from "./vms";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PATCH: the stored definition with the sent properties over it, then as a PUT (re-runs when it changed). */
export function patchManaged(
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

export function putManaged(
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

export function deleteManaged(
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

/** Named and protected parameters → environment; unnamed → positional args. */
export function parameters(named: unknown, protectedParams: unknown): { env: Record<string, string>; args: string[] } {
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

export function runCommandBody(r: RunCommandRecord, expand: boolean): Record<string, unknown> {
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
