// Operations on an existing cluster: resize and autoscale of a role, script actions (execute, history, persisted,
// promote, delete — HDInsight's bootstrap actions), gateway settings (get, update = password rotation) and the
// cluster configurations (list, get). Long-running ones answer 202 with Azure-AsyncOperation + Location and end
// after a short virtual time; their effect is visible in GET at once. Script actions are recorded, not run (there
// are no cluster nodes here): each execution succeeds on every node of the roles it names.
import { randomUUID } from "node:crypto";
import { ArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import { clusterKey, type ClusterRecord, type ScriptExecution } from "./clusterStore";
import type { HdInsightDeps } from "./clusterRoutes";
import { gatewayPasswordProblem } from "./validate";
import { autoscaleProblems, isObject } from "./validateRoles";
import { clusterResourceId } from "./clusterView";

/** Virtual time an update operation takes before its async operation reports Succeeded. */
const OPERATION_MS = { resize: 10 * 60_000, autoscale: 60_000, scripts: 5 * 60_000, gateway: 2 * 60_000 } as const;

type Role = { name: string; targetInstanceCount?: number; autoscale?: unknown };

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

function requireMethod(req: ArmRequest, method: string): void {
  if (req.method !== method)
    throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed for '${req.path}'.`);
}

function roles(c: ClusterRecord): Role[] {
  return (c.properties.computeProfile as { roles?: Role[] } | undefined)?.roles ?? [];
}

function requireRunning(deps: HdInsightDeps, c: ClusterRecord): void {
  const s = deps.store.statusOf(c);
  if (s.provisioningState !== "Succeeded")
    throw new ArmError(
      409,
      "Conflict",
      `The cluster '${c.name}' is not in a state that allows this operation (provisioningState ${s.provisioningState}, clusterState ${s.clusterState}).`,
    );
}

/** Starts an update operation and answers 202 with the cluster's async URLs. */
function accepted(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, durationMs: number): ArmReply {
  const now = deps.clock.nowMs();
  const id = randomUUID();
  deps.store.addOperation({
    id,
    kind: "update",
    clusterKey: clusterKey(c.subscriptionId, c.resourceGroup, c.name),
    startedAtMs: now,
    doneAtMs: now + durationMs,
  });
  c.etag = randomUUID();
  deps.store.changed(c);
  const base = `${req.baseUrl}${clusterResourceId(c)}`;
  const v = encodeURIComponent(req.apiVersion);
  return {
    status: 202,
    headers: {
      "azure-asyncoperation": `${base}/azureasyncoperations/${id}?api-version=${v}`,
      location: `${base}/operationresults/${id}?api-version=${v}`,
      "retry-after": deps.settings.lroRetryAfterSeconds,
    },
  };
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

function executeScripts(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord): ArmReply {
  requireMethod(req, "POST");
  requireRunning(deps, c);
  const body = isObject(req.body) ? req.body : {};
  if (typeof body.persistOnSuccess !== "boolean")
    throw new ArmError(400, "InvalidRequestContent", "persistOnSuccess (boolean) is required.");
  const actions = Array.isArray(body.scriptActions) ? body.scriptActions : [];
  if (actions.length === 0) throw new ArmError(400, "InvalidRequestContent", "scriptActions must list at least one script action.");
  const clusterRoles = new Map(roles(c).map((r) => [r.name.toLowerCase(), r.targetInstanceCount ?? 0]));
  const now = new Date(deps.clock.nowMs()).toISOString();
  const executions: ScriptExecution[] = actions.map((a, i) => {
    if (
      !isObject(a) ||
      typeof a.name !== "string" ||
      !a.name ||
      typeof a.uri !== "string" ||
      !/^https?:\/\//i.test(a.uri) ||
      !Array.isArray(a.roles) ||
      a.roles.length === 0
    )
      throw new ArmError(400, "InvalidRequestContent", `scriptActions[${i}] needs a name, an http(s) uri and at least one role.`);
    const unknown = a.roles.filter((r) => !clusterRoles.has(String(r).toLowerCase()));
    if (unknown.length)
      throw new ArmError(400, "InvalidRequestContent", `scriptActions[${i}] names roles the cluster does not have: ${unknown.join(", ")}.`);
    const instances = a.roles.reduce((n: number, r) => n + (clusterRoles.get(String(r).toLowerCase()) ?? 0), 0);
    return {
      // Unique per cluster even for several calls in one virtual millisecond (a manual clock).
      scriptExecutionId: deps.clock.nowMs() * 1000 + (c.scriptExecutions?.length ?? 0) + i,
      name: a.name,
      uri: a.uri,
      roles: a.roles.map(String),
      ...(typeof a.parameters === "string" ? { parameters: a.parameters } : {}),
      startTime: now,
      endTime: now,
      status: "Succeeded",
      operation: "PostClusterCreateScriptActionRequest",
      executionSummary: [{ status: "COMPLETED", instanceCount: instances }],
    };
  });
  c.scriptExecutions = [...executions.slice().reverse(), ...(c.scriptExecutions ?? [])];
  if (body.persistOnSuccess) {
    const names = new Set(executions.map((e) => e.name));
    c.persistedScripts = [...(c.persistedScripts ?? []).filter((n) => !names.has(n)), ...executions.map((e) => e.name)];
  }
  return accepted(deps, req, c, OPERATION_MS.scripts);
}

/**
 * Script actions given on the roles at create (HDInsight's bootstrap actions): one execution per script name over
 * every role naming it, recorded as run when provisioning ran them, and persisted (as Azure persists create-time
 * script actions, so nodes added by a resize run them too).
 */
export function createTimeScripts(
  properties: Record<string, unknown>,
  nowMs: number,
  nowIso: string,
): { executions: ScriptExecution[]; persisted: string[] } {
  const byName = new Map<string, ScriptExecution>();
  const roleList = (properties.computeProfile as { roles?: Array<Record<string, unknown>> } | undefined)?.roles ?? [];
  for (const role of roleList) {
    const scripts = Array.isArray(role.scriptActions) ? role.scriptActions : [];
    for (const s of scripts) {
      if (!isObject(s) || typeof s.name !== "string" || typeof s.uri !== "string") continue;
      const count = typeof role.targetInstanceCount === "number" ? role.targetInstanceCount : 0;
      const e = byName.get(s.name) ?? {
        scriptExecutionId: nowMs * 1000 + byName.size,
        name: s.name,
        uri: s.uri,
        roles: [],
        ...(typeof s.parameters === "string" ? { parameters: s.parameters } : {}),
        startTime: nowIso,
        endTime: nowIso,
        status: "Succeeded",
        operation: "ClusterCreate",
        executionSummary: [{ status: "COMPLETED", instanceCount: 0 }],
      };
      e.roles.push(String(role.name));
      e.executionSummary[0].instanceCount += count;
      byName.set(s.name, e);
    }
  }
  return { executions: [...byName.values()], persisted: [...byName.keys()] };
}

/** The script action of a persisted name: its latest execution. `parameters` is create/update-only in the spec
 * (x-ms-mutability without read): never returned, since scripts' parameters often carry credentials. */
function persistedView(c: ClusterRecord, name: string): Record<string, unknown> | undefined {
  const e = (c.scriptExecutions ?? []).find((x) => x.name === name);
  return e && { name: e.name, uri: e.uri, roles: e.roles };
}

function persistedScripts(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, name?: string): ArmReply {
  if (!name) {
    requireMethod(req, "GET");
    return { status: 200, body: { value: (c.persistedScripts ?? []).map((n) => persistedView(c, n)).filter(Boolean) } };
  }
  requireMethod(req, "DELETE");
  const had = (c.persistedScripts ?? []).includes(name);
  c.persistedScripts = (c.persistedScripts ?? []).filter((n) => n !== name);
  if (had) deps.store.changed(c);
  return { status: had ? 200 : 204 };
}

function history(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, id?: string, action?: string): ArmReply {
  const all = c.scriptExecutions ?? [];
  if (!id) {
    requireMethod(req, "GET");
    return { status: 200, body: { value: all.map(({ parameters: _p, ...e }) => e) } };
  }
  const e = all.find((x) => String(x.scriptExecutionId) === id);
  if (!e) throw new ArmError(404, "NotFound", `Script execution '${id}' was not found on cluster '${c.name}'.`);
  if (action?.toLowerCase() === "promote") {
    requireMethod(req, "POST");
    c.persistedScripts = [...(c.persistedScripts ?? []).filter((n) => n !== e.name), e.name];
    deps.store.changed(c);
    return { status: 200 };
  }
  requireMethod(req, "GET");
  const { parameters: _parameters, ...visible } = e;
  return { status: 200, body: { ...visible, debugInformation: "" } };
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
