// Console auth primitives: login tokens and session cookies (signature, expiry, role tampering), the App Service
// principal header (Entra app roles), CSRF tokens, and the gateway's route matching and role table.
import { describe, expect, it } from "vitest";
import {
  checkCsrf,
  consoleAuthSettings,
  cookieValue,
  csrfToken,
  mintLoginToken,
  mintSessionCookie,
  roleAllows,
  sessionFromClientPrincipal,
  verifyLoginToken,
  verifySessionCookie,
} from "../../../functions/http/consoleAuth";
import { findRoute, matchTemplate, requiredRole } from "../../../functions/http/consoleGateway";
import type { RegisteredApiRoute } from "../../../functions/http/apiRoute";

const SECRET = "s".repeat(43);
const NOW = Date.parse("2026-11-21T08:00:00Z");

describe("login tokens", () => {
  it("verify with their role until they expire", () => {
    const token = mintLoginToken(SECRET, "reader", NOW, 60_000);
    expect(verifyLoginToken(SECRET, token, NOW + 59_999)?.role).toBe("reader");
    expect(verifyLoginToken(SECRET, token, NOW + 60_000)).toBeUndefined();
  });
  it("fail with another secret, a changed role or a changed expiry", () => {
    const token = mintLoginToken(SECRET, "reader", NOW);
    expect(verifyLoginToken("t".repeat(43), token, NOW)).toBeUndefined();
    expect(verifyLoginToken(SECRET, token.replace(/^reader/, "operator"), NOW)).toBeUndefined();
    const [role, exp, nonce, mac] = token.split(".");
    expect(verifyLoginToken(SECRET, [role, String(Number(exp) + 1), nonce, mac].join("."), NOW)).toBeUndefined();
  });
  it("carry distinct nonces", () => {
    const a = verifyLoginToken(SECRET, mintLoginToken(SECRET, "operator", NOW), NOW)?.nonce;
    const b = verifyLoginToken(SECRET, mintLoginToken(SECRET, "operator", NOW), NOW)?.nonce;
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe("session cookies and CSRF", () => {
  it("verify until expiry; tampering fails", () => {
    const { value, maxAgeSeconds } = mintSessionCookie(SECRET, "operator", NOW);
    const session = verifySessionCookie(SECRET, value, NOW);
    expect(session?.role).toBe("operator");
    expect(verifySessionCookie(SECRET, value, NOW + maxAgeSeconds * 1000)).toBeUndefined();
    expect(verifySessionCookie(SECRET, value.replace(/^operator/, "reader"), NOW)).toBeUndefined();
    expect(verifySessionCookie(SECRET, `${value}x`, NOW)).toBeUndefined();
  });
  it("bind the CSRF token to the session", () => {
    const a = verifySessionCookie(SECRET, mintSessionCookie(SECRET, "operator", NOW).value, NOW)!;
    const b = verifySessionCookie(SECRET, mintSessionCookie(SECRET, "operator", NOW).value, NOW)!;
    expect(checkCsrf(SECRET, a, csrfToken(SECRET, a))).toBe(true);
    expect(checkCsrf(SECRET, a, csrfToken(SECRET, b))).toBe(false);
    expect(checkCsrf(SECRET, a, "")).toBe(false);
    expect(checkCsrf(SECRET, a, undefined)).toBe(false);
  });
  it("reads one cookie out of a Cookie header", () => {
    expect(cookieValue("a=1; jobflow_session=x.y.z; b=2", "jobflow_session")).toBe("x.y.z");
    expect(cookieValue(undefined, "jobflow_session")).toBeUndefined();
  });
  it("needs a secret of at least 32 characters and defaults to local mode", () => {
    expect(consoleAuthSettings({}).secret).toBeUndefined();
    expect(consoleAuthSettings({ JOBFLOW_CONSOLE_SECRET: "short" }).secret).toBeUndefined();
    expect(consoleAuthSettings({ JOBFLOW_CONSOLE_SECRET: SECRET, JOBFLOW_CONSOLE_AUTH: "entra" })).toEqual({
      mode: "entra",
      secret: SECRET,
    });
  });
});

describe("App Service principal (entra mode)", () => {
  const header = (claims: { typ: string; val: string }[], extra: Record<string, unknown> = {}): string =>
    Buffer.from(JSON.stringify({ auth_typ: "aad", name_typ: "name", role_typ: "roles", claims, ...extra })).toString("base64");
  const oid = { typ: "http://schemas.microsoft.com/identity/claims/objectidentifier", val: "0000-oid" };
  it("maps the Jobflow app roles; operator wins", () => {
    expect(sessionFromClientPrincipal(header([oid, { typ: "name", val: "Ada" }, { typ: "roles", val: "Jobflow.Reader" }]))).toEqual({
      user: "Ada",
      role: "reader",
      sessionId: "entra:0000-oid",
    });
    expect(
      sessionFromClientPrincipal(header([oid, { typ: "roles", val: "Jobflow.Reader" }, { typ: "roles", val: "Jobflow.Operator" }]))?.role,
    ).toBe("operator");
  });
  it("gives no session without a Jobflow role, or for garbage", () => {
    expect(sessionFromClientPrincipal(header([oid, { typ: "roles", val: "Other.Role" }]))).toBeUndefined();
    expect(sessionFromClientPrincipal("not base64 json")).toBeUndefined();
    expect(sessionFromClientPrincipal(undefined)).toBeUndefined();
  });
  it("orders roles: reader < operator", () => {
    expect(roleAllows("reader", "operator")).toBe(false);
    expect(roleAllows("reader", "reader")).toBe(true);
    expect(roleAllows("operator", "operator")).toBe(true);
  });
});

describe("gateway routing", () => {
  const handler: RegisteredApiRoute["handler"] = async () => ({ status: 200 });
  const routes: RegisteredApiRoute[] = [
    { name: "jobsGet", route: "jobs/{id}", methods: ["GET"], handler },
    { name: "jobsValidate", route: "jobs/validate", methods: ["POST"], handler },
    { name: "jobsCancel", route: "jobs/{id}/cancel", methods: ["POST"], handler },
    { name: "clustersDelete", route: "clusters/{name}", methods: ["DELETE"], handler },
  ];
  it("matches literal and parameter segments (decoded), nothing else", () => {
    expect(matchTemplate("jobs/{id}/cancel", "jobs/j%2D1/cancel")).toEqual({ id: "j-1" });
    expect(matchTemplate("jobs/{id}", "jobs/")).toBeUndefined();
    expect(matchTemplate("jobs/{id}", "jobs/a/b")).toBeUndefined();
  });
  it("prefers literals and reports 405 with the allowed methods", () => {
    const hit = findRoute("POST", "jobs/validate", routes);
    expect(hit.kind === "route" && hit.route.name).toBe("jobsValidate");
    const get = findRoute("GET", "jobs/validate", routes);
    expect(get.kind === "route" && get.route.name).toBe("jobsGet");
    expect(findRoute("GET", "jobs/j-1/cancel", routes)).toEqual({ kind: "method-not-allowed", allow: ["POST"] });
    expect(findRoute("GET", "nope", routes)).toEqual({ kind: "not-found" });
  });
  it("needs the operator role for every state change except validate", () => {
    const role = (name: string, method: string): string =>
      requiredRole(
        routes.find((r) => r.name === name)!,
        method,
      );
    expect(role("jobsGet", "GET")).toBe("reader");
    expect(role("jobsValidate", "POST")).toBe("reader");
    expect(role("jobsCancel", "POST")).toBe("operator");
    expect(role("clustersDelete", "DELETE")).toBe("operator");
  });
});
