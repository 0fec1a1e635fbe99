// HTTP API: health and the OpenAPI document (generated from the job JSON Schema, the single source of truth).
import { app, type HttpRequest, type HttpResponseInit } from "@azure/functions";
import { openApiDocument } from "./openapi";
import { json } from "./problem";
import { services } from "../runtime/services";

app.http("health", {
  route: "health",
  methods: ["GET"],
  authLevel: "function",
  handler: async (): Promise<HttpResponseInit> => {
    const s = services();
    return json(200, { status: "ok", target: s.config.target, resourceGroup: s.config.resourceGroup, edges: s.config.edgeVms });
  },
});

app.http("openapi", {
  route: "openapi.json",
  methods: ["GET"],
  authLevel: "function",
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => json(200, openApiDocument(new URL(request.url).origin + "/api")),
});
