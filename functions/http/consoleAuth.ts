// Console authentication: who is calling and with which role, without ever putting a function key into a browser.
//   local mode (default): `npm start` prints a one-time login URL; its token (HMAC-signed, expiring, single use) is
//     exchanged for an HttpOnly SameSite=Strict session cookie, itself HMAC-signed (role, session id, expiry).
//   entra mode (JOBFLOW_CONSOLE_AUTH=entra, set by infra/): App Service Authentication signs the user in with Entra
//     ID and injects `x-ms-client-principal`; the app roles Jobflow.Operator / Jobflow.Reader give the role. That
//     header is trusted ONLY in entra mode (App Service strips it from client requests); locally it is ignored.
// Every state-changing call also needs `x-jobflow-csrf`: an HMAC of the session id, handed out by GET session.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type ConsoleRole = "reader" | "operator";
export const CONSOLE_ROLES: readonly ConsoleRole[] = ["reader", "operator"];
export const SESSION_COOKIE = "jobflow_session";
export const CSRF_HEADER = "x-jobflow-csrf";
export const ENTRA_ROLE: Record<string, ConsoleRole> = { "Jobflow.Operator": "operator", "Jobflow.Reader": "reader" };

const SESSION_TTL_MS = 8 * 3_600_000;
const LOGIN_TTL_MS = 24 * 3_600_000;

export interface ConsoleSession {
  /** Who: "local-operator", or the Entra user's object id / name. */
  user: string;
  role: ConsoleRole;
  /** Binds the CSRF token; random per local session, the user id in entra mode. */
  sessionId: string;
}

export type AuthMode = "local" | "entra";

export interface ConsoleAuthSettings {
  mode: AuthMode;
  /** HMAC key (base64url or any string of ≥ 32 characters); without it nothing authenticates. */
  secret: string | undefined;
}

export function consoleAuthSettings(env: NodeJS.ProcessEnv = process.env): ConsoleAuthSettings {
  const mode = env.JOBFLOW_CONSOLE_AUTH === "entra" ? "entra" : "local";
  const secret = env.JOBFLOW_CONSOLE_SECRET;
  return { mode, secret: secret !== undefined && secret.length >= 32 ? secret : undefined };
}

export function newConsoleSecret(): string {
  return randomBytes(32).toString("base64url");
}

function mac(secret: string, purpose: string, payload: string): string {
  return createHmac("sha256", secret).update(`${purpose}|${payload}`).digest("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isRole(x: string | undefined): x is ConsoleRole {
  return x === "reader" || x === "operator";
}

/** A one-time login token: `<role>.<expiresMs>.<nonce>.<mac>`. The nonce is what makes it single-use. */
export function mintLoginToken(secret: string, role: ConsoleRole, nowMs: number, ttlMs = LOGIN_TTL_MS): string {
  const payload = `${role}.${nowMs + ttlMs}.${randomBytes(16).toString("base64url")}`;
  return `${payload}.${mac(secret, "login", payload)}`;
}

/** The role and nonce of a genuine, unexpired login token; undefined otherwise (single use is checked by the caller). */
export function verifyLoginToken(secret: string, token: string, nowMs: number): { role: ConsoleRole; nonce: string } | undefined {
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [role, expires, nonce, signature] = parts as [string, string, string, string];
  if (!safeEqual(signature, mac(secret, "login", `${role}.${expires}.${nonce}`))) return undefined;
  if (!isRole(role) || !(Number(expires) > nowMs) || !/^[A-Za-z0-9_-]{16,}$/.test(nonce)) return undefined;
  return { role, nonce };
}

/** The session cookie's value: `<role>.<sessionId>.<expiresMs>.<mac>`. */
export function mintSessionCookie(secret: string, role: ConsoleRole, nowMs: number): { value: string; maxAgeSeconds: number } {
  const payload = `${role}.${randomBytes(18).toString("base64url")}.${nowMs + SESSION_TTL_MS}`;
  return { value: `${payload}.${mac(secret, "session", payload)}`, maxAgeSeconds: SESSION_TTL_MS / 1000 };
}

export function verifySessionCookie(secret: string, value: string, nowMs: number): ConsoleSession | undefined {
  const parts = value.split(".");
  if (parts.length !== 4) return undefined;
  const [role, sessionId, expires, signature] = parts as [string, string, string, string];
  if (!safeEqual(signature, mac(secret, "session", `${role}.${sessionId}.${expires}`))) return undefined;
  if (!isRole(role) || !(Number(expires) > nowMs)) return undefined;
  return { user: `local-${role}`, role, sessionId };
}

/** The `Set-Cookie` header of a session (Secure when the console is served over https). */
export function sessionSetCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/api/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The session of an App Service Authentication principal (`x-ms-client-principal`, base64 JSON with `claims`
 * and `role_typ`). The role is the strongest Jobflow app role present; no Jobflow role = no session.
 */
export function sessionFromClientPrincipal(header: string | null | undefined): ConsoleSession | undefined {
  if (!header) return undefined;
  let principal: { claims?: { typ?: string; val?: string }[]; role_typ?: string; name_typ?: string };
  try {
    principal = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as typeof principal;
  } catch {
    return undefined;
  }
  const claims = Array.isArray(principal.claims) ? principal.claims : [];
  const roleTypes = new Set(["roles", principal.role_typ ?? "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"]);
  const roles = claims.filter((c) => c.typ !== undefined && roleTypes.has(c.typ)).map((c) => ENTRA_ROLE[c.val ?? ""]);
  const role: ConsoleRole | undefined = roles.includes("operator") ? "operator" : roles.includes("reader") ? "reader" : undefined;
  const claim = (...types: string[]): string | undefined => claims.find((c) => c.typ !== undefined && types.includes(c.typ))?.val;
  const id = claim("http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", principal.name_typ ?? "name", "name");
  if (!role || !id) return undefined;
  return { user: claim(principal.name_typ ?? "name", "name", "preferred_username") ?? id, role, sessionId: `entra:${id}` };
}

/** The CSRF token of a session (an HMAC of its id: readable only by pages of our origin, via GET session). */
export function csrfToken(secret: string, session: ConsoleSession): string {
  return mac(secret, "csrf", session.sessionId);
}

export function checkCsrf(secret: string, session: ConsoleSession, presented: string | null | undefined): boolean {
  return typeof presented === "string" && presented !== "" && safeEqual(presented, csrfToken(secret, session));
}

/** Reader < operator. */
export function roleAllows(have: ConsoleRole, need: ConsoleRole): boolean {
  return have === "operator" || need === "reader";
}
