// HTTP API: health and the OpenAPI document (generated from the job JSON Schema, the single source of truth), built
// from RouteDeps (routes.ts lists where each is served; both need a function key).
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { openApiDocument } from "./openapi";
import { json } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { MetaHandlers } from "./routes";

export function metaRoutes(deps: RouteDeps): MetaHandlers {
  return {
    health: async (): Promise<HttpResponseInit> =>
      json(200, { status: "ok", target: deps.config.target, resourceGroup: deps.config.resourceGroup, edges: deps.config.edgeVms }),
    openapi: async (request: HttpRequest): Promise<HttpResponseInit> => json(200, openApiDocument(new URL(request.url).origin + "/api")),
  };
}
