// Every HTTP route of the app, by name: where it is served (the tables below) and the factories that build its
// handler from RouteDeps (routeDeps.ts). register.ts registers them once with the Functions runtime; unit tests
// build them on the in-memory fakes (test/unit/http/harness.ts). A name in a table without a handler in its
// factory's result, or a handler without a name, does not compile. The policy routes of functions/policies/
// (compute leases, schedules, the reaper) are built here too.
import type { HttpMethod, HttpRequest, HttpResponseInit } from "@azure/functions";
import { clusterRoutes } from "./clusterRoutes";
import { consoleRoutes } from "./consoleRoutes";
import { costsRoutes } from "./costsRoute";
import { jobsRoutes } from "./jobsRoutes";
import { jobTimelineRoutes } from "./jobTimelineRoute";
import { leaseRoutes } from "../policies/leaseRoutes";
import { reaperRoutes } from "../policies/reaperRoutes";
import { scheduleRoutes } from "../policies/scheduleRoutes";
import { scheduleRunRoutes } from "../policies/scheduleRunRoutes";
import { metaRoutes } from "./metaRoutes";
import { repairRoutes } from "./repairRoute";
import type { RouteDeps, RouteHandler } from "./routeDeps";
import { validateRoutes } from "./validateRoute";

type SpecTable = Record<string, { route: string; methods: readonly HttpMethod[] }>;

/** The API under /api: function key, the Durable client, thrown errors as problem+json (apiRoute.ts). */
export const API_ROUTE_SPECS = {
  jobsSubmit: { route: "jobs", methods: ["POST"] },
  jobsList: { route: "jobs", methods: ["GET"] },
  jobsGet: { route: "jobs/{id}", methods: ["GET"] },
  jobsCancel: { route: "jobs/{id}/cancel", methods: ["POST"] },
  jobsStepLog: { route: "jobs/{id}/steps/{stepId}/log", methods: ["GET"] },
  jobsRepair: { route: "jobs/{id}/repair", methods: ["POST"] },
  clustersList: { route: "clusters", methods: ["GET"] },
  clustersDelete: { route: "clusters/{name}", methods: ["DELETE"] },
  edgesList: { route: "edges", methods: ["GET"] },
  edgesAttach: { route: "edges/{name}/attach", methods: ["POST"] },
  edgesDetach: { route: "edges/{name}/detach", methods: ["POST"] },
  edgesOperation: { route: "edges/operations/{id}", methods: ["GET"] },
  jobsValidate: { route: "jobs/validate", methods: ["POST"] },
  jobsTimeline: { route: "jobs/{id}/timeline", methods: ["GET"] },
  costsReport: { route: "costs", methods: ["GET"] },
  leaseCreate: { route: "compute-requests", methods: ["POST"] },
  leaseList: { route: "compute-requests", methods: ["GET"] },
  leaseGet: { route: "compute-requests/{id}", methods: ["GET"] },
  leaseRenew: { route: "compute-requests/{id}/renew", methods: ["POST"] },
  leaseRelease: { route: "compute-requests/{id}/release", methods: ["POST"] },
  schedulesCreate: { route: "schedules", methods: ["POST"] },
  schedulesList: { route: "schedules", methods: ["GET"] },
  schedulesGet: { route: "schedules/{id}", methods: ["GET"] },
  schedulesPause: { route: "schedules/{id}/pause", methods: ["POST"] },
  schedulesResume: { route: "schedules/{id}/resume", methods: ["POST"] },
  schedulesDelete: { route: "schedules/{id}", methods: ["DELETE"] },
  schedulesRunNow: { route: "schedules/{id}/run", methods: ["POST"] },
  schedulesBackfill: { route: "schedules/{id}/backfill", methods: ["POST"] },
  schedulesBackfillGet: { route: "schedules/{id}/backfills/{backfillId}", methods: ["GET"] },
  reaperRun: { route: "reaper/run", methods: ["POST"] },
  reaperDecisions: { route: "reaper/decisions", methods: ["GET"] },
} as const satisfies SpecTable;

/** Health and the OpenAPI document: function key, no Durable client, not served through the console. */
export const META_ROUTE_SPECS = {
  health: { route: "health", methods: ["GET"] },
  openapi: { route: "openapi.json", methods: ["GET"] },
} as const satisfies SpecTable;

/** The console under /api/console: anonymous to the Functions host, the console session checked by each handler. */
export const CONSOLE_ROUTE_SPECS = {
  consoleLogin: { route: "console/login", methods: ["GET"] },
  consoleSession: { route: "console/api/session", methods: ["GET"] },
  consoleLogout: { route: "console/api/logout", methods: ["POST"] },
  consoleApi: { route: "console/api/{*path}", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  consoleStatic: { route: "console/{*path}", methods: ["GET"] },
} as const satisfies SpecTable;

export type ApiRouteName = keyof typeof API_ROUTE_SPECS;
export type MetaRouteName = keyof typeof META_ROUTE_SPECS;
export type ConsoleRouteName = keyof typeof CONSOLE_ROUTE_SPECS;
export type ApiHandlers = { [N in ApiRouteName]: RouteHandler };
export type MetaHandlers = { [N in MetaRouteName]: (request: HttpRequest) => Promise<HttpResponseInit> };
export type ConsoleHandlers = { [N in ConsoleRouteName]: RouteHandler };

export function createApiRoutes(deps: RouteDeps): ApiHandlers {
  return {
    ...jobsRoutes(deps),
    ...repairRoutes(deps),
    ...clusterRoutes(deps),
    ...validateRoutes(deps),
    ...jobTimelineRoutes(deps),
    ...costsRoutes(deps),
    ...leaseRoutes(deps),
    ...scheduleRoutes(deps),
    ...scheduleRunRoutes(deps),
    ...reaperRoutes(deps),
  };
}

export function createMetaRoutes(deps: RouteDeps): MetaHandlers {
  return metaRoutes(deps);
}

export function createConsoleRoutes(deps: RouteDeps): ConsoleHandlers {
  return consoleRoutes(deps);
}
