// The host log of `npm start` (and of bench:api, which runs the stack the same way): JSON lines appended to a file.
import { appendFileSync } from "node:fs";
import type { LogSink } from "./host/log";

/**
 * Host log lines go to the file in batches (every 100 ms, and at exit) rather than one synchronous append per
 * record: under load that append was a measurable share of the API's CPU. A kill -9 loses at most 100 ms of log.
 */
export function logSinkToFile(file: string): LogSink {
  let buffered: string[] = [];
  const flush = (): void => {
    if (buffered.length === 0) return;
    const text = buffered.join("");
    buffered = [];
    appendFileSync(file, text);
  };
  setInterval(flush, 100).unref();
  process.on("exit", flush);
  const sink: LogSink = (record) => {
    buffered.push(JSON.stringify(record) + "\n");
    if (record.level === "error" || record.level === "critical") process.stderr.write(`[host] ${record.message}\n`);
  };
  // Records of durable workers arrive serialized already (local/host/log.ts; errors still come one by one above).
  sink.jsonLines = (text) => void buffered.push(text);
  return sink;
}
