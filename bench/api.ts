// npm run bench:api -- --rate R --seconds T [--json] — latency of POST /api/jobs at a fixed arrival rate (open
// loop: request i is sent at t0 + i/R whether or not earlier ones answered, so a slow server is not hidden by a
// slower client). The stack runs as under `npm start` in a child process (bench/apiServer.ts); each request is a
// distinct one-step job. Latency counts from the scheduled send time. Prints p50/p99/max, errors and the rate
// actually achieved and the server's CPU per request; figures, never asserted. `--profile DIR` writes a CPU profile of
// the server process; `--api-only` holds the created jobs' work during the run (the API's own cost); `--workers N`
// runs the server's orchestrations and activities in N durable worker threads (local/host/workers; default 1 as
// under `npm start`, 0 = on the API's event loop); `--timeline FILE` writes each request's send time and latency
// (tab-separated, answer order) to see when the slow ones happened. `--warmup-seconds W` (default 2) sends at the same
// rate for W seconds first, in the same open loop, and reports those requests apart (`warmup`): the first second
// after start pays for module loading and JIT compilation (p99 ≈ 75 ms there against ≈ 30 ms after, --api-only), and
// the goal is about the API as it runs, not as it starts; the jobs created meanwhile keep running in the measured window.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { numberArg } from "./scale";
import { startServer, type GcFigures, type ServerFigures, type ServerLatency } from "./apiServerProcess";
import { nearestRankSorted } from "../shared/percentile";

export interface ApiResult {
  rate: number;
  /** The jobs' background work was held during the run (`--api-only`). */
  apiOnly: boolean;
  seconds: number;
  requests: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /**
   * Errors by kind: HTTP status, or the network error's code (ECONNRESET…). A 429 without a Retry-After header
   * counts as "429 without Retry-After": an overloaded host must refuse politely, never reset.
   */
  errorKinds: Record<string, number>;
  /**
   * CPU of the server process (user + system) from the first send to the last answer, per request: the API's own
   * work plus whatever the jobs it created did meanwhile (they run in the same process, as under `npm start`).
   */
  serverCpuMsPerRequest: number;
  /** The part of it spent on the server's main thread (the one answering requests; durable workers excluded). */
  serverMainThreadCpuMsPerRequest: number;
  /**
   * The same requests' latency as the server saw it (answered in the window): from its HTTP server handing the parsed
   * request over to the response's last byte. The gap to p50Ms/p99Ms is time outside the server's JavaScript —
   * waiting to be read while the event loop was busy, the OS scheduling the processes on 2 cores, the client.
   */
  server: ServerLatency | undefined;
  /** The server's event-loop delay during the run (p99, max): how long a ready callback waited behind others. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** The server main thread's GC pauses during the run: count, total, longest; mark-compacts and their longest. */
  gc: GcFigures | undefined;
  /**
   * Background invocations (the created jobs' episodes and activities, Service Bus and timer triggers) started per
   * second during the run, and still waiting at its end: the jobs progress while requests keep arriving.
   */
  backgroundStartedPerSecond: number;
  backgroundWaitingAtEnd: number;
  /** The machine's 1-minute load average at the end of the run (figures from a busy box are not comparable). */
  loadAverage: number;
  /** Durable worker threads of the server (`--workers`; 0 = episodes and activities on the API's event loop). */
  durableWorkers: number;
  /** The warm-up before the measured window (`--warmup-seconds`): its requests, p99, longest and errors. */
  warmup: { seconds: number; requests: number; p99Ms: number; maxMs: number; errors: number };
}

export interface ApiBenchOptions {
  /** Write a V8 CPU profile of the server process there (`--profile DIR`). */
  profileDir?: string;
  /**
   * Hold the created jobs' background work (episodes, activities) during the run (`--api-only`): latency and CPU
   * are then the API's own, as if the jobs ran elsewhere.
   */
  apiOnly?: boolean;
  /** Durable worker threads of the server (default 1, as `npm start`; 0 = on the API's event loop). */
  durableWorkers?: number;
  /**
   * Called with each request's scheduled send time (ms since the first measured one; negative in the warm-up) and
   * latency (`--timeline FILE`).
   */
  onAnswer?: (sentAtMs: number, latencyMs: number) => void;
  /** Seconds sent at the same rate before the measured window, reported apart (`--warmup-seconds`, default 2). */
  warmupSeconds?: number;
}

