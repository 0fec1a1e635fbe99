// local/sandbox/requestLog.ts: the list keeps only the newest entries, but the per-component counts cover every
// request since the start (or the last clear) — what bench:scale's ARM/gateway calls per job are computed from.
import { describe, expect, it } from "vitest";
import { RequestLog, type RequestComponent } from "../../../local/sandbox/requestLog";

function add(log: RequestLog, component: RequestComponent, n: number): void {
  for (let i = 0; i < n; i++) log.add({ atMs: i, component, method: "GET", path: `/${component}/${i}`, status: 200 });
}

describe("RequestLog counts", () => {
  it("counts every request by component, also those trimmed from the list", () => {
    const log = new RequestLog();
    add(log, "arm", 20_000);
    add(log, "gateway", 15_000);
    add(log, "keyvault", 3);
    expect(log.list().length).toBeLessThan(25_000);
    expect(log.list({ component: "arm" }).length).toBeLessThan(20_000);
    expect(log.countsByComponent()).toEqual({ arm: 20_000, gateway: 15_000, keyvault: 3, control: 0, prices: 0 });
  });

  it("starts again from zero after clear()", () => {
    const log = new RequestLog();
    add(log, "arm", 5);
    log.clear();
    add(log, "gateway", 2);
    expect(log.countsByComponent()).toEqual({ arm: 0, gateway: 2, keyvault: 0, control: 0, prices: 0 });
    expect(log.list()).toHaveLength(2);
  });
});
