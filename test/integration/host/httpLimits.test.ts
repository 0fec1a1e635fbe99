// host.json extensions.http.maxConcurrentRequests / maxOutstandingRequests on the real local host: one request
// executes, one waits, the third is refused with 429 at once; the waiting one runs when the first is answered.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_DIR, startTestHost, type TestHost } from "./hostHelpers";

let t: TestHost;
let release: () => void = () => undefined;

beforeAll(async () => {
  const hostJson = JSON.parse(readFileSync(path.join(FIXTURE_DIR, "host.json"), "utf8")) as {
    extensions: { http: Record<string, unknown> };
  };
  hostJson.extensions.http = { ...hostJson.extensions.http, maxConcurrentRequests: 1, maxOutstandingRequests: 2 };
  const dir = mkdtempSync(path.join(tmpdir(), "jobflow-httplimits-"));
  writeFileSync(path.join(dir, "host.json"), JSON.stringify(hostJson));
  t = await startTestHost({ hostJsonPath: path.join(dir, "host.json") });
});
afterAll(async () => {
  release();
  await t?.host.stop();
});

/** Polls a condition (no timing assumption: however slow the machine, it waits for the state itself). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe("local host request limits", () => {
  it("queues past maxConcurrentRequests and refuses past maxOutstandingRequests with 429", async () => {
    (globalThis as { hostAppHold?: Promise<void> }).hostAppHold = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const first = fetch(`${t.host.url}/api/hold`).then(async (r) => {
      order.push("first");
      return r.status;
    });
    await until(() => t.host.requestStats().executing === 1);
    const second = fetch(`${t.host.url}/api/hold`).then(async (r) => {
      order.push("second");
      return r.status;
    });
    await until(() => t.host.requestStats().waiting === 1); // the second waits for the first's slot
    const third = await fetch(`${t.host.url}/api/hold`);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(order).toEqual([]);
    expect(t.logs.some((l) => (l as { event?: string }).event === "http.throttled")).toBe(true);
    release();
    expect(await first).toBe(200);
    expect(await second).toBe(200);
    expect(order).toEqual(["first", "second"]);
    // Room again once they are answered.
    const again = await fetch(`${t.host.url}/api/hold`);
    expect(again.status).toBe(200);
    // Kestrel's keep-alive timeout, not node's 5 s: a loaded client does not reuse a connection the host just closed.
    expect(again.headers.get("keep-alive")).toBe("timeout=130");
  });
});
