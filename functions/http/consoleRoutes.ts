// The console's routes, all under /api/console (see consoleAuth.ts for how callers authenticate):
//   GET  console/login?token=   one-time token → session cookie, then 303 to the console (local mode only)
//   GET  console/api/session    who am I, my role, my CSRF token
//   POST console/api/logout     clears the cookie
//   *    console/api/{*path}    the API route /api/{path}, role-checked, CSRF-checked when state-changing
//   GET  console/{*path}        the built console (index.html for client-side routes)
// The Functions authLevel is "anonymous" because these routes authenticate the console session themselves; every
// one of them refuses a request without a valid session (or login token) with 401 — test/integration/console proves it.
import * as df from "durable-functions";
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { JobflowError } from "../../shared/errors";
import { services } from "../runtime/services";
import {
  checkCsrf,
  consoleAuthSettings,
  cookieValue,
  CSRF_HEADER,
  csrfToken,
  mintSessionCookie,
  roleAllows,
  SESSION_COOKIE,
  sessionFromClientPrincipal,
  sessionSetCookie,
  verifyLoginToken,
  verifySessionCookie,
  type ConsoleSession,
} from "./consoleAuth";
import { findRoute, invokeApiRoute, requiredRole } from "./consoleGateway";
import { CONSOLE_SECURITY_HEADERS, consoleFile } from "./consoleStatic";
import { errorResponse, json, problem } from "./problem";
import { logJson } from "../runtime/telemetryHooks";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function secured(response: HttpResponseInit): HttpResponseInit {
  return {
    ...response,
    headers: { ...CONSOLE_SECURITY_HEADERS, "cache-control": "no-store", ...(response.headers as Record<string, string> | undefined) },
  };
}

/** The caller's console session, or undefined (no/forged/expired cookie; no Jobflow role; no secret configured). */
export function authenticateConsole(request: HttpRequest): ConsoleSession | undefined {
  const settings = consoleAuthSettings();
  if (!settings.secret) return undefined;
  if (settings.mode === "entra") return sessionFromClientPrincipal(request.headers.get("x-ms-client-principal"));
  const cookie = cookieValue(request.headers.get("cookie"), SESSION_COOKIE);
  return cookie ? verifySessionCookie(settings.secret, cookie, Date.now()) : undefined;
}

function unauthenticated(): HttpResponseInit {
  const mode = consoleAuthSettings().mode;
  const how = mode === "entra" ? "sign in through the app's Entra ID login" : "open the JOBFLOW_CONSOLE_URL that `npm start` printed";
  return secured(problem(401, "Not signed in", `The console needs a session: ${how}.`));
}

function consoleRoute(
  name: string,
  route: string,
  methods: HttpMethod[],
  handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) => Promise<HttpResponseInit>,
): void {
  df.app.client.http(name, {
    route,
    methods,
    authLevel: "anonymous",
    handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) =>
      handler(request, client, context).then(secured, (e: unknown) => secured(errorResponse(e))),
  });
}

consoleRoute("consoleLogin", "console/login", ["GET"], async (request) => {
  const settings = consoleAuthSettings();
  const token = request.query.get("token") ?? "";
  if (settings.mode !== "local" || !settings.secret) return unauthenticated();
  const verified = verifyLoginToken(settings.secret, token, Date.now());
  if (!verified)
    return problem(401, "Invalid login link", "The login token is unknown, forged or expired: restart `npm start` for a new link.");
  const s = services();
  try {
    // Single use: the first exchange creates the marker, any later one conflicts.
    await s.cloud.blobs.putJson(
      s.config.containers.jobs,
      `console/login-tokens/${verified.nonce}.json`,
      { usedAt: new Date().toISOString(), role: verified.role },
      { ifNoneMatch: "*" },
    );
  } catch (err) {
    if ((err as JobflowError).name === "ConflictError")
      return problem(
        401,
        "Login link already used",
        "Each login link works once: restart `npm start` for a new one, or keep using the signed-in tab.",
      );
    throw err;
  }
  const session = mintSessionCookie(settings.secret, verified.role, Date.now());
  const secure = new URL(request.url).protocol === "https:";
  return {
    status: 303,
    headers: { location: "/api/console/", "set-cookie": sessionSetCookie(session.value, session.maxAgeSeconds, secure) },
    body: "",
  };
});

consoleRoute("consoleSession", "console/api/session", ["GET"], async (request) => {
  const session = authenticateConsole(request);
  const secret = consoleAuthSettings().secret;
  if (!session || !secret) return unauthenticated();
  return json(200, { user: session.user, role: session.role, csrfToken: csrfToken(secret, session), mode: consoleAuthSettings().mode });
});

consoleRoute("consoleLogout", "console/api/logout", ["POST"], async (request) => {
  const session = authenticateConsole(request);
  const secret = consoleAuthSettings().secret;
  if (!session || !secret) return unauthenticated();
  if (!checkCsrf(secret, session, request.headers.get(CSRF_HEADER)))
    return problem(403, "CSRF token missing or wrong", `send the session's token in ${CSRF_HEADER}`);
  return { status: 204, headers: { "set-cookie": sessionSetCookie("", 0, new URL(request.url).protocol === "https:") } };
});

consoleRoute("consoleApi", "console/api/{*path}", ["GET", "POST", "PUT", "PATCH", "DELETE"], async (request, client, context) => {
  const session = authenticateConsole(request);
  const secret = consoleAuthSettings().secret;
  if (!session || !secret) return unauthenticated();
  const method = request.method.toUpperCase();
  if (STATE_CHANGING.has(method) && !checkCsrf(secret, session, request.headers.get(CSRF_HEADER))) {
    return problem(403, "CSRF token missing or wrong", `state-changing calls need the session's token in ${CSRF_HEADER}`);
  }
  const path = (request.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const match = findRoute(method, path);
  if (match.kind === "not-found") return problem(404, "Not found", `no API route /api/${path}`);
  if (match.kind === "method-not-allowed")
    return {
      ...problem(405, "Method not allowed", `use ${match.allow.join(", ")}`),
      headers: { allow: match.allow.join(", "), "content-type": "application/problem+json" },
    };
  const need = requiredRole(match.route, method);
  if (!roleAllows(session.role, need))
    return problem(403, "Forbidden", `${method} /api/${path} needs the ${need} role; this session is a ${session.role}`);
  logJson(context, { event: "console.api", user: session.user, role: session.role, route: match.route.name, method });
  return invokeApiRoute(request, match, path, client, context);
});

consoleRoute("consoleStatic", "console/{*path}", ["GET"], async (request) => {
  if (!authenticateConsole(request)) {
    const page = unauthenticated();
    return {
      ...page,
      headers: { ...(page.headers as Record<string, string>), "content-type": "text/html; charset=utf-8" },
      body: signInPage(consoleAuthSettings().mode),
    };
  }
  return consoleFile((request.params.path ?? "").replace(/^\/+/, ""));
});

function signInPage(mode: "local" | "entra"): string {
  const how =
    mode === "entra"
      ? `<a href="/.auth/login/aad?post_login_redirect_uri=/api/console/">Sign in with your organisation account</a> (an account needs the Jobflow.Reader or Jobflow.Operator app role).`
      : "Open the <code>JOBFLOW_CONSOLE_URL=…</code> link that <code>npm start</code> printed.";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jobflow console — sign in</title></head><body><main><h1>Jobflow console</h1><p>You are not signed in. ${how}</p></main></body></html>`;
}