export async function benchApi(rate: number, seconds: number, options: ApiBenchOptions = {}): Promise<ApiResult> {
  const { profileDir, apiOnly = false, durableWorkers = 1, onAnswer, warmupSeconds = 2 } = options;
  const server = await startServer(profileDir, durableWorkers);
  try {
    const post = (i: number): Promise<Response> =>
      fetch(`${server.apiUrl}/jobs`, {
        method: "POST",
        headers: { "x-functions-key": server.functionKey, "content-type": "application/json" },
        body: JSON.stringify({
          name: `api-bench-${i}`,
          cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
          steps: [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py" }],
        }),
      });
    for (let i = 0; i < 5; i++) await (await post(-1 - i)).text(); // warm-up (module loading, first connections)
    const total = Math.round(rate * seconds);
    const warmupTotal = Math.round(rate * warmupSeconds);
    const latencies: number[] = [];
    const warmupLatencies: number[] = [];
    let errors = 0;
    let warmupErrors = 0;
    const errorKinds: Record<string, number> = {};
    const fail = (i: number, kind: string): void => {
      if (i < 0) return void warmupErrors++;
      errors++;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    };
    if (apiOnly) server.command("hold");
    const tw = performance.now();
    // Request i (negative in the warm-up) is due at t0 + i/rate; the measured window starts at t0.
    const t0 = tw + (warmupTotal * 1000) / rate;
    const pending: Promise<void>[] = [];
    const answered = (i: number, due: number): void => {
      const latency = performance.now() - due;
      (i < 0 ? warmupLatencies : latencies).push(latency);
      onAnswer?.(due - t0, latency);
    };
    let cpuAtStart: Promise<ServerFigures> | undefined;
    let sentMs = 0;
    for (let i = -warmupTotal; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (i === 0) {
        server.command("lat");
        cpuAtStart = server.cpuMs();
      } // also resets the server's event-loop delay and GC figures
      pending.push(
        post(i).then(
          async (res) => {
            await res.text();
            if (res.status === 429 && !res.headers.get("retry-after")) fail(i, "429 without Retry-After");
            else if (res.status !== 202) fail(i, String(res.status));
            answered(i, due);
          },
          (err: unknown) => {
            const cause = (err as { cause?: { code?: string } }).cause;
            fail(i, cause?.code ?? (err as Error).name);
            answered(i, due);
          },
        ),
      );
      if (i === total - 1) sentMs = performance.now() - t0;
    }
    await Promise.all(pending);
    const startFigures = await (cpuAtStart ?? server.cpuMs());
    server.command("lat");
    const atEnd = await server.cpuMs();
    const serverCpuMs = atEnd.cpuMs - startFigures.cpuMs;
    const wallSeconds = (performance.now() - t0) / 1000;
    const backgroundStarted = (atEnd.background?.started ?? NaN) - (startFigures.background?.started ?? NaN);
    if (apiOnly) server.command("resume");
    latencies.sort((a, b) => a - b);
    warmupLatencies.sort((a, b) => a - b);
    const round = (n: number): number => Math.round(n * 10) / 10;
    return {
      rate,
      seconds,
      requests: total,
      apiOnly,
      achievedRate: round(total / (sentMs / 1000)),
      p50Ms: round(nearestRankSorted(latencies, 50)),
      p99Ms: round(nearestRankSorted(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? NaN),
      errors,
      errorKinds,
      serverCpuMsPerRequest: round(serverCpuMs / total),
      serverMainThreadCpuMsPerRequest: round((atEnd.mainThreadCpuMs - startFigures.mainThreadCpuMs) / total),
      eventLoopDelayP99Ms: atEnd.loopDelay.p99Ms,
      eventLoopDelayMaxMs: atEnd.loopDelay.maxMs,
      gc: atEnd.gc,
      server: atEnd.submitLatency,
      backgroundStartedPerSecond: round(backgroundStarted / wallSeconds),
      backgroundWaitingAtEnd: atEnd.background?.waiting ?? NaN,
      loadAverage: round(loadavg()[0] ?? NaN),
      durableWorkers,
      warmup: {
        seconds: warmupSeconds,
        requests: warmupTotal,
        p99Ms: round(nearestRankSorted(warmupLatencies, 99)),
        maxMs: round(warmupLatencies[warmupLatencies.length - 1] ?? NaN),
        errors: warmupErrors,
      },
    };
  } finally {
    await server.stop();
  }
}

/** `--workers N` (0 allowed: everything on the API's event loop); default 1, as under `npm start` (local/start.ts). */
function workersArg(argv: string[]): number {
  const i = argv.indexOf("--workers");
  if (i < 0) return 1;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--workers needs a whole number ≥ 0, got '${argv[i + 1] ?? ""}'`);
  return n;
}

/** `--warmup-seconds W` (0 allowed: no warm-up); default 2. */
function warmupArg(argv: string[]): number {
  const i = argv.indexOf("--warmup-seconds");
  if (i < 0) return 2;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--warmup-seconds needs a number ≥ 0, got '${argv[i + 1] ?? ""}'`);
  return n;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const profileAt = argv.indexOf("--profile");
  const timelineAt = argv.indexOf("--timeline");
  const timeline: string[] = [];
  benchApi(numberArg(argv, "rate", 50), numberArg(argv, "seconds", 10), {
    profileDir: profileAt >= 0 ? argv[profileAt + 1] : undefined,
    apiOnly: argv.includes("--api-only"),
    durableWorkers: workersArg(argv),
    warmupSeconds: warmupArg(argv),
    onAnswer: timelineAt >= 0 ? (at, latency) => void timeline.push(`${at.toFixed(1)}\t${latency.toFixed(1)}\n`) : undefined,
  })
    .then((r) => {
      if (timelineAt >= 0) writeFileSync(argv[timelineAt + 1] ?? "timeline.tsv", `sentAtMs\tlatencyMs\n${timeline.join("")}`);
      if (argv.includes("--json")) console.log(JSON.stringify(r));
      else {
        console.log(
          `POST /api/jobs, open loop at ${r.rate} req/s for ${r.seconds} s (${r.requests} requests; achieved ${r.achievedRate} req/s)${r.apiOnly ? ", jobs held" : ""}, ${r.durableWorkers} durable workers`,
        );
        console.log(
          `  latency p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; errors ${r.errors} ${JSON.stringify(r.errorKinds)}`,
        );
        console.log(
          `  inside the server (${r.server?.count} answered): p50 ${r.server?.p50Ms} ms, p99 ${r.server?.p99Ms} ms, max ${r.server?.maxMs} ms`,
        );
        console.log(
          `  server CPU ${r.serverCpuMsPerRequest} ms per request (with the created jobs' work meanwhile; main thread ${r.serverMainThreadCpuMsPerRequest} ms); event-loop delay p99 ${r.eventLoopDelayP99Ms} ms, max ${r.eventLoopDelayMaxMs} ms; load average ${r.loadAverage}`,
        );
        console.log(
          `  GC on the server's main thread: ${r.gc?.count} pauses, ${r.gc?.totalMs} ms in all, longest ${r.gc?.maxMs} ms; ${r.gc?.majorCount} mark-compact, longest ${r.gc?.majorMaxMs} ms`,
        );
        console.log(
          `  warm-up before the window (not counted above): ${r.warmup.seconds} s, ${r.warmup.requests} requests, p99 ${r.warmup.p99Ms} ms, max ${r.warmup.maxMs} ms, ${r.warmup.errors} errors`,
        );
        console.log(
          `  background invocations (the jobs' work) ${r.backgroundStartedPerSecond}/s during the run, ${r.backgroundWaitingAtEnd} waiting at its end`,
        );
      }
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
