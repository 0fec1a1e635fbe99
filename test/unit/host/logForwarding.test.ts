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
