// Child process of bench/api.ts: the embedded stack as `npm start` runs it (scaled clock at 60×, Azurite
// persisted under a temp folder, host log to a file with npm start's sink) on ephemeral ports. Prints one JSON line
// {apiUrl, functionKey} when ready; answers each line "cpu" on stdin with one JSON line {cpuMs, mainThreadCpuMs,
// loopDelay, background} (this process's user + system CPU so far — every thread —, that of its main thread alone,
// the one that answers requests (Linux /proc; NaN elsewhere), event-loop delay p99/max since the last "cpu", background invocations
// started so far and waiting now); "hold"/"resume" hold and resume every background invocation (the jobs' episodes
// and activities; local/host/foreground.ts); stops when its stdin closes (the parent ended, whichever way). The "cpu"
// answer also carries the server-side latency of the POST /api/jobs answered since the last "cpu": from the moment
// Node's HTTP server handed the request to the host (headers parsed) to the response's last byte, read from Node's
// built-in diagnostics channels, so the time a request waited before the event loop read it is left out on purpose.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createInterface } from "node:readline";
import { nearestRankSorted } from "../shared/percentile";
import { VirtualClock } from "../local/clock/virtualClock";
import { logSinkToFile } from "../local/logFile";
import { startStack } from "../local/stack";

/** CPU (user + system, ms) of this process's main thread: /proc/self/task/<pid>/stat, NaN where there is none. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

/** Server-side latencies (ms) of POST /api/jobs, collected from Node's http.server diagnostics channels. */
function watchSubmitLatency(): () => { count: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const started = new WeakMap<IncomingMessage, number>();
  let latencies: number[] = [];
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    if (request.method === "POST" && request.url?.startsWith("/api/jobs")) started.set(request, performance.now());
  });
  subscribe("http.server.response.finish", (message) => {
    const { request } = message as { request: IncomingMessage; response: ServerResponse };
    const at = started.get(request);
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  return () => {
    const sorted = latencies.sort((a, b) => a - b);
    latencies = [];
    const round = (n: number): number => Math.round(n * 10) / 10;
    const pick = (p: number): number => round(nearestRankSorted(sorted, p));
    return { count: sorted.length, p50Ms: pick(50), p99Ms: pick(99), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
  };
}

async function main(): Promise<void> {
  const submitLatency = watchSubmitLatency();
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-bench-api-"));
  const logFile = join(dataDir, "host.log");
  const clock = new VirtualClock({ mode: "scaled", speed: 60, startMs: Date.now() });
  // API_BENCH_FOREGROUND=off runs the host without API priority (local/host/foreground.ts), for comparison.
  const foreground = process.env.API_BENCH_FOREGROUND === "off" ? { foreground: false as const } : {};
  const stack = await startStack({
    dataDir,
    clock,
    persistStorage: true,
    host: { logSink: logSinkToFile(logFile), ...foreground },
  });
  process.stdout.write(JSON.stringify({ apiUrl: stack.apiUrl, functionKey: stack.functionKey }) + "\n");
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  // The main thread's garbage-collection pauses since the last "cpu": count, total, longest, and the major ones.
  let gc = { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorCount++;
        gc.majorMaxMs = Math.max(gc.majorMaxMs, entry.duration);
      }
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const command = line.trim();
    if (command === "hold") return stack.host.foreground?.hold();
    if (command === "resume") return stack.host.foreground?.resume();
    if (command !== "cpu") return;
    const { user, system } = process.cpuUsage();
    // Event-loop delay since the previous "cpu": how long a ready callback (an arriving request) waited at worst.
    const delay = { p99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10, maxMs: Math.round(loopDelay.max / 1e5) / 10 };
    loopDelay.reset();
    const round = (n: number): number => Math.round(n * 10) / 10;
    const gcFigures = { ...gc, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs), majorMaxMs: round(gc.majorMaxMs) };
    gc = { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 };
    // Background invocations let through so far and waiting now (the jobs' progress while requests arrive).
    const gate = stack.host.foreground?.stats;
    const background = gate ? { started: gate.started, waiting: gate.waiting } : undefined;
    const cpu = { cpuMs: Math.round((user + system) / 1000), mainThreadCpuMs: mainThreadCpuMs() };
    process.stdout.write(JSON.stringify({ ...cpu, loopDelay: delay, background, gc: gcFigures, submitLatency: submitLatency() }) + "\n");
  });
  lines.on("close", () => {
    // The data folder goes at exit, after the log file's last flush (an exit listener registered before this one).
    process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
    void stack.stop().finally(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
