import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { START_MS, startTestHost, type TestHost } from "./hostHelpers";

interface TimerInput {
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string };
  isPastDue: boolean;
}

const dataDir = mkdtempSync(path.join(tmpdir(), "jobflow-host-timers-"));
const hosts: TestHost[] = [];
afterAll(async () => {
  for (const t of hosts) await t.host.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("local host timer triggers", () => {
  it("fires six-field NCRONTAB schedules from %SETTING% on the virtual clock, plus runOnStartup", async () => {
    const t = await startTestHost({ dataDir });
    hosts.push(t);
    await vi.waitFor(() => expect(t.reports("startup")).toHaveLength(1));
    expect((t.reports("startup")[0] as TimerInput).isPastDue).toBe(false);
    expect(t.reports("tick")).toHaveLength(0);

    await t.clock.advanceBy(15 * 60_000); // "0 */5 * * * *": 00:05, 00:10, 00:15
    await vi.waitFor(() => expect(t.reports("tick")).toHaveLength(3));
    const ticks = t.reports("tick") as TimerInput[];
    // The library camel-cases the host's {Schedule, ScheduleStatus, IsPastDue} shape.
    expect(ticks[0]).toEqual({
      schedule: { adjustForDST: true },
      scheduleStatus: { last: "0001-01-01T00:00:00", next: "2024-01-01T00:05:00.000Z", lastUpdated: new Date(START_MS).toISOString() },
      isPastDue: false,
    });
    expect(ticks[2]?.scheduleStatus.last).toBe("2024-01-01T00:10:00.000Z");
    expect(ticks[2]?.scheduleStatus.next).toBe("2024-01-01T00:15:00.000Z");
    const tickLog = t.logs.find((r) => r.functionName === "Tick" && r.category === "user");
    expect(tickLog?.time).toBe("2024-01-01T00:05:00.000Z");
    await t.host.stop();
  });

  it("reports isPastDue for an occurrence missed while the host was down", async () => {
    // Same dataDir: the first host left Next = 00:20. Restart one hour later.
    const clock = new VirtualClock({ mode: "manual", startMs: START_MS + 75 * 60_000 });
    const t = await startTestHost({ dataDir, clock });
    hosts.push(t);
    await vi.waitFor(() => expect(t.reports("tick")).toHaveLength(1));
    const pastDue = t.reports("tick")[0] as TimerInput;
    expect(pastDue.isPastDue).toBe(true);
    expect(pastDue.scheduleStatus.next).toBe("2024-01-01T00:20:00.000Z");
    await clock.advanceBy(5 * 60_000);
    await vi.waitFor(() => expect(t.reports("tick")).toHaveLength(2));
    expect((t.reports("tick")[1] as TimerInput).isPastDue).toBe(false);
  });

  it("refuses to start with an invalid schedule", async () => {
    await expect(startTestHost({ settings: { TICK_SCHEDULE: "*/5 * * * *", FLAKY_QUEUE: "q", HOSTAPP_HUB: "h" } })).rejects.toThrow(
      /six fields/,
    );
  });
});
