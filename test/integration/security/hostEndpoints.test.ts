// Issue 11, item 2: no endpoint of the local host answers without a key. Every HTTP function route the app
// registers (each method, route parameters filled in), the Durable management API under both base paths and the
// host's admin endpoints answer 401 or 404 without a key; the durable RPC path answers only under the per-process
// token the SDK is given. And the attack of the issue fails: a job whose notify.webhook points at the durable
// endpoint to terminate another job is refused, and the other job runs to its end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { finish, jobDoc, record } from "../jobs/jobHelpers";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ settings: { JOBFLOW_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" } }); // even a broad local allow-list
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** A concrete path for a route template: every parameter filled with a plausible value. */
function concrete(template: string): string {
  return template
    .split("/")
    .map((seg) => (seg.startsWith("{") ? "x1" : seg))
    .join("/");
}

async function statusOf(method: string, url: string): Promise<number> {
  const res = await fetch(url, {
    method,
    ...(method === "GET" || method === "HEAD" ? {} : { body: "{}", headers: { "content-type": "application/json" } }),
    redirect: "manual",
  });
  await res.arrayBuffer();
  return res.status;
}

describe("every path of the host without a key", () => {
  it("HTTP functions: 401 or 404 (the console's routes: its own session check)", async () => {
    const routes = stack.host.functions.filter((f) => f.trigger.type.toLowerCase() === "httptrigger");
    expect(routes.length).toBeGreaterThan(20);
    const answered: string[] = [];
    for (const f of routes) {
      const route = typeof f.trigger.route === "string" ? f.trigger.route : f.name;
      const methods = Array.isArray(f.trigger.methods) ? (f.trigger.methods as string[]) : ["GET", "POST"];
      for (const method of methods) {
        const url = `${stack.apiUrl}/${concrete(route)}`;
        const status = await statusOf(method.toUpperCase(), url);
        // Static console assets and its login page are the only anonymous answers (no data, no action).
        const isConsoleShell = route.startsWith("console") && method.toUpperCase() === "GET" && !route.startsWith("console/api");
        if (![401, 404].includes(status) && !(isConsoleShell && [200, 302, 303, 400].includes(status)))
          answered.push(`${method} /api/${concrete(route)} → ${status}`);
      }
    }
    expect(answered).toEqual([]);
  }, 120_000);

  it("Durable management API: webhooks need the system key, the RPC path its per-process token", async () => {
    const id = await stack.submit(jobDoc("victim", [{ id: "s", seconds: 60 }]));
    const base = stack.host.url;
    const paths: [string, string][] = [
      ["GET", "/durabletask/instances"],
      ["GET", `/durabletask/instances/${id}?showInput=true`],
      ["POST", `/durabletask/instances/${id}/terminate?reason=x`],
      ["POST", `/durabletask/instances/${id}/raiseEvent/cancel`],
      ["POST", `/durabletask/instances/${id}/suspend`],
      ["DELETE", `/durabletask/instances/${id}`],
      ["DELETE", "/durabletask/instances?createdTimeFrom=2000-01-01T00:00:00Z"],
      ["POST", "/durabletask/orchestrators/jobRun/evil"],
      ["GET", "/durabletask/guess/instances"],
      ["GET", "/runtime/webhooks/durabletask/instances"],
      ["POST", `/runtime/webhooks/durabletask/instances/${id}/terminate?reason=x`],
      ["POST", "/runtime/webhooks/durabletask/orchestrators/jobRun/evil"],
      ["GET", `/runtime/webhooks/durabletask/instances/${id}?code=${stack.functionKey}`], // a function key is not enough
      ["GET", "/admin/servicebus/queues/jobs/messages"],
      ["POST", "/admin/servicebus/queues/jobs/messages"],
      ["GET", "/admin/servicebus/topics/jobflow-events/messages"],
    ];
    const bad: string[] = [];
    for (const [method, path] of paths) {
      const status = await statusOf(method, `${base}${path}`);
      if (![401, 404].includes(status)) bad.push(`${method} ${path} → ${status}`);
    }
    expect(bad).toEqual([]);
    // The app's own durable client still works (its binding data carries the token): the job runs to its end.
    expect((await finish(stack, id)).state).toBe("succeeded");
  }, 120_000);

  it("the attack: a job's notify.webhook at the durable endpoint is refused, and the victim runs on", async () => {
    const victim = await stack.submit(jobDoc("victim-2", [{ id: "s", seconds: 300 }]));
    const host = new URL(stack.host.url).host;
    for (const webhook of [
      `http://${host}/durabletask/instances/${victim}/terminate?reason=pwned`,
      `http://${host}/runtime/webhooks/durabletask/instances/${victim}/terminate?reason=pwned&code=x`,
      `https://${host}/durabletask/instances/${victim}/terminate`,
      `http://localhost:${new URL(stack.host.url).port}/durabletask/instances/${victim}/terminate`,
    ]) {
      const res = await stack.api("/jobs", {
        method: "POST",
        body: JSON.stringify(jobDoc("attacker", [{ id: "s", seconds: 1 }], { notify: { webhook } })),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, webhook).toBe(400);
      const body = (await res.json()) as { problems: { pointer: string; message: string }[] };
      expect(body.problems.map((p) => p.pointer)).toEqual(["/notify/webhook"]);
    }
    // Even sent by hand without the token, the terminate does nothing.
    expect(await statusOf("POST", `${stack.host.url}/durabletask/instances/${victim}/terminate?reason=pwned`)).toBe(404);
    const r = await finish(stack, victim);
    expect(r.state).toBe("succeeded");
    expect((await record(stack, victim)).cluster.name).toBeDefined();
  }, 120_000);
});
