// Operations on an existing cluster: the router of …/clusters/{name}/<operation>, resize and autoscale of a role,
// gateway settings (update = password rotation) and the cluster configurations (list, get); script actions
// (execute, history, persisted, promote, delete) live in scriptActions.ts. Long-running ones answer 202 with
// Azure-AsyncOperation + Location and end after a short virtual time (updateOperation.ts); their effect is visible
// in GET at once.
import { ArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import type { ClusterRecord } from "./clusterStore";
import type { HdInsightDeps } from "./clusterRoutes";
import { executeScripts, history, persistedScripts } from "./scriptActions";
import { OPERATION_MS, accepted, requireMethod, requireRunning, roles } from "./updateOperation";
import { gatewayPasswordProblem } from "./validate";
import { autoscaleProblems, isObject } from "./validateRoles";
/** Handles `rest` (the path below …/clusters/{name}/); undefined when it is not one of these operations. */
export function handleClusterOperation(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, rest: string): ArmReply | undefined {
  const parts = rest.split("/");
  const head = parts[0].toLowerCase();
  if (head === "roles" && parts.length === 3) return roleOperation(deps, req, c, parts[1].toLowerCase(), parts[2].toLowerCase());
  if (head === "executescriptactions" && parts.length === 1) return executeScripts(deps, req, c);
  if (head === "scriptactions") return persistedScripts(deps, req, c, parts[1]);
  if (head === "scriptexecutionhistory") return history(deps, req, c, parts[1], parts[2]);
  if (head === "updategatewaysettings" && parts.length === 1) {
    requireMethod(req, "POST");
    return updateGateway(deps, req, c);
  }
  if (head === "configurations") {
    // Configurations_Update (deprecated in favour of updateGatewaySettings) changes only the HTTP settings.
    if (req.method === "POST" && parts[1]) {
      if (parts[1].toLowerCase() !== "gateway")
        throw new ArmError(
          400,
          "InvalidRequestContent",
          `Only the 'gateway' configuration can be updated on a running cluster, not '${parts[1]}'.`,
        );
      return updateGateway(deps, req, c);
    }
    return configurations(req, c, parts[1]);
  }
  return undefined;
}

function roleOperation(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, roleName: string, action: string): ArmReply {
  requireMethod(req, "POST");
  if (action !== "resize" && action !== "autoscale") throw new ArmError(404, "NotFound", `Unknown role operation '${action}'.`);
  // Only the worker role can be resized or autoscaled (the spec's roleName enum is just "workernode").
  if (roleName !== "workernode")
    throw new ArmError(
      400,
      "InvalidRequestContent",
      `The role '${roleName}' cannot be ${action === "resize" ? "resized" : "autoscaled"}; only 'workernode' can.`,
    );
  requireRunning(deps, c);
  const role = roles(c).find((r) => r.name.toLowerCase() === "workernode");
  if (!role) throw new ArmError(404, "NotFound", `Role 'workernode' was not found on cluster '${c.name}'.`);
  const body = isObject(req.body) ? req.body : {};
  if (action === "resize") {
    const target = body.targetInstanceCount;
    if (typeof target !== "number" || !Number.isInteger(target) || target < 1 || target > 500)
      throw new ArmError(400, "InvalidRequestContent", `targetInstanceCount must be an integer between 1 and 500 (got ${String(target)}).`);
    c.nodeCount += target - (role.targetInstanceCount ?? 0);
    role.targetInstanceCount = target;
    return accepted(deps, req, c, OPERATION_MS.resize);
  }
  // autoscale: { autoscale: null } (or {}) turns it off, as DisableClusterAutoScale.json does.
  if (body.autoscale === null || body.autoscale === undefined) delete role.autoscale;
  else {
    const problems = autoscaleProblems(body.autoscale);
    if (problems.length)
      throw new ArmError(
        400,
        "InvalidRequestContent",
        problems[0],
        problems.map((message) => ({ code: "InvalidRequestContent", message, target: "autoscale" })),
      );
    role.autoscale = body.autoscale;
  }
  return accepted(deps, req, c, OPERATION_MS.autoscale);
}

function updateGateway(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord): ArmReply {
  requireRunning(deps, c);
  const body = isObject(req.body) ? req.body : {};
  const enabled = body["restAuthCredential.isEnabled"];
  const username = body["restAuthCredential.username"];
  const password = body["restAuthCredential.password"];
  if (enabled === false || String(enabled).toLowerCase() === "false")
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "HTTP gateway credentials cannot be disabled on HDInsight 5.1 (the cluster login protects Ambari, Livy and YARN).",
    );
  if (typeof username !== "string" || !username || typeof password !== "string")
    throw new ArmError(400, "InvalidRequestContent", "restAuthCredential.username and restAuthCredential.password are required.");
  const why = gatewayPasswordProblem(password);
  if (why) throw new ArmError(400, "InvalidRequestContent", `The cluster login password ${why}`);
  c.gatewayUsername = username;
  c.gatewayPassword = password;
  c.configurations = {
    ...(c.configurations ?? {}),
    gateway: { "restAuthCredential.isEnabled": "true", "restAuthCredential.username": username },
  };
  // The emulated gateway checks basic auth against the record, so the new login applies at once.
  return accepted(deps, req, c, OPERATION_MS.gateway);
}

/** core-site as the RP derives it from the default storage account, merged with the create's own core-site. */
function configurationsOf(c: ClusterRecord): Record<string, Record<string, unknown>> {
  const accounts = (c.properties.storageProfile as { storageaccounts?: Array<Record<string, unknown>> } | undefined)?.storageaccounts ?? [];
  const def = accounts.find((a) => a.isDefault === true);
  const host = def
    ? String(def.name).includes(".")
      ? String(def.name)
      : `${String(def.name)}.${def.fileSystem ? "dfs" : "blob"}.core.windows.net`
    : "";
  const defaultFs = def ? (def.fileSystem ? `abfs://${String(def.fileSystem)}@${host}` : `wasb://${String(def.container)}@${host}`) : "";
  const saved = c.configurations ?? {};
  return {
    ...saved,
    gateway: { "restAuthCredential.isEnabled": "true", "restAuthCredential.username": c.gatewayUsername },
    "core-site": { "fs.defaultFS": defaultFs, ...(saved["core-site"] ?? {}) },
  };
}

function configurations(req: ArmRequest, c: ClusterRecord, name?: string): ArmReply {
  const all = configurationsOf(c);
  if (!name) {
    requireMethod(req, "POST"); // Configurations_List is a POST in the spec
    return { status: 200, body: { configurations: all } };
  }
  requireMethod(req, "GET");
  const found = Object.keys(all).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!found) throw new ArmError(404, "NotFound", `Configuration '${name}' was not found on cluster '${c.name}'.`);
  return { status: 200, body: all[found] };
}
