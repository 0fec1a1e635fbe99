// HTTP API of the reaper: a manual run (`POST /reaper/run`, a dry run on request — the setting's dry run always
// wins) and the audit listing (`GET /reaper/decisions`, newest first, paged). Built from RouteDeps like every API
// route (functions/http/routes.ts lists where each is served, register.ts registers them); the timer is in
// reaperFunctions.ts.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { json, page } from "../http/problem";
import type { RouteDeps } from "../http/routeDeps";
import type { ApiHandlers } from "../http/routes";
import { auditStoreOf, runReaper } from "./reaper";

async function reaperRun(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const body = (await request.json().catch(() => ({}))) as { dryRun?: unknown };
  const result = await runReaper(deps.reaper, client, { dryRun: deps.config.reaperDryRun || body?.dryRun === true });
  return json(200, result);
}

async function reaperDecisions(deps: RouteDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const audit = auditStoreOf(deps.reaper);
  const names = await audit.names(request.query.get("cluster") ?? undefined);
  const { items, continuationToken } = page(names, request.query);
  const decisions = await audit.get(items);
  return json(200, continuationToken ? { decisions, continuationToken } : { decisions });
}

export function reaperRoutes(deps: RouteDeps): Pick<ApiHandlers, "reaperRun" | "reaperDecisions"> {
  return {
    reaperRun: (request, client) => reaperRun(deps, request, client),
    reaperDecisions: (request) => reaperDecisions(deps, request),
  };
}
