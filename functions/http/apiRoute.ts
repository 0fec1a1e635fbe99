// Every API route is registered here: function-key authentication (authLevel "function") and the mapping of thrown
// errors to problem+json live in one place, so no route can forget either.
import * as df from "durable-functions";
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { errorResponse } from "./problem";

export type ApiHandler = (request: HttpRequest, client: DurableClient, context: InvocationContext) => Promise<HttpResponseInit>;

export interface RegisteredApiRoute {
  name: string;
  route: string;
  methods: HttpMethod[];
  handler: ApiHandler;
}

/** Every route registered through apiRoute(): the console gateway (consoleGateway.ts) serves the same handlers. */
export const API_ROUTES: RegisteredApiRoute[] = [];

export function apiRoute(name: string, options: { route: string; methods: HttpMethod[] }, handler: ApiHandler): void {
  API_ROUTES.push({ name, route: options.route, methods: options.methods, handler });
  df.app.client.http(name, {
    ...options,
    authLevel: "function",
    handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) => handler(request, client, context).catch(errorResponse),
  });
}
