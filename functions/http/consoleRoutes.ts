// The console's routes, all under /api/console (see consoleAuth.ts for how callers authenticate):
//   GET  console/login?token=   one-time token → session cookie, then 303 to the console (local mode only)
//   GET  console/api/session    who am I, my role, my CSRF token
//   POST console/api/logout     clears the cookie
//   *    console/api/{*path}    the API route /api/{path}, role-checked, CSRF-checked when state-changing
//   GET  console/{*path}        the built console (index.html for client-side routes)
// Built from RouteDeps by consoleRoutes(deps) (routes.ts lists where each is served; register.ts registers them).
// The Functions authLevel is "anonymous" because these routes authenticate the console session themselves; every
// one of them refuses a request without a valid session (or login token) with 401 — test/integration/console proves it.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { JobflowError } from "../../shared/errors";
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
import type { RouteDeps, RouteHandler } from "./routeDeps";
import type { ConsoleHandlers } from "./routes";
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

/** Every console response carries the security headers, errors included (as problem+json). */
export function guarded(handler: RouteHandler): RouteHandler {
  return (request, client, context) => handler(request, client, context).then(secured, (e: unknown) => secured(errorResponse(e)));
}

// Login tokens and session cookies expire on the wall clock (Date.now()), not deps.clock: `npm start` mints them
// outside the embedded runtime's virtual clock, and a browser session lasts in real time.
export function consoleRoutes(deps: RouteDeps): ConsoleHandlers {
  const consoleLogin: RouteHandler = async (request) => {
    const settings = consoleAuthSettings();
    const token = request.query.get("token") ?? "";
    if (settings.mode !== "local" || !settings.secret) return unauthenticated();
    const verified = verifyLoginToken(settings.secret, token, Date.now());
    if (!verified)
      return problem(401, "Invalid login link", "The login token is unknown, forged or expired: restart `npm start` for a new link.");
    try {
      // Single use: the first exchange creates the marker, any later one conflicts.
      await deps.blobs.putJson(
        deps.config.containers.jobs,
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
  };

  const consoleSession: RouteHandler = async (request) => {
    const session = authenticateConsole(request);
    const secret = consoleAuthSettings().secret;
    if (!session || !secret) return unauthenticated();
    return json(200, { user: session.user, role: session.role, csrfToken: csrfToken(secret, session), mode: consoleAuthSettings().mode });
  };

  const consoleLogout: RouteHandler = async (request) => {
    const session = authenticateConsole(request);
    const secret = consoleAuthSettings().secret;
    if (!session || !secret) return unauthenticated();
    if (!checkCsrf(secret, session, request.headers.get(CSRF_HEADER)))
      return problem(403, "CSRF token missing or wrong", `send the session's token in ${CSRF_HEADER}`);
    return { status: 204, headers: { "set-cookie": sessionSetCookie("", 0, new URL(request.url).protocol === "https:") } };
  };

  const consoleApi: RouteHandler = async (request, client, context) => {
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
  };

  const consoleStatic: RouteHandler = async (request) => {
    if (!authenticateConsole(request)) {
      const page = unauthenticated();
      return {
        ...page,
        headers: { ...(page.headers as Record<string, string>), "content-type": "text/html; charset=utf-8" },
        body: signInPage(consoleAuthSettings().mode),
      };
    }
    return consoleFile((request.params.path ?? "").replace(/^\/+/, ""));
  };

  return {
    consoleLogin: guarded(consoleLogin),
    consoleSession: guarded(consoleSession),
    consoleLogout: guarded(consoleLogout),
    consoleApi: guarded(consoleApi),
    consoleStatic: guarded(consoleStatic),
  };
}

function signInPage(mode: "local" | "entra"): string {
  const how =
    mode === "entra"
      ? `<a href="/.auth/login/aad?post_login_redirect_uri=/api/console/">Sign in with your organisation account</a> (an account needs the Jobflow.Reader or Jobflow.Operator app role).`
      : "Open the <code>JOBFLOW_CONSOLE_URL=…</code> link that <code>npm start</code> printed.";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jobflow console — sign in</title></head><body><main><h1>Jobflow console</h1><p>You are not signed in. ${how}</p></main></body></html>`;
}
