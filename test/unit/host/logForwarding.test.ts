// Log records written in a durable worker reach the host's sink (local/host/log.ts): as parsed records for a plain
// sink, as the worker's JSON lines for a sink that offers `jsonLines` (npm start's file sink), in order.
import { describe, expect, it } from "vitest";
import { HostLogger, type HostLogRecord, type LogSink } from "../../../local/host/log";

const clock = { nowMs: () => 0 };
const records: HostLogRecord[] = [
  { time: "2026-01-01T00:00:00.000Z", level: "debug", category: "host", message: "one", event: "function.executing" },
  { time: "2026-01-01T00:00:01.000Z", level: "information", category: "user", message: 'two "quoted"\nline', functionName: "F" },
];
const text = records.map((r) => JSON.stringify(r) + "\n").join("");

describe("HostLogger.forwardJsonLines", () => {
  it("parses the lines into records, in order, for a plain sink", () => {
    const seen: HostLogRecord[] = [];
    new HostLogger((r) => void seen.push(r), clock).forwardJsonLines(text);
    expect(seen).toEqual(records);
  });

  it("hands the text as is to a sink that takes JSON lines, and never calls it per record", () => {
    const seen: string[] = [];
    const sink: LogSink = () => {
      throw new Error("called per record");
    };
    sink.jsonLines = (t) => void seen.push(t);
    new HostLogger(sink, clock).forwardJsonLines(text);
    expect(seen).toEqual([text]);
  });
});

describe("HostLogger levels", () => {
  it("skips records below the sink's minLevel before building them, and writes the rest", () => {
    const seen: HostLogRecord[] = [];
    let clockReads = 0;
    const sink: LogSink = Object.assign((r: HostLogRecord) => void seen.push(r), { minLevel: "information" as const });
    const logger = new HostLogger(sink, { nowMs: () => ++clockReads });
    logger.event("function.executing", "starting", {}, "debug");
    logger.write("trace", "system", "noise");
    expect([seen.length, clockReads]).toEqual([0, 0]); // not even the record's time was taken
    logger.write("warning", "user", "kept");
    expect(seen.map((r) => [r.level, r.message])).toEqual([["warning", "kept"]]);
    expect([logger.enabled("debug"), logger.enabled("information"), logger.minLevel]).toEqual([false, true, "information"]);
  });

  it("writes every level to a sink without minLevel (tests' sinks), and an explicit level overrides the sink's", () => {
    const seen: string[] = [];
    const all = new HostLogger((r) => void seen.push(r.level), clock);
    all.write("trace", "host", "t");
    all.write("debug", "host", "d");
    expect([seen, all.minLevel, all.enabled("trace")]).toEqual([["trace", "debug"], undefined, true]);
    const errorsOnly = new HostLogger((r) => void seen.push(r.level), clock, "error");
    errorsOnly.write("warning", "host", "w");
    errorsOnly.write("critical", "host", "c");
    expect(seen).toEqual(["trace", "debug", "critical"]);
  });
});
