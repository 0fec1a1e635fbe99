// Microsoft.HDInsight/clusters over ARM: PUT (async create), GET, PATCH tags, DELETE (async), list by resource
// group / subscription with nextLink paging, the azureasyncoperations / operationresults polling URLs, and the
// operations on a cluster (clusterOps.ts). Location-level APIs are in locationRoutes.ts.
import { createHash, randomUUID } from "node:crypto";
import { ArmError } from "../http";
import type { ArmContext, ArmReply, ArmRequest } from "../armTypes";
import { clusterKey, type AsyncOperation, type ClusterRecord, type ClusterStore } from "./clusterStore";
import { clusterBody, clusterResourceId } from "./clusterView";
import { storedConfigurations, storedProperties } from "./clusterShape";
import { handleClusterOperation } from "./clusterOps";
import { createTimeScripts } from "./scriptActions";
import { handleLocation } from "./locationRoutes";
import { isObject, validateClusterName, validateCreateBody } from "./validate";

const CLUSTER_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.HDInsight\/clusters\/([^/]+)(?:\/(.+))?$/i;
const LIST_PATH = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.HDInsight\/clusters$/i;
const LOCATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.HDInsight\/locations\/([^/]+)\/(.+)$/i;

/** The stable version the SDK uses plus the previews (they add fields the sandbox passes through). */
const API_VERSIONS = [
  "2015-03-01-preview",
  "2018-06-01-preview",
  "2021-06-01",
  "2023-04-15-preview",
  "2023-08-15-preview",
  "2024-08-01-preview",
  "2025-01-15-preview",
];

export interface OperationStatus {
  status: "InProgress" | "Succeeded" | "Failed";
  error?: { code: string; message: string };
}

export interface HdInsightDeps extends ArmContext {
  store: ClusterStore;
  /** The port clients reach the sandbox on (the cluster's HTTPS endpoint). */
  port(): number;
}

/** Handles the request if it is for Microsoft.HDInsight; returns undefined when the path is not ours. */
export function handleHdInsight(deps: HdInsightDeps, req: ArmRequest): ArmReply | undefined {
  const list = LIST_PATH.exec(req.path);
  const m = CLUSTER_PATH.exec(req.path);
  const loc = LOCATION_PATH.exec(req.path);
  if (!list && !m && !loc) return undefined;
  if (!API_VERSIONS.includes(req.apiVersion))
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${req.apiVersion}' is invalid. The supported versions are '${API_VERSIONS.join(",")}'.`,
    );
  if (loc)
    return handleLocation(deps, req, loc[1], loc[2], loc[3], (id) => {
      const op = deps.store.operation(id);
      return op && op.clusterKey.startsWith(`${loc[1]}/`.toLowerCase()) ? operationStatus(deps, op) : undefined;
    });
  if (list) {
    if (req.method !== "GET") throw methodNotAllowed(req);
    return listClusters(deps, req, list[1], list[2]);
  }
  if (!m) return undefined;
  const [, sub, rg, name, rest] = m;
  if (rest) return handleChild(deps, req, sub, rg, name, rest);
  switch (req.method) {
    case "PUT":
      return createCluster(deps, req, sub, rg, name);
    case "GET":
      return { status: 200, body: clusterBody(deps.store, requireCluster(deps, sub, rg, name), deps.port()) };
    case "PATCH":
      return patchTags(deps, req, requireCluster(deps, sub, rg, name));
    case "DELETE":
      return deleteCluster(deps, req, sub, rg, name);
    default:
      throw methodNotAllowed(req);
  }
}

