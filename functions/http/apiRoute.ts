// Every API route is registered here: function-key authentication (authLevel "function") and the mapping of thrown
// errors to problem+json live in one place (5xx logged with the job id), so no route can forget either.
import * as df from "durable-functions";
import { app, type HttpMethod, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
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

const clientInput = df.input.durableClient();
const clients = new Map<string, DurableClient>();

/**
 * The durable client of this invocation, one per distinct binding value (the task hub and its URLs, the same for
 * every invocation of a host): df.getClient builds a client per call (an HTTP client instance, URL validation),
 * a measurable share of a `POST /api/jobs`. A DurableClient keeps no per-call state. Keyed by the fields that name
 * the host and its credentials (task hub, RPC and webhook base URLs, the webhooks' query string with the system
 * key), not by the whole value serialized: that JSON.stringify was itself ~1 % of a request's CPU.
 */
function durableClient(context: InvocationContext): DurableClient {
  const data = (context.extraInputs.get(clientInput) ?? {}) as Record<string, unknown>;
  const key = `${String(data.taskHubName)}\n${String(data.rpcBaseUrl)}\n${String(data.baseUrl)}\n${String(data.requiredQueryStringParameters)}`;
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= 8) clients.clear(); // binding values change only with the host (tests restart hosts)
    client = df.getClient(context);
    clients.set(key, client);
  }
  return client;
}

export function apiRoute(name: string, options: { route: string; methods: HttpMethod[] }, handler: ApiHandler): void {
  API_ROUTES.push({ name, route: options.route, methods: options.methods, handler });
  // What df.app.client.http registers (an HTTP trigger with a durableClient input), with the client reused.
  app.http(name, {
    ...options,
    authLevel: "function",
    extraInputs: [clientInput],
    handler: (request: HttpRequest, context: InvocationContext) =>
      handler(request, durableClient(context), context).catch((err: unknown) => {
        const response = errorResponse(err);
        // Every 5xx is logged with the job it concerns, so an operator can find it from the caller's report.
        if ((response.status ?? 500) >= 500) {
          context.error(
            JSON.stringify({
              event: "api.error",
              route: options.route,
              method: request.method,
              status: response.status,
              jobId: request.params.id,
              error: errorMessage(err),
            }),
          );
        }
        return response;
      }),
  });
}
