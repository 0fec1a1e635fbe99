// The HTTP functions' route table: each httpTrigger registration's route template (routes.ts), methods and
// authLevel, in the Functions host's precedence order, and the lookup of the function answering a path and method
// (or why none does: 404, or 405 with the methods the path allows). Separate from httpServer.ts because it is the
// routing decision alone, with no socket, key or invocation in it.
import type { RegisteredFunction } from "./functionsCore";
import { compareRoutePrecedence, matchRoute, parseRouteTemplate, type RouteTemplate } from "./routes";

export interface HttpFunctionRoute {
  registration: RegisteredFunction;
  route: RouteTemplate;
  methods: string[] | undefined;
  authLevel: string | undefined;
}

export type RouteLookup =
  | { kind: "function"; route: HttpFunctionRoute; params: Record<string, string> }
  | { kind: "notFound" }
  | { kind: "methodNotAllowed"; allow: string[] };

/** Builds the table from the registered HTTP functions (throws on an unsupported template). */
export function functionRoutes(functions: RegisteredFunction[]): HttpFunctionRoute[] {
  return functions
    .filter((f) => f.trigger.type.toLowerCase() === "httptrigger")
    .map((registration) => {
      const trigger = registration.trigger;
      const template = typeof trigger.route === "string" && trigger.route !== "" ? trigger.route : registration.name;
      const methods = Array.isArray(trigger.methods) ? trigger.methods.map((m) => String(m).toUpperCase()) : undefined;
      const authLevel = typeof trigger.authLevel === "string" ? trigger.authLevel : undefined;
      return { registration, route: parseRouteTemplate(template), methods, authLevel };
    })
    .sort((a, b) => compareRoutePrecedence(a.route, b.route));
}

/** The route answering `method` on `path` (the path below the route prefix), from a table in precedence order. */
export function findFunctionRoute(routes: HttpFunctionRoute[], method: string, path: string): RouteLookup {
  // The first route matching path and method wins. Only a miss looks at them all (404, or 405 with the methods
  // the path allows) — a request does not pay for every route template.
  for (const route of routes) {
    if (route.methods && !route.methods.includes(method)) continue;
    const params = matchRoute(route.route, path);
    if (params) return { kind: "function", route, params };
  }
  const allowed = routes.filter((r) => matchRoute(r.route, path) !== undefined);
  if (allowed.length === 0) return { kind: "notFound" };
  return { kind: "methodNotAllowed", allow: [...new Set(allowed.flatMap((r) => r.methods ?? []))] };
}