function createCluster(deps: HdInsightDeps, req: ArmRequest, sub: string, rg: string, name: string): ArmReply {
  validateClusterName(name);
  const hash = createHash("sha256")
    .update(JSON.stringify(req.body ?? null))
    .digest("hex");
  const existing = deps.store.get(sub, rg, name);
  if (existing) {
    if (deps.store.statusOf(existing).provisioningState === "Deleting")
      throw new ArmError(
        409,
        "Conflict",
        `Cluster '${name}' is being deleted; it cannot be created or updated until the delete completes.`,
      );
    // A cluster's definition is fixed at create (the spec marks its parts create-only): a PUT with another body is
    // refused rather than silently keeping the old one; change a running cluster with resize, autoscale,
    // updateGatewaySettings, executeScriptActions or PATCH (tags).
    if (existing.bodyHash !== undefined && existing.bodyHash !== hash)
      throw new ArmError(
        409,
        "Conflict",
        `Cluster '${name}' already exists with a different definition. A cluster's definition cannot be changed by PUT; use resize, autoscale, updateGatewaySettings, executeScriptActions or PATCH (tags), or delete and re-create it.`,
      );
    // Idempotent PUT: the same cluster, the same operation; nothing is provisioned twice.
    return {
      status: 200,
      body: clusterBody(deps.store, existing, deps.port()),
      headers: asyncHeaders(deps, req, existing, existing.createOperationId),
    };
  }
  const taken = deps.store.findByName(name);
  if (taken) throw new ArmError(409, "Conflict", `The cluster name '${name}' is not available: cluster names are global DNS names.`);
  const valid = validateCreateBody(req.body);
  const body = req.body as Record<string, unknown>;
  const now = deps.clock.nowMs();
  const pendingFailure = deps.store.pendingFailures[name.toLowerCase()];
  const properties = body.properties as Record<string, unknown>;
  const scripts = createTimeScripts(properties, now, new Date(now).toISOString());
  // Sandbox convention: a create-time script whose file name ends in -fails.sh exits 1, which fails the create
  // near its end (script actions run in the last configuration phase), as a failing script action does in Azure.
  const failing = pendingFailure ? undefined : scripts.executions.find((e) => /-fails\.sh(\?|$)/.test(e.uri));
  if (failing) {
    failing.status = "Failed";
    failing.executionSummary = [{ status: "FAILED", instanceCount: failing.executionSummary[0]?.instanceCount ?? 0 }];
  }
  const scriptFailure = failing && {
    code: "ScriptActionFailed",
    message: `Script action '${failing.name}' failed on role ${failing.roles[0] ?? "?"}: the script exited with code 1 (${failing.uri}).`,
  };
  const record: ClusterRecord = {
    subscriptionId: sub,
    resourceGroup: rg,
    name,
    location: typeof body.location === "string" && body.location ? body.location : deps.settings.defaultLocation,
    tags: isObject(body.tags)
      ? (Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)])) as Record<string, string>)
      : {},
    ...(body.identity !== undefined ? { identity: body.identity } : {}),
    ...(Array.isArray(body.zones) ? { zones: body.zones.map(String) } : {}),
    properties: storedProperties(properties, valid.kind.toLowerCase()),
    configurations: storedConfigurations(properties),
    bodyHash: hash,
    ...(scripts.executions.length ? { scriptExecutions: scripts.executions, persistedScripts: scripts.persisted } : {}),
    clusterVersion: valid.clusterVersion,
    kind: valid.kind,
    gatewayUsername: valid.gatewayUsername,
    gatewayPassword: valid.gatewayPassword,
    nodeCount: valid.nodeCount,
    etag: randomUUID(),
    clusterId: randomUUID().replace(/-/g, ""),
    createOperationId: randomUUID(),
    timeline: {
      createdAtMs: now,
      provisioningDurationMs: deps.settings.provisioningDurationMs,
      // An injected failure strikes in the middle of VM configuration, as real ones mostly do.
      ...(pendingFailure ? { failAtMs: now + Math.round(deps.settings.provisioningDurationMs * 0.4), failure: pendingFailure } : {}),
      ...(scriptFailure ? { failAtMs: now + Math.round(deps.settings.provisioningDurationMs * 0.95), failure: scriptFailure } : {}),
    },
  };
  if (pendingFailure) delete deps.store.pendingFailures[name.toLowerCase()];
  deps.store.add(record, { id: record.createOperationId, kind: "create", clusterKey: clusterKey(sub, rg, name), startedAtMs: now });
  // The spec lists 200 (not 201) for Clusters_Create; the body is the cluster as accepted.
  return {
    status: 200,
    body: clusterBody(deps.store, record, deps.port()),
    headers: asyncHeaders(deps, req, record, record.createOperationId),
  };
}

function deleteCluster(deps: HdInsightDeps, req: ArmRequest, sub: string, rg: string, name: string): ArmReply {
  const c = deps.store.get(sub, rg, name);
  if (!c) return { status: 204 }; // deleting what is not there succeeds, as in ARM
  if (!c.deleteOperationId) {
    c.deleteOperationId = randomUUID();
    c.timeline.deleteRequestedAtMs = deps.clock.nowMs();
    c.timeline.deleteDurationMs = deps.settings.deleteDurationMs;
    deps.store.addOperation({
      id: c.deleteOperationId,
      kind: "delete",
      clusterKey: clusterKey(sub, rg, name),
      startedAtMs: deps.clock.nowMs(),
    });
    deps.store.changed(c);
  }
  return { status: 202, headers: asyncHeaders(deps, req, c, c.deleteOperationId) };
}

function patchTags(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord): ArmReply {
  const body = req.body;
  if (!isObject(body) || (body.tags !== undefined && body.tags !== null && !isObject(body.tags)))
    throw new ArmError(400, "InvalidRequestContent", 'The request content was invalid: expected { "tags": { ... } }.');
  if (isObject(body.tags)) c.tags = Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)]));
  if (body.tags === null) c.tags = {};
  c.etag = randomUUID();
  deps.store.changed(c);
  return { status: 200, body: clusterBody(deps.store, c, deps.port()) };
}

