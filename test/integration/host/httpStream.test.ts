import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_DIR, startTestHost, type TestHost } from "./hostHelpers";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ appEntry: path.join(FIXTURE_DIR, "streaming.ts") });
});
afterAll(async () => {
  await t?.host.stop();
});

describe("local host HTTP streaming (app.setup({ enableHttpStream: true }))", () => {
  it("streams the request body in and a stream body out through the library's proxy", async () => {
    const upload = Buffer.alloc(3 * 1024 * 1024, 7);
    const res = await fetch(`${t.host.url}/api/stream/Abc?x=q1`, { method: "POST", body: upload });
    expect(res.status).toBe(207);
    expect(res.headers.get("x-streamed")).toBe("yes");
    expect(res.headers.get("set-cookie")).toBe("s=1");
    expect(res.headers.get("x-ms-invocation-id")).toBeNull();
    expect(await res.text()).toBe(`Abc:${upload.length}:q1`);
  });

  it("answers 500 when the function throws and 204 when it returns nothing", async () => {
    expect((await fetch(`${t.host.url}/api/stream-crash`)).status).toBe(500);
    expect((await fetch(`${t.host.url}/api/stream-silent`)).status).toBe(204);
  });

  it("still routes, checks methods and 404s", async () => {
    expect((await fetch(`${t.host.url}/api/stream/Abc`, { method: "GET" })).status).toBe(405);
    expect((await fetch(`${t.host.url}/api/stream/123`, { method: "POST" })).status).toBe(404);
  });
});
