// host.json http request limits in the local host (local/host/httpAdmission.ts, hostJson.ts): at most
// maxConcurrentRequests execute, the rest wait in order, and past maxOutstandingRequests a request is refused.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HttpAdmission } from "../../../local/host/httpAdmission";
import { readHostJson } from "../../../local/host/hostJson";

const tick = () => new Promise((r) => setImmediate(r));

describe("HttpAdmission", () => {
  it("runs maxConcurrentRequests at once, queues the rest in order, refuses past maxOutstandingRequests", async () => {
    const admission = new HttpAdmission({ maxConcurrentRequests: 2, maxOutstandingRequests: 4 });
    const order: string[] = [];
    const releases: (() => void)[] = [];
    for (const name of ["a", "b", "c", "d"]) {
      const admitted = admission.admit();
      expect(admitted).toBeDefined();
      void admitted?.then((release) => {
        order.push(name);
        releases.push(release);
      });
    }
    expect(admission.admit()).toBeUndefined(); // fifth: 2 executing + 2 waiting = 4 outstanding
    await tick();
    expect(order).toEqual(["a", "b"]);
    expect(admission.stats).toEqual({ executing: 2, waiting: 2 });
    releases[0]();
    releases[0](); // a second call changes nothing
    await tick();
    expect(order).toEqual(["a", "b", "c"]);
    expect(admission.stats).toEqual({ executing: 2, waiting: 1 });
    expect(admission.admit()).toBeDefined(); // room again
    for (const r of releases) r();
    await tick();
    expect(order).toEqual(["a", "b", "c", "d"]);
  });

  it("without limits admits everything", async () => {
    expect(HttpAdmission.needed({})).toBe(false);
    const admission = new HttpAdmission({});
    const all = await Promise.all(Array.from({ length: 500 }, () => admission.admit()));
    expect(all.every((r) => typeof r === "function")).toBe(true);
  });
});

describe("host.json http limits", () => {
  const hostJson = (http: object): string => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-hostjson-"));
    writeFileSync(join(dir, "host.json"), JSON.stringify({ version: "2.0", extensions: { http } }));
    return join(dir, "host.json");
  };
  it("reads positive whole numbers; -1, zero and junk mean no limit", () => {
    expect(readHostJson(hostJson({ maxConcurrentRequests: 100, maxOutstandingRequests: 200 }))).toMatchObject({
      maxConcurrentRequests: 100,
      maxOutstandingRequests: 200,
    });
    const none = readHostJson(hostJson({ maxConcurrentRequests: -1, maxOutstandingRequests: "200" }));
    expect(none.maxConcurrentRequests).toBeUndefined();
    expect(none.maxOutstandingRequests).toBeUndefined();
  });
  it("the project's host.json bounds the API's queue", () => {
    expect(readHostJson(join(__dirname, "../../../host.json"), { JOBFLOW_TASK_HUB: "x" })).toMatchObject({
      maxConcurrentRequests: 100,
      maxOutstandingRequests: 200,
    });
  });
});
