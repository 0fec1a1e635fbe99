// HTTP API: clusters and edges (DESIGN §6), built from RouteDeps (routes.ts lists where each is served).
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { TAG } from "../../shared/builders/clusterRequest";
import {
  EVENT,
  ORCHESTRATION,
  clusterInstanceId,
  edgeInstanceId,
  type ClusterCommand,
  type EdgeSyncInput,
} from "../../shared/workflow/activities";
import { clusterCost, liveLedgers } from "../store/costReader";
import { json, page, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

/** The orchestration's custom status without its live cost ledger (shown as `cost` instead). */
function lifecycleView(status: unknown): unknown {
  if (!status || typeof status !== "object") return status ?? null;
  const { ledger: _ledger, ...rest } = status as Record<string, unknown>;
  return rest;
}

type ClusterHandlers = Pick<
  ApiHandlers,
  "clustersList" | "clustersDelete" | "edgesList" | "edgesAttach" | "edgesDetach" | "edgesOperation"
>;

export function clusterRoutes(deps: RouteDeps): ClusterHandlers {
  const clustersList = async (request: HttpRequest, client: DurableClient) => {
    const clusters = await deps.clusters.list({ resourceGroup: deps.config.resourceGroup });
    const rows = await Promise.all(
      clusters.map(async (c) => {
        const managed = c.tags[TAG.managed] === "true";
        const orch = managed ? await client.getStatus(clusterInstanceId(c.name)).catch(() => undefined) : undefined;
        // The bill so far from the cluster's ledger (shared/cost), with each holder's share and the pool's idle part;
        // costSoFar is its summary (the console's clusters page).
        const cost = managed ? ((await clusterCost(deps, c.name, liveLedgers(client)).catch(() => undefined)) ?? null) : null;
        const costSoFar = cost
          ? {
              amount: cost.bill.amount,
              currency: cost.currency,
              nodeHours: Math.round((cost.bill.nodeMinutes / 60) * 1000) / 1000,
              basis: cost.basis,
            }
          : undefined;
        return {
          name: c.name,
          managed,
          provisioningState: c.provisioningState,
          clusterState: c.clusterState,
          clusterVersion: c.clusterVersion,
          createdDate: c.createdDate,
          tags: c.tags,
          lifecycle: lifecycleView(orch?.customStatus),
          cost,
          ...(costSoFar ? { costSoFar } : {}),
        };
      }),
    );
    return json(200, { clusters: page(rows, request.query).items });
  };

  const clustersDelete = async (request: HttpRequest, client: DurableClient) => {
    const name = request.params.name;
    const info = await deps.clusters.get(name);
    if (!info) return json(204, {});
    if (info.tags[TAG.managed] !== "true")
      return problem(
        409,
        "Not managed by Jobflow",
        `cluster '${name}' has no ${TAG.managed}=true tag; Jobflow deletes only its own clusters`,
      );
    const orch = await client.getStatus(clusterInstanceId(name)).catch(() => undefined);
    if (orch && isLiveRuntimeStatus(orch.runtimeStatus)) {
      // The cluster orchestration arbitrates: holders are told, edges detached, then it deletes.
      const cmd: ClusterCommand = { type: "delete", reason: "deleted through the API" };
      await client.raiseEvent(clusterInstanceId(name), EVENT.clusterCommand, cmd);
    } else {
      await deps.clusters.beginDelete(name);
    }
    return json(202, { name, deleteRequested: true });
  };

  const edgesList = async () => {
    const attachments = await deps.edges.list();
    const edges = deps.config.edgeVms.map((vm) => {
      const a = attachments.find((x) => x.vm === vm);
      return {
        name: vm,
        attachedTo: a?.clusterName ?? null,
        updatedAt: a?.updatedAt ?? null,
        requestedBy: a?.requestedBy ?? null,
        lastSync: a?.lastSync ?? null,
      };
    });
    return json(200, { edges });
  };

  const startEdgeOperation = async (request: HttpRequest, client: DurableClient, mode: "attach" | "detach"): Promise<HttpResponseInit> => {
    const vm = request.params.name;
    if (!deps.config.edgeVms.includes(vm))
      return problem(
        404,
        "Unknown edge VM",
        `'${vm}' is not a registered edge VM (${deps.config.edgeVms.join(", ") || "none registered"})`,
      );
    let clusterName: string | undefined;
    let profileName = "default";
    if (mode === "attach") {
      let body: { cluster?: unknown; profile?: unknown } = {};
      try {
        body = (await request.json()) as typeof body;
      } catch {
        return problem(400, "Invalid request", undefined, [{ pointer: "", message: 'body must be JSON: {"cluster": "<name>"}' }]);
      }
      if (typeof body.cluster !== "string" || body.cluster === "")
        return problem(400, "Invalid request", undefined, [{ pointer: "/cluster", message: "required: the cluster to attach to" }]);
      clusterName = body.cluster;
      const info = await deps.clusters.get(clusterName);
      if (!info) return problem(404, "Unknown cluster", `cluster '${clusterName}' does not exist`);
      if (!/running/i.test(info.clusterState)) return problem(409, "Cluster not ready", `cluster '${clusterName}' is ${info.clusterState}`);
      // The profile names the gateway credential; a Jobflow cluster's lifecycle orchestration knows it.
      const lifecycle =
        typeof body.profile === "string" ? undefined : await client.getStatus(clusterInstanceId(clusterName)).catch(() => undefined);
      const lifecycleProfile = (lifecycle?.input as { profileName?: unknown } | undefined)?.profileName;
      profileName = typeof body.profile === "string" ? body.profile : typeof lifecycleProfile === "string" ? lifecycleProfile : "default";
    }
    const current = await deps.edges.get(vm);
    const effectiveMode = mode === "attach" && current?.clusterName && current.clusterName !== clusterName ? "switch" : mode;
    const opId = `api-${deps.clock.nowMs().toString(36)}`;
    const input: EdgeSyncInput = { vm, mode: effectiveMode, requestedBy: "api", opId };
    if (clusterName) input.clusterName = clusterName;
    input.profileName = profileName;
    const instanceId = edgeInstanceId(vm, opId);
    await client.startNew(ORCHESTRATION.edgeSync, { instanceId, input });
    const u = new URL(request.url);
    return json(202, {
      vm,
      mode: effectiveMode,
      cluster: clusterName ?? null,
      operationId: instanceId,
      statusUrl: `${u.origin}/api/edges/operations/${instanceId}`,
    });
  };

  const edgesAttach = async (request: HttpRequest, client: DurableClient) => startEdgeOperation(request, client, "attach");
  const edgesDetach = async (request: HttpRequest, client: DurableClient) => startEdgeOperation(request, client, "detach");

  const edgesOperation = async (request: HttpRequest, client: DurableClient) => {
    const status = await client.getStatus(request.params.id).catch(() => undefined);
    if (!status || status.name !== ORCHESTRATION.edgeSync) return problem(404, "Not found", `no edge operation '${request.params.id}'`);
    return json(200, {
      id: status.instanceId,
      runtimeStatus: status.runtimeStatus,
      progress: status.customStatus ?? null,
      result: status.output ?? null,
    });
  };

  return { clustersList, clustersDelete, edgesList, edgesAttach, edgesDetach, edgesOperation };
}
