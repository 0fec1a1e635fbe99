// Timer triggers on the host's virtual clock. Schedules are six-field NCRONTAB ("sec min hour day month dow",
// croner with seconds; day-of-month AND day-of-week like NCrontab), a TimeSpan "hh:mm:ss" interval, or either
// behind `%SETTING%`. Time zone: WEBSITE_TIME_ZONE (IANA name) or UTC, as on Linux plans.
// Like the extension's TimerListener: with a schedule status (persisted under dataDir when given) an occurrence
// missed while the host was down fires once at start with IsPastDue=true; runOnStartup fires once at start;
// invocations of one timer never overlap (occurrences that fall due meanwhile queue up, none is dropped, so a
// virtual-clock jump of an hour fires every occurrence in that hour).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Cron } from "croner";
import type { VirtualClock, TimerHandle } from "../clock/virtualClock";
import type { RegisteredFunction } from "./functionsCore";
import { resolveSettingExpression } from "./hostJson";
import type { HostLogger } from "./log";
import type { TriggerInvoker } from "./triggerInvoker";

/** ScheduleStatus as the extension serialises it (DateTime without offset = UTC here). */
export interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

export interface TimerTriggerOptions {
  clock: VirtualClock;
  invoker: TriggerInvoker;
  logger: HostLogger;
  /** Folder for schedule status files; without it status lives in memory only (no past-due detection). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** "Never ran": default(DateTime) as the extension writes it. */
const NEVER = "0001-01-01T00:00:00";

export interface Schedule {
  /** First occurrence strictly after `afterMs`. */
  nextAfter(afterMs: number): number;
  describe: string;
}

/** Parses a timer schedule (after `%SETTING%` resolution). Throws on an invalid expression. */
export function parseSchedule(expression: string, timeZone = "UTC"): Schedule {
  const timeSpan = /^(\d+)\.?(\d{2})?:(\d{2}):(\d{2})$/.exec(expression.trim());
  if (timeSpan) {
    const [days, hh, mm, ss] =
      timeSpan[2] === undefined
        ? [0, Number(timeSpan[1]), Number(timeSpan[3]), Number(timeSpan[4])]
        : [Number(timeSpan[1]), Number(timeSpan[2]), Number(timeSpan[3]), Number(timeSpan[4])];
    const intervalMs = (((days * 24 + hh) * 60 + mm) * 60 + ss) * 1000;
    if (intervalMs <= 0) throw new Error(`Timer interval "${expression}" must be positive.`);
    return { nextAfter: (afterMs) => afterMs + intervalMs, describe: `every ${intervalMs / 1000}s` };
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`"${expression}" is not a valid NCRONTAB expression: six fields expected (second minute hour day month day-of-week).`);
  }
  const cron = new Cron(expression.trim(), { paused: true, timezone: timeZone, legacyMode: false });
  return {
    nextAfter(afterMs) {
      const next = cron.nextRun(new Date(afterMs));
      if (!next) throw new Error(`Schedule "${expression}" has no next occurrence after ${new Date(afterMs).toISOString()}.`);
      return next.getTime();
    },
    describe: expression,
  };
}

