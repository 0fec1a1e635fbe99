// Script actions on an existing cluster (HDInsight's bootstrap actions): execute, the execution history, promote,
// the persisted list and delete, and the create-time ones recorded at provisioning. Recorded, not run (there are
// no cluster nodes here): each execution succeeds on every node of the roles it names. `parameters` is never
// returned (scripts' parameters often carry credentials). clusterOps.ts routes requests here.
import { ArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import type { ClusterRecord, ScriptExecution } from "./clusterStore";
import type { HdInsightDeps } from "./clusterRoutes";
import { isObject } from "./validateRoles";
import { OPERATION_MS, accepted, requireMethod, requireRunning, roles } from "./updateOperation";

export function executeScripts(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord): ArmReply {
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

export function persistedScripts(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, name?: string): ArmReply {
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

export function history(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, id?: string, action?: string): ArmReply {
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
