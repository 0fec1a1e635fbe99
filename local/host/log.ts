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
export type LogSink = ((record: HostLogRecord) => void) & { jsonLines?: (text: string) => void };

/** Default sink: JSON lines on stdout, Information and above (host.json's default log level). */
export const stdoutLogSink: LogSink = (record) => {
  if (record.level === "trace" || record.level === "debug") return;
  process.stdout.write(`${JSON.stringify(record)}\n`);
};

export type LogFields = Omit<HostLogRecord, "time" | "level" | "category" | "message">;

export class HostLogger {
  constructor(
    private readonly sink: LogSink,
    private readonly clock: Pick<Clock, "nowMs">,
  ) {}

  /** Writes one record; a failing sink never breaks the host. */
  write(level: HostLogLevel, category: HostLogRecord["category"], message: string, fields: LogFields = {}): void {
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