interface TimerState {
  registration: RegisteredFunction;
  schedule: Schedule;
  status: ScheduleStatus;
  handle?: TimerHandle;
  chain: Promise<void>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class TimerTriggers {
  private readonly timers: TimerState[] = [];
  private stopped = false;

  constructor(private readonly options: TimerTriggerOptions) {}

  /** Validates every timer function's schedule and starts them (past-due and runOnStartup invocations first). */
  start(functions: RegisteredFunction[]): void {
    const env = this.options.env ?? process.env;
    const timeZone = env.WEBSITE_TIME_ZONE || "UTC";
    const now = this.options.clock.nowMs();
    for (const registration of functions.filter((f) => f.trigger.type.toLowerCase() === "timertrigger")) {
      const raw = String(registration.trigger.schedule ?? "");
      let schedule: Schedule;
      try {
        schedule = parseSchedule(resolveSettingExpression(raw, env), timeZone);
      } catch (err) {
        throw new Error(`Timer function '${registration.name}': ${err instanceof Error ? err.message : String(err)}`);
      }
      const saved = this.loadStatus(registration.name);
      const status: ScheduleStatus = saved ?? { Last: NEVER, Next: iso(schedule.nextAfter(now)), LastUpdated: iso(now) };
      const timer: TimerState = { registration, schedule, status, chain: Promise.resolve() };
      this.timers.push(timer);
      if (!saved) this.saveStatus(registration.name, status); // so an occurrence missed from now on is past due
      const pastDue = saved !== undefined && Date.parse(saved.Next) < now;
      if (pastDue || registration.trigger.runOnStartup === true) {
        this.enqueue(timer, now, pastDue, pastDue ? "pastDue" : "runOnStartup");
      }
      this.options.logger.event("timer.scheduled", `Timer '${registration.name}' schedule ${schedule.describe}`, {
        functionName: registration.name,
        next: iso(schedule.nextAfter(now)),
      });
      this.arm(timer, schedule.nextAfter(now));
    }
  }

  /**
   * Resolves once no timer invocation is running or queued (an occurrence that fell due meanwhile is waited for
   * too). The Durable engine's idle state does not cover timer functions: a driver of a manual clock waits for both
   * before it moves time on, so a run is evaluated at the virtual time it fired.
   */
  async settled(): Promise<void> {
    for (;;) {
      const chains = this.timers.map((t) => t.chain);
      await Promise.all(chains);
      if (this.timers.every((t, i) => t.chain === chains[i])) return;
    }
  }

  /** Cancels pending occurrences and waits for running invocations. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.handle?.cancel();
    await Promise.all(this.timers.map((t) => t.chain));
  }

  private arm(timer: TimerState, dueMs: number): void {
    if (this.stopped) return;
    timer.handle = this.options.clock.setTimer(dueMs, () => {
      // Schedule the following occurrence first so a virtual-clock jump sees it (see file comment).
      this.arm(timer, timer.schedule.nextAfter(dueMs));
      this.enqueue(timer, dueMs, false, "schedule");
    });
  }

  private enqueue(timer: TimerState, occurrenceMs: number, isPastDue: boolean, reason: string): void {
    timer.chain = timer.chain.then(() => this.invoke(timer, occurrenceMs, isPastDue, reason));
  }

  private async invoke(timer: TimerState, occurrenceMs: number, isPastDue: boolean, reason: string): Promise<void> {
    if (this.stopped) return;
    const name = timer.registration.name;
    const input = { Schedule: { AdjustForDST: true }, ScheduleStatus: { ...timer.status }, IsPastDue: isPastDue };
    try {
      await this.options.invoker(timer.registration, {
        triggerData: { json: JSON.stringify(input) },
        logFields: { reason },
      });
    } catch (err) {
      // A failing timer function is logged (by the pipeline) and the schedule goes on, as in Azure.
      void err;
    }
    const now = this.options.clock.nowMs();
    timer.status = { Last: iso(occurrenceMs), Next: iso(timer.schedule.nextAfter(Math.max(now, occurrenceMs))), LastUpdated: iso(now) };
    this.saveStatus(name, timer.status);
    this.options.logger.event("timer.fired", `Timer '${name}' ran (${reason})`, { functionName: name, isPastDue });
  }

  private statusFile(name: string): string | undefined {
    return this.options.dataDir ? path.join(this.options.dataDir, "timers", `${name}.json`) : undefined;
  }

  private loadStatus(name: string): ScheduleStatus | undefined {
    const file = this.statusFile(name);
    if (!file) return undefined;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as ScheduleStatus;
    } catch {
      return undefined;
    }
  }

  private saveStatus(name: string, status: ScheduleStatus): void {
    const file = this.statusFile(name);
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(status));
    renameSync(`${file}.tmp`, file); // atomic replace: a killed host leaves the old or the new status
  }
}
