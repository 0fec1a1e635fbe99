// The console's view of the API: /api/console/api/<route> runs the very handler of /api/<route> (one code path,
// one vocabulary), after the console session was authenticated, the route's role checked and — for every
// state-changing method — the CSRF token verified. Function keys are never involved.
import { HttpRequest, type InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { API_ROUTES, type RegisteredApiRoute } from "./apiRoute";
import type { ConsoleRole } from "./consoleAuth";

/** Routes whose method alone does not say the role: everything else is GET → reader, anything else → operator. */
const ROLE_OVERRIDES: Record<string, ConsoleRole> = {
  // Validates and plans a document; creates nothing.
  jobsValidate: "reader",
};

export function requiredRole(route: RegisteredApiRoute, method: string): ConsoleRole {
  return ROLE_OVERRIDES[route.name] ?? (method === "GET" || method === "HEAD" ? "reader" : "operator");
}

/** Matches `path` (no leading slash) against a route template of literal and `{param}` segments. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/");
  const have = path.split("/");
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    const param = /^\{(\w+)(?::[^}]*)?\}$/.exec(w);
    if (param) {
      if (h === "") return undefined;
      params[param[1] as string] = decodeURIComponent(h);
    } else if (w.toLowerCase() !== h.toLowerCase()) return undefined;
  }
  return params;
}

export type GatewayMatch =
  | { kind: "route"; route: RegisteredApiRoute; params: Record<string, string> }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" };

/** Literal segments win over parameters (jobs/validate before jobs/{id}), as the Functions host orders routes. */
export function findRoute(method: string, path: string, routes: readonly RegisteredApiRoute[] = API_ROUTES): GatewayMatch {
  const literalCount = (r: RegisteredApiRoute): number => r.route.split("/").filter((s) => !s.startsWith("{")).length;
  const matches = routes
    .map((route) => ({ route, params: matchTemplate(route.route, path) }))
    .filter((m): m is { route: RegisteredApiRoute; params: Record<string, string> } => m.params !== undefined)
    .sort((a, b) => literalCount(b.route) - literalCount(a.route));
  if (matches.length === 0) return { kind: "not-found" };
  const hit = matches.find((m) => m.route.methods.includes(method as RegisteredApiRoute["methods"][number]));
  if (!hit) return { kind: "method-not-allowed", allow: [...new Set(matches.flatMap((m) => m.route.methods))] };
  return { kind: "route", ...hit };
}

/** Runs the matched API handler with a request that looks as if it had been sent to /api/<path>. */
export async function invokeApiRoute(
  original: HttpRequest,
  match: { route: RegisteredApiRoute; params: Record<string, string> },
  path: string,
  client: DurableClient,
  context: InvocationContext,
): ReturnType<RegisteredApiRoute["handler"]> {
  const source = new URL(original.url);
  const url = new URL(`/api/${path}${source.search}`, source.origin);
  const headers: Record<string, string> = {};
  original.headers.forEach((value, name) => {
    if (name !== "cookie" && name !== "x-functions-key") headers[name] = value;
  });
  const query: Record<string, string> = {};
  original.query.forEach((value, name) => void (query[name] = value));
  const body = original.method === "GET" || original.method === "HEAD" ? undefined : { string: await original.text() };
  const request = new HttpRequest({
    method: original.method,
    url: url.toString(),
    headers,
    query,
    params: match.params,
    ...(body ? { body } : {}),
  });
  return match.route.handler(request, client, context);
}
