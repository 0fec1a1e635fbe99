// Every API route is registered here: function-key authentication (authLevel "function") and the mapping of thrown
// errors to problem+json live in one place (5xx logged with the job id), so no route can forget either.
import * as df from "durable-functions";
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { errorMessage } from "../../shared/errors";
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
    handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) =>
      handler(request, client, context).catch((err: unknown) => {
        const response = errorResponse(err);
        // Every 5xx is logged with the job it concerns, so an operator can find it from the caller's report.
        if ((response.status ?? 500) >= 500) {
          context.error(JSON.stringify({ event: "api.error", route: options.route, method: request.method, status: response.status,
            jobId: request.params.id, error: errorMessage(err) }));
        }
        return response;
      }),
  });
}
