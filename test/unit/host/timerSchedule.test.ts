import { describe, expect, it } from "vitest";
import { HostKeys } from "../../../local/host/keys";
import { TimerTriggers, parseSchedule } from "../../../local/host/timerTriggers";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { HostLogger } from "../../../local/host/log";
import type { TriggerInvoker } from "../../../local/host/triggerInvoker";
import type { RegisteredFunction } from "../../../local/host/functionsCore";

const at = (iso: string): number => Date.parse(iso);
const next = (expr: string, fromIso: string, tz?: string): string => new Date(parseSchedule(expr, tz).nextAfter(at(fromIso))).toISOString();

describe("timer schedules", () => {
  it("reads six-field NCRONTAB with a seconds field", () => {
    expect(next("*/30 * * * * *", "2024-01-01T00:00:00.000Z")).toBe("2024-01-01T00:00:30.000Z");
    expect(next("0 0 9 * * 1-5", "2024-01-06T00:00:00.000Z")).toBe("2024-01-08T09:00:00.000Z"); // Sat → Mon
  });

  it("combines day-of-month and day-of-week with AND, like NCrontab (first Tuesday of the month)", () => {
    expect(next("0 0 8 1-7 * 2", "2024-01-03T00:00:00.000Z")).toBe("2024-02-06T08:00:00.000Z");
  });

  it("honours the time zone (WEBSITE_TIME_ZONE)", () => {
    expect(next("0 0 9 * * *", "2024-01-01T00:00:00.000Z", "Europe/Paris")).toBe("2024-01-01T08:00:00.000Z");
  });

  it("accepts TimeSpan intervals and rejects five-field cron", () => {
    expect(next("00:10:00", "2024-01-01T00:00:00.000Z")).toBe("2024-01-01T00:10:00.000Z");
    expect(next("1.00:00:00", "2024-01-01T00:00:00.000Z")).toBe("2024-01-02T00:00:00.000Z");
    expect(() => parseSchedule("*/5 * * * *")).toThrow(/six fields/);
  });
});

describe("host keys", () => {
  const keys = new HostKeys({ masterKey: "m", hostKeys: ["h"], functionKeys: { Fn: ["f"] }, systemKeys: { durabletask_extension: "s" } });
  it("applies auth levels", () => {
    expect(keys.authorizeFunction("anonymous", "Fn", undefined)).toBe(true);
    expect(keys.authorizeFunction(undefined, "Fn", "f")).toBe(true); // function is the default level
    expect(keys.authorizeFunction("function", "fn", "h")).toBe(true);
    expect(keys.authorizeFunction("function", "Other", "f")).toBe(false);
    expect(keys.authorizeFunction("admin", "Fn", "h")).toBe(false);
    expect(keys.authorizeFunction("admin", "Fn", "m")).toBe(true);
    expect(keys.authorizeSystem("durabletask_extension", "s")).toBe(true);
    expect(keys.authorizeSystem("durabletask_extension", "h")).toBe(false);
    expect(keys.authorizeAdmin("s")).toBe(false);
  });
  it("generates distinct random keys when none are configured", () => {
    const a = new HostKeys();
    expect(a.masterKey).not.toBe(new HostKeys().masterKey);
    expect(a.durableSystemKey.length).toBeGreaterThan(20);
  });
});

describe("timer triggers settle", () => {
  it("settled() waits for a running invocation and for the occurrences queued behind it", async () => {
    const clock = new VirtualClock({ mode: "manual", startMs: at("2024-01-01T00:00:00.000Z") });
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const invoker: TriggerInvoker = async () => {
      seen.push(clock.now().toISOString());
      if (seen.length === 1) await new Promise<void>((r) => (release = r)); // the first run is slow
      return {} as never;
    };
    const timers = new TimerTriggers({ clock, invoker, logger: new HostLogger(() => undefined, clock) });
    const registration = { name: "Tick", trigger: { type: "timerTrigger", schedule: "0 */5 * * * *" } } as unknown as RegisteredFunction;
    timers.start([registration]);
    await clock.advanceTo(at("2024-01-01T00:10:00.000Z")); // two occurrences fall due; the second queues behind the first
    let settled = false;
    const done = timers.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await done;
    expect(seen).toHaveLength(2);
    await timers.stop();
  });
});
