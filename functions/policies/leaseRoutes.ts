// HTTP API: compute leases (DESIGN §6). Function key AND an HMAC signature from an allowed caller on every write
// (functions/policies/signedRequests.ts); reads need the function key. Built from RouteDeps like every API route
// (functions/http/routes.ts lists where each is served, register.ts registers them).
import { randomBytes } from "node:crypto";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { clusterNameForLease } from "../../shared/builders/clusterName";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { LEASE_LIMITS, parseLeaseRequest, parseRenewRequest, type LeaseCommand } from "../../shared/policies/leaseRules";
import { outboundPolicy } from "../../shared/security/jobPolicy";
import type { LeaseOrchestrationInput, LeaseStatus } from "../../shared/policies/workflowTypes";
import { EVENT, ORCHESTRATION } from "../../shared/workflow/activities";
import { json, page, problem } from "../http/problem";
import type { RouteDeps } from "../http/routeDeps";
import type { ApiHandlers } from "../http/routes";
import { readSignedRequest } from "./signedRequests";

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; response: HttpResponseInit } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: problem(400, "Invalid request", undefined, [{ pointer: "", message: "body must be JSON" }]) };
  }
}

const leaseUrl = (request: HttpRequest, id: string): string => `${new URL(request.url).origin}/api/compute-requests/${id}`;

async function leaseCreate(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const signed = await readSignedRequest(deps, request);
  if (!signed.ok) return signed.response;
  const parsed = parseJson(signed.body);
  if (!parsed.ok) return parsed.response;
  const checked = parseLeaseRequest(parsed.value, { outbound: outboundPolicy(deps.config) });
  if (!checked.ok)
    return problem(400, "Invalid compute request", `${checked.problems.length} problem(s); nothing was created`, checked.problems);
  const req = checked.request;
  const eff = effectiveProfile(
    {
      cluster: {
        profile: req.profile,
        overrides: req.overrides,
        reuse: "never",
        keepWarmMinutes: 0,
        maxLifetimeMinutes: LEASE_LIMITS.maxTotalMinutes,
      },
    },
    await deps.profiles(),
    placeholderValuesFromConfig(deps.config),
  );
  if (!eff.ok)
    return problem(
      400,
      "Invalid compute request",
      undefined,
      eff.problems.map((p) => ({ ...p, pointer: p.pointer.replace(/^\/cluster/, "") })),
    );
  const leaseId = `l-${randomBytes(10).toString("hex")}`;
  const input: LeaseOrchestrationInput = {
    leaseId,
    caller: signed.caller,
    clusterName: clusterNameForLease(leaseId),
    profileName: req.profile,
    overrides: req.overrides,
    profileHash: eff.hash,
    durationMinutes: req.durationMinutes,
    maxTotalMinutes: LEASE_LIMITS.maxTotalMinutes,
    callbackUrl: req.callbackUrl,
    requestedAt: deps.clock.now().toISOString(),
    adlsAccounts: [],
  };
  await client.startNew(ORCHESTRATION.lease, { instanceId: leaseId, input });
  const url = leaseUrl(request, leaseId);
  return json(202, { leaseId, clusterName: input.clusterName, statusUrl: url }, { location: url });
}

async function leaseStatus(client: DurableClient, id: string): Promise<{ status: LeaseStatus; active: boolean } | undefined> {
  const st = await client.getStatus(id).catch(() => undefined);
  if (!st || st.name !== ORCHESTRATION.lease) return undefined;
  const custom = (st.output ?? st.customStatus) as LeaseStatus | null;
  if (!custom || typeof custom !== "object") return undefined;
  return { status: custom, active: isLiveRuntimeStatus(st.runtimeStatus) };
}

async function leaseList(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const all = await client.getStatusAll();
  // A lease started a moment ago has no custom status yet: list it as requested.
  const leases = all
    .filter((st) => st.name === ORCHESTRATION.lease)
    .map(
      (st) =>
        ((st.output ?? st.customStatus) || {
          leaseId: st.instanceId,
          state: "requested",
          requestedAt: new Date(st.createdTime).toISOString(),
        }) as LeaseStatus,
    )
    .sort((a, b) => (b.requestedAt ?? "").localeCompare(a.requestedAt ?? ""));
  const { items, continuationToken } = page(leases, request.query);
  return json(200, continuationToken ? { leases: items, continuationToken } : { leases: items });
}

async function leaseGet(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const found = await leaseStatus(client, request.params.id).catch(() => undefined);
  return found ? json(200, found.status) : problem(404, "Not found", `no lease '${request.params.id}'`);
}

async function leaseCommand(
  deps: RouteDeps,
  request: HttpRequest,
  client: DurableClient,
  type: LeaseCommand["type"],
): Promise<HttpResponseInit> {
  const signed = await readSignedRequest(deps, request);
  if (!signed.ok) return signed.response;
  const id = request.params.id;
  const found = await leaseStatus(client, id);
  // Another caller's lease answers like a missing one: callers cannot probe each other's ids.
  if (!found || found.status.caller !== signed.caller) return problem(404, "Not found", `no lease '${id}'`);
  if (!found.active) return problem(409, "Lease ended", `lease '${id}' is ${found.status.state}`);
  const requestedAt = deps.clock.now().toISOString();
  let cmd: LeaseCommand = { type: "release", requestedAt };
  if (type === "renew") {
    const parsed = parseJson(signed.body || "{}");
    if (!parsed.ok) return parsed.response;
    const renew = parseRenewRequest(parsed.value);
    if (!renew.ok) return problem(400, "Invalid renew request", undefined, renew.problems);
    cmd = { type: "renew", durationMinutes: renew.durationMinutes, requestedAt };
  }
  await client.raiseEvent(id, EVENT.leaseCommand, cmd);
  return json(202, { leaseId: id, [type === "renew" ? "renewRequested" : "releaseRequested"]: true, statusUrl: leaseUrl(request, id) });
}

type LeaseHandlers = Pick<ApiHandlers, "leaseCreate" | "leaseList" | "leaseGet" | "leaseRenew" | "leaseRelease">;

export function leaseRoutes(deps: RouteDeps): LeaseHandlers {
  return {
    leaseCreate: (request, client) => leaseCreate(deps, request, client),
    leaseList,
    leaseGet,
    leaseRenew: (request, client) => leaseCommand(deps, request, client, "renew"),
    leaseRelease: (request, client) => leaseCommand(deps, request, client, "release"),
  };
}
