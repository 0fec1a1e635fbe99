// The one place the app's HTTP routes (routes.ts) are registered with the Functions runtime, as the activities are
// (activities/register.ts): handlers come from the factories, built from the composition root's services on first
// use and rebuilt when the services are (tests reset them between host starts). API routes go through apiRoute()
// (function key, Durable client, problem+json); the console's are anonymous to the host and check the console
// session themselves; health and the OpenAPI document need a function key and no Durable client.
import * as df from "durable-functions";
import { app, type HttpRequest, type InvocationContext } from "@azure/functions";
import { services, type Services } from "../runtime/services";
import { apiRoute } from "./apiRoute";
import { guarded } from "./consoleRoutes";
import { routeDepsFrom, type RouteHandler } from "./routeDeps";
import {
  API_ROUTE_SPECS,
  CONSOLE_ROUTE_SPECS,
  META_ROUTE_SPECS,
  createApiRoutes,
  createConsoleRoutes,
  createMetaRoutes,
  type ApiHandlers,
  type ConsoleHandlers,
  type MetaHandlers,
} from "./routes";

interface BuiltRoutes {
  api: ApiHandlers;
  meta: MetaHandlers;
  console: ConsoleHandlers;
}

const built = new WeakMap<Services, BuiltRoutes>();

function handlers(): BuiltRoutes {
  const s = services();
  let h = built.get(s);
  if (!h) {
    const deps = routeDepsFrom(s);
    built.set(s, (h = { api: createApiRoutes(deps), meta: createMetaRoutes(deps), console: createConsoleRoutes(deps) }));
  }
  return h;
}

const names = <T extends object>(table: T): (keyof T & string)[] => Object.keys(table) as (keyof T & string)[];

export function registerHttpRoutes(): void {
  for (const name of names(API_ROUTE_SPECS)) {
    const spec = API_ROUTE_SPECS[name];
    // Async, so a failure to build the services is answered by apiRoute as problem+json like any handler's error.
    const handler: RouteHandler = async (request, client, context) => handlers().api[name](request, client, context);
    apiRoute(name, { route: spec.route, methods: [...spec.methods] }, handler);
  }
  for (const name of names(META_ROUTE_SPECS)) {
    const spec = META_ROUTE_SPECS[name];
    app.http(name, {
      route: spec.route,
      methods: [...spec.methods],
      authLevel: "function",
      handler: async (request: HttpRequest) => handlers().meta[name](request),
    });
  }
  for (const name of names(CONSOLE_ROUTE_SPECS)) {
    const spec = CONSOLE_ROUTE_SPECS[name];
    df.app.client.http(name, {
      route: spec.route,
      methods: [...spec.methods],
      authLevel: "anonymous",
      // Guarded here too, so a failure to build the services is still a secured problem+json.
      handler: guarded(async (request: HttpRequest, client: df.DurableClient, context: InvocationContext) =>
        handlers().console[name](request, client, context),
      ),
    });
  }
}
