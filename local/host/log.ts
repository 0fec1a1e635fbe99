// Structured log lines of the local host: one JSON object per line, for `context.log` (category "user"), the
// library's system log and host events. Tests pass a `logSink` to capture records instead of printing them.
import type { Clock } from "../../shared/clock";

export type HostLogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical";

export interface HostLogRecord {
  /** ISO time on the host's clock (virtual in tests). */
  time: string;
  level: HostLogLevel;
  /** "user" = context.log, "system" = @azure/functions' own log, "host" = this host's events. */
  category: "user" | "system" | "host";
  message: string;
  /** Short machine-readable name of a host event, e.g. "http.request", "servicebus.deadLettered". */
  event?: string;
  functionName?: string;
  invocationId?: string;
  instanceId?: string;
  [field: string]: unknown;
}

/**
 * Receives each record. A sink that writes JSON lines anyway may also offer `jsonLines`: records written in a
 * durable worker then arrive there as the worker serialized them (`JSON.stringify(record) + "\n"` each, several
 * per call) — no parse on the host's thread; error and critical records still come one by one through the call.
 */
export type LogSink = ((record: HostLogRecord) => void) & {
  jsonLines?: (text: string) => void;
  /**
   * The lowest level the sink keeps, when it drops the rest anyway: records below it are never built (nor, in a
   * durable worker, serialized and sent). A 10-step job writes ≈ 580 debug records (function.executing and
   * .succeeded, the invocations' JSON lines), so this is not free. Absent: every record reaches the sink (tests).
   */
  minLevel?: HostLogLevel;
};

const LEVEL_RANK: Record<HostLogLevel, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5 };

/** Default sink: JSON lines on stdout, Information and above (host.json's default log level). */
export const stdoutLogSink: LogSink = Object.assign(
  (record: HostLogRecord): void => {
    if (LEVEL_RANK[record.level] < LEVEL_RANK.information) return;
    process.stdout.write(`${JSON.stringify(record)}\n`);
  },
  { minLevel: "information" as const },
);

/** A sink that keeps nothing (benchmarks): every record is skipped before it is built. */
export const discardLogSink: LogSink = Object.assign((): void => undefined, {
  minLevel: "critical" as const,
  jsonLines: (): void => undefined,
});

export type LogFields = Omit<HostLogRecord, "time" | "level" | "category" | "message">;

export class HostLogger {
  private readonly minRank: number;

  constructor(
    private readonly sink: LogSink,
    private readonly clock: Pick<Clock, "nowMs">,
    /**
     * The lowest level written; records below it are skipped (default: the sink's own minLevel; undefined = all).
     * A durable worker's logger is given the main logger's.
     */
    readonly minLevel: HostLogLevel | undefined = sink.minLevel,
  ) {
    this.minRank = minLevel === undefined ? 0 : LEVEL_RANK[minLevel];
  }

  /** Whether a record at `level` would be written (callers skip building costly messages otherwise). */
  enabled(level: HostLogLevel): boolean {
    return LEVEL_RANK[level] >= this.minRank;
  }

  /** Writes one record; a failing sink never breaks the host. */
  write(level: HostLogLevel, category: HostLogRecord["category"], message: string, fields: LogFields = {}): void {
    if (LEVEL_RANK[level] < this.minRank) return;
    const record: HostLogRecord = {
      time: new Date(this.clock.nowMs()).toISOString(),
      level,
      category,
      message,
      ...fields,
    };
    try {
      this.sink(record);
    } catch {
      // A test sink that throws must not turn into a function failure.
    }
  }

  /** Passes on a record written elsewhere (a durable worker's logger), unchanged: its time, fields, category. */
  forward(record: HostLogRecord): void {
    try {
      this.sink(record);
    } catch {
      // as in write()
    }
  }

  /** Passes on records a durable worker serialized (JSON lines): as text to a `jsonLines` sink, else parsed. */
  forwardJsonLines(text: string): void {
    try {
      if (this.sink.jsonLines) return this.sink.jsonLines(text);
      for (const line of text.split("\n")) if (line) this.sink(JSON.parse(line) as HostLogRecord);
    } catch {
      // as in write()
    }
  }

  /** A host event (category "host"). */
  event(event: string, message: string, fields: Omit<LogFields, "event"> = {}, level: HostLogLevel = "information"): void {
    this.write(level, "host", message, { ...fields, event });
  }
}

/** Maps the core API's log level names (which include "none") onto ours. */
export function toHostLogLevel(level: string): HostLogLevel {
  switch (level) {
    case "trace":
    case "debug":
    case "information":
    case "warning":
    case "error":
    case "critical":
      return level;
    default:
      return "information";
  }
}
