import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startTestHost, type TestHost } from "./hostHelpers";

let t: TestHost;
let api: string;
beforeAll(async () => {
  t = await startTestHost();
  api = `${t.host.url}/api`;
});
afterAll(async () => {
  await t?.host.stop();
});

describe("local host HTTP triggers", () => {
  it("matches route templates with constraints, case-insensitive literals, and passes params, query and cookies", async () => {
    const byId = await fetch(`${api}/ITEMS/42?q=a&q=b&code=${KEYS.hostKeys[0]}`, { headers: { cookie: "c1=v1" } });
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual({ kind: "byId", id: "42", q: "a,b", cookie: "c1=v1" });

    const byName = await fetch(`${api}/items/widget`);
    expect(await byName.json()).toEqual({ kind: "byName", name: "widget" });

    const guid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    expect(await (await fetch(`${api}/things/${guid}`)).json()).toEqual({ id: guid, flag: null });
    expect(await (await fetch(`${api}/things/${guid}/true`)).json()).toEqual({ id: guid, flag: "true" });
    expect((await fetch(`${api}/things/not-a-guid`)).status).toBe(404);
    expect((await fetch(`${api}/things/${guid}/maybe`)).status).toBe(404);

    expect(await (await fetch(`${api}/files/a/b%20c/d.txt`)).text()).toBe("path=a/b c/d.txt");
    expect(await (await fetch(`${api}/files`)).text()).toBe("path=");
  });

  it("answers 404 for unknown routes and 405 for a known route with another method", async () => {
    expect((await fetch(`${api}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${t.host.url}/items/42`)).status).toBe(404); // no route prefix
    const wrong = await fetch(`${api}/echo`, { method: "GET" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, PUT");
  });

  it("checks auth levels with function, host and master keys", async () => {
    expect((await fetch(`${api}/items/1`)).status).toBe(401);
    expect((await fetch(`${api}/items/1?code=wrong`)).status).toBe(401);
    expect((await fetch(`${api}/items/1`, { headers: { "x-functions-key": "getitem-key" } })).status).toBe(200);
    expect((await fetch(`${api}/items/1?code=${KEYS.masterKey}`)).status).toBe(200);
    // admin level: a host key is not enough
    const del = (key: string): Promise<Response> => fetch(`${api}/items/1`, { method: "DELETE", headers: { "x-functions-key": key } });
    expect((await del(KEYS.hostKeys[0] as string)).status).toBe(401);
    expect((await del(KEYS.masterKey)).status).toBe(204);
  });

  it("converts JSON, text and binary bodies, status codes, headers and cookies", async () => {
    const asJson = await fetch(`${api}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: [1, 2] }),
    });
    expect(asJson.status).toBe(201);
    expect(asJson.headers.get("content-type")).toMatch(/application\/json/);
    expect(await asJson.json()).toEqual({ received: { a: [1, 2] } });

    const asText = await fetch(`${api}/echo`, { method: "PUT", headers: { "content-type": "text/plain" }, body: "héllo" });
    expect(asText.status).toBe(202);
    expect(asText.headers.get("x-echo")).toBe("yes");
    expect(asText.headers.get("x-app-start")).toBe("app-start-ran"); // appStart + preInvocation hooks ran
    expect(asText.headers.get("set-cookie")).toBe("session=abc; Path=/; HttpOnly; SameSite=Lax");
    expect(await asText.text()).toBe("text:héllo");

    const bytes = Buffer.from([0, 1, 2, 255]);
    const asBinary = await fetch(`${api}/echo`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(Buffer.from(await asBinary.arrayBuffer())).toEqual(Buffer.from([255, 2, 1, 0]));
  });

  it("answers 500 when the function throws and 204 when it returns nothing, and logs the failure", async () => {
    expect((await fetch(`${api}/crash`)).status).toBe(500);
    expect((await fetch(`${api}/silent`)).status).toBe(204);
    const failure = t.logs.find((r) => r.event === "function.failed" && r.functionName === "Crash");
    expect(failure?.message).toContain("handler crashed");
    expect(failure?.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends Service Bus output bindings to the in-process queue", async () => {
    const res = await fetch(`${api}/forward`, { method: "POST", body: JSON.stringify({ job: "x" }) });
    expect(res.status).toBe(202);
    const peek = await fetch(`${t.host.url}/admin/servicebus/queues/forwarded/messages`, {
      headers: { "x-functions-key": KEYS.masterKey },
    });
    expect(peek.status).toBe(200);
    expect(((await peek.json()) as { body: unknown }[]).map((m) => m.body)).toEqual([{ job: "x" }]);
  });
});
