// The console's authentication on the real embedded stack: every registered HTTP route refuses a request without
// credentials (the route-table scan), one-time login tokens, the session cookie's attributes, CSRF on every
// state-changing call, reader vs operator per route, and the function key never opening the console.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { consoleLogin, type ConsoleClient } from "../../support/consoleSession";
import { jobDoc } from "../jobs/jobHelpers";

let stack: TestStack;
let operator: ConsoleClient;
let reader: ConsoleClient;

beforeAll(async () => {
  stack = await startTestStack();
  operator = await consoleLogin(stack, "operator");
  reader = await consoleLogin(stack, "reader");
});
afterAll(async () => stack?.stop());

/** A concrete path for a route template: parameters filled with a placeholder, catch-alls with an API route. */
function concrete(route: string): string {
  return route.replace(/\{\*+\w+\}/g, "api/jobs").replace(/\{[^}]+\}/g, "x");
}

describe("route table scan", () => {
  it("every HTTP route of the app refuses a request that presents no credentials (100 %)", async () => {
    const routes = stack.host.functions.filter((f) => f.trigger.type.toLowerCase() === "httptrigger");
    expect(routes.length).toBeGreaterThan(25);
    const open: string[] = [];
    let checked = 0;
    for (const f of routes) {
      const route = String(f.trigger.route ?? f.name);
      for (const method of (f.trigger.methods as string[] | undefined) ?? ["GET", "POST"]) {
        const res = await fetch(`${stack.host.url}/api/${concrete(route)}`, {
          method,
          redirect: "manual",
          ...(method === "GET" || method === "HEAD" ? {} : { body: "{}" }),
        });
        checked++;
        if (res.status !== 401) open.push(`${method} ${route} → ${res.status}`);
      }
    }
    expect(open).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(routes.length);
  });

  it("the console routes are anonymous to the Functions host only because they check the session themselves", () => {
    const anonymous = stack.host.functions
      .filter((f) => f.trigger.type.toLowerCase() === "httptrigger" && f.trigger.authLevel === "anonymous")
      .map((f) => f.name)
      .sort();
    expect(anonymous).toEqual(["consoleApi", "consoleLogin", "consoleLogout", "consoleSession", "consoleStatic"]);
  });
});

describe("login and session", () => {
  it("exchanges a one-time token for an HttpOnly SameSite=Strict cookie, once", async () => {
    const url = stack.consoleLoginUrl("operator");
    const first = await fetch(url, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/api/console/");
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^jobflow_session=[^;]+; Path=\/api\/console; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const again = await fetch(url, { redirect: "manual" });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { title: string }).title).toBe("Login link already used");
  });

  it("refuses forged, tampered and missing tokens", async () => {
    const url = new URL(stack.consoleLoginUrl("reader"));
    const token = url.searchParams.get("token") as string;
    for (const bad of ["", "nonsense", token.replace(/^reader/, "operator"), `${token.slice(0, -2)}xx`]) {
      const res = await fetch(`${stack.host.url}/api/console/login?token=${encodeURIComponent(bad)}`, { redirect: "manual" });
      expect(res.status, bad).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("GET session names the role and hands out the CSRF token; a forged cookie is no session", async () => {
    expect(operator.role).toBe("operator");
    expect(reader.role).toBe("reader");
    expect(operator.csrf).not.toBe(reader.csrf);
    const forged = operator.cookie.replace(/^jobflow_session=operator/, "jobflow_session=reader");
    const res = await fetch(`${stack.host.url}/api/console/api/session`, { headers: { cookie: forged } });
    expect(res.status).toBe(401);
  });

  it("serves the built console only to a session; / of the local runtime leads to it", async () => {
    const root = await fetch(`${stack.host.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/api/console/");
    const anonymous = await fetch(`${stack.host.url}/api/console/`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain("JOBFLOW_CONSOLE_URL");
    const page = await fetch(`${stack.host.url}/api/console/`, { headers: { cookie: operator.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    const script = /src="(\/api\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${stack.host.url}${script}`, { headers: { cookie: operator.cookie } });
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });
});

describe("console API", () => {
  it("serves the API's handlers to a session and refuses requests without one", async () => {
    expect((await operator.call("/jobs")).status).toBe(200);
    expect((await reader.call("/edges")).status).toBe(200);
    expect((await fetch(`${stack.host.url}/api/console/api/jobs`)).status).toBe(401);
    // The function key opens /api, never the console.
    expect((await fetch(`${stack.host.url}/api/console/api/jobs`, { headers: { "x-functions-key": stack.functionKey } })).status).toBe(401);
    // Locally an App Service principal header is just a header anyone can send.
    const principal = Buffer.from(
      JSON.stringify({
        claims: [
          { typ: "roles", val: "Jobflow.Operator" },
          { typ: "name", val: "mallory" },
        ],
      }),
    ).toString("base64");
    expect((await fetch(`${stack.host.url}/api/console/api/jobs`, { headers: { "x-ms-client-principal": principal } })).status).toBe(401);
  });

  it("refuses a state-changing call without the CSRF token or with a wrong one; nothing is created", async () => {
    const doc = JSON.stringify(jobDoc("csrf-check", [{ id: "a", seconds: 10 }], { idempotencyKey: "csrf-check" }));
    for (const csrf of [null, "", "wrong", reader.csrf]) {
      const res = await operator.call("/jobs", { method: "POST", body: doc, headers: { "content-type": "application/json" }, csrf });
      expect(res.status, String(csrf)).toBe(403);
    }
    expect((await stack.api("/jobs")).ok).toBe(true);
    const jobs = ((await (await stack.api("/jobs")).json()) as { jobs: { name: string }[] }).jobs;
    expect(jobs.map((j) => j.name)).not.toContain("csrf-check");
  });

  it("checks the role per route: a reader reads and validates but cannot cancel, delete or attach", async () => {
    for (const [method, path] of [
      ["POST", "/jobs/j-x/cancel"],
      ["DELETE", "/clusters/c-x"],
      ["POST", "/edges/dss-edge-01/attach"],
      ["POST", "/jobs"],
    ] as const) {
      const res = await reader.call(path, { method, body: "{}", headers: { "content-type": "application/json" } });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain("needs the operator role");
    }
    const invalid = await reader.call("/jobs/validate", { method: "POST", body: JSON.stringify({ name: "x", steps: [{ id: "a" }] }) });
    expect(invalid.status).toBe(400);
    const problems = ((await invalid.json()) as { problems: { pointer: string }[] }).problems;
    expect(problems.map((p) => p.pointer)).toContain("/steps/0/file");
  });

  it("validate returns the plan of a valid document and creates nothing", async () => {
    const res = await operator.call("/jobs/validate", {
      method: "POST",
      body: JSON.stringify(jobDoc("plan-only", [{ id: "a" }, { id: "b", dependsOn: ["a"] }])),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      valid: boolean;
      plan: { batches: { stepId: string; dependsOn: string[] }[]; cluster: { name: string } };
    };
    expect(body.valid).toBe(true);
    expect(body.plan.batches.map((b) => [b.stepId, b.dependsOn])).toEqual([
      ["a", []],
      ["b", ["a"]],
    ]);
    expect(JSON.stringify(body)).not.toContain("Local-Gateway-Passw0rd!");
    const jobs = ((await (await stack.api("/jobs")).json()) as { jobs: { name: string }[] }).jobs;
    expect(jobs.map((j) => j.name)).not.toContain("plan-only");
  });

  it("answers unknown console API routes with 404 and wrong methods with 405", async () => {
    expect((await operator.call("/nope")).status).toBe(404);
    const res = await operator.call("/jobs/j-1/cancel");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
