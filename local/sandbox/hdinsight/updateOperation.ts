// What every update operation on an existing cluster shares (clusterOps.ts, scriptActions.ts): the method and
// running-state checks, the role list, and the accepted answer — a 202 with Azure-AsyncOperation + Location whose
// operation ends after a short virtual time (OPERATION_MS).
import { randomUUID } from "node:crypto";
import { ArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import { clusterKey, type ClusterRecord } from "./clusterStore";
import type { HdInsightDeps } from "./clusterRoutes";
import { clusterResourceId } from "./clusterView";

/** Virtual time an update operation takes before its async operation reports Succeeded. */
export const OPERATION_MS = { resize: 10 * 60_000, autoscale: 60_000, scripts: 5 * 60_000, gateway: 2 * 60_000 } as const;

export type Role = { name: string; targetInstanceCount?: number; autoscale?: unknown };

export function requireMethod(req: ArmRequest, method: string): void {
  if (req.method !== method)
    throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed for '${req.path}'.`);
}

export function roles(c: ClusterRecord): Role[] {
  return (c.properties.computeProfile as { roles?: Role[] } | undefined)?.roles ?? [];
}

export function requireRunning(deps: HdInsightDeps, c: ClusterRecord): void {
  const s = deps.store.statusOf(c);
  if (s.provisioningState !== "Succeeded")
    throw new ArmError(
      409,
      "Conflict",
      `The cluster '${c.name}' is not in a state that allows this operation (provisioningState ${s.provisioningState}, clusterState ${s.clusterState}).`,
    );
}

/** Starts an update operation and answers 202 with the cluster's async URLs. */
export function accepted(deps: HdInsightDeps, req: ArmRequest, c: ClusterRecord, durationMs: number): ArmReply {
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