function listClusters(deps: HdInsightDeps, req: ArmRequest, sub: string, rg: string | undefined): ArmReply {
  const all = deps.store.list({ subscriptionId: sub, ...(rg ? { resourceGroup: rg } : {}) });
  const skip = Math.max(0, Number.parseInt(req.query.get("$skiptoken") ?? "0", 10) || 0);
  const page = all.slice(skip, skip + deps.settings.pageSize);
  const next = skip + page.length;
  const body: Record<string, unknown> = { value: page.map((c) => clusterBody(deps.store, c, deps.port())) };
  if (next < all.length) body.nextLink = `${req.baseUrl}${req.path}?api-version=${encodeURIComponent(req.apiVersion)}&$skiptoken=${next}`;
  return { status: 200, body };
}

function handleChild(deps: HdInsightDeps, req: ArmRequest, sub: string, rg: string, name: string, rest: string): ArmReply {
  const [child, childId, ...more] = rest.split("/");
  const lower = child.toLowerCase();
  if (lower === "getgatewaysettings" && !childId) {
    if (req.method !== "POST") throw methodNotAllowed(req);
    const c = requireCluster(deps, sub, rg, name);
    return {
      status: 200,
      body: {
        "restAuthCredential.isEnabled": "true",
        "restAuthCredential.username": c.gatewayUsername,
        "restAuthCredential.password": c.gatewayPassword,
      },
    };
  }
  if ((lower === "azureasyncoperations" || lower === "operationresults") && childId && more.length === 0)
    return pollOperation(deps, req, sub, rg, name, lower, childId);
  const reply = handleClusterOperation(deps, req, requireCluster(deps, sub, rg, name), rest);
  if (!reply) throw new ArmError(404, "NotFound", `No HDInsight operation at '${req.path}'.`);
  return reply;
}

function pollOperation(deps: HdInsightDeps, req: ArmRequest, sub: string, rg: string, name: string, child: string, id: string): ArmReply {
  if (req.method !== "GET") throw methodNotAllowed(req);
  const op = deps.store.operation(id);
  if (!op || op.clusterKey !== clusterKey(sub, rg, name)) throw new ArmError(404, "ResourceNotFound", `Operation '${id}' was not found.`);
  const status = operationStatus(deps, op);
  if (child === "azureasyncoperations") {
    const headers: Record<string, number> = status.status === "InProgress" ? { "retry-after": deps.settings.lroRetryAfterSeconds } : {};
    return { status: 200, body: status, headers };
  }
  // operationresults: 202 while running, then the outcome (204 for delete, 200 + resource for create, 200 for updates).
  if (status.status === "InProgress")
    return {
      status: 202,
      headers: { "retry-after": deps.settings.lroRetryAfterSeconds, location: `${req.baseUrl}${req.path}?api-version=${req.apiVersion}` },
    };
  if (status.status === "Failed") throw new ArmError(400, status.error?.code ?? "Failed", status.error?.message ?? "The operation failed.");
  if (op.kind === "delete") return { status: 204 };
  if (op.kind === "update") return { status: 200 };
  return { status: 200, body: clusterBody(deps.store, requireCluster(deps, sub, rg, name), deps.port()) };
}

/** An async operation's status: updates end at doneAtMs, creates and deletes follow the cluster's timeline. */
function operationStatus(deps: HdInsightDeps, op: AsyncOperation): OperationStatus {
  const done = (s: OperationStatus): OperationStatus => s;
  if (op.kind === "update") return done(deps.clock.nowMs() >= (op.doneAtMs ?? 0) ? { status: "Succeeded" } : { status: "InProgress" });
  const c = deps.store.raw(op.clusterKey);
  const s = c ? deps.store.statusOf(c) : undefined;
  if (op.kind === "delete") return done(!s || s.gone ? { status: "Succeeded" } : { status: "InProgress" });
  if (!c || !s || s.gone)
    return done({
      status: "Failed",
      error: { code: "ResourceNotFound", message: "The cluster was deleted before provisioning completed." },
    });
  if (s.provisioningState === "Failed")
    return done({ status: "Failed", error: c.timeline.failure ?? { code: "InternalServerError", message: "Provisioning failed." } });
  if (s.provisioningState === "Succeeded" || s.provisioningState === "Deleting") return done({ status: "Succeeded" });
  return done({ status: "InProgress" });
}

function asyncHeaders(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, operationId: string): Record<string, string | number> {
  const base = `${req.baseUrl}${clusterResourceId(c)}`;
  const v = encodeURIComponent(req.apiVersion);
  return {
    "azure-asyncoperation": `${base}/azureasyncoperations/${operationId}?api-version=${v}`,
    location: `${base}/operationresults/${operationId}?api-version=${v}`,
    "retry-after": deps.settings.lroRetryAfterSeconds,
  };
}

function requireCluster(deps: HdInsightDeps, sub: string, rg: string, name: string): ClusterRecord {
  const c = deps.store.get(sub, rg, name);
  if (!c)
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.HDInsight/clusters/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return c;
}

function methodNotAllowed(req: ArmRequest): ArmError {
  return new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed for '${req.path}'.`);
}
