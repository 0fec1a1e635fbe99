// The bench:api server as a child process (bench/apiServer.ts) seen from the benchmark: start it, ask its figures
// (CPU, event-loop delay, GC, server-side latency), send it commands, stop it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The server main thread's garbage-collection pauses during the run (perf_hooks "gc" entries). */
export interface GcFigures {
  count: number;
  totalMs: number;
  maxMs: number;
  /** Mark-compact collections (the long ones). */
  majorCount: number;
  majorMaxMs: number;
}

export interface ServerFigures {
  cpuMs: number;
  mainThreadCpuMs: number;
  loopDelay: { p99Ms: number; maxMs: number };
  gc?: GcFigures;
  background?: { started: number; waiting: number };
  submitLatency?: ServerLatency;
}

/** POST /api/jobs latency inside the server: from Node's HTTP server handing over the parsed request to the last byte. */
export interface ServerLatency {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BenchServer {
  apiUrl: string;
  functionKey: string;
  /** The server process's CPU so far (user + system, ms) and its event-loop delay since the last call. */
  cpuMs: () => Promise<ServerFigures>;
  /** Sends a line to the server ("hold", "resume"). */
  command: (line: string) => void;
  stop: () => Promise<void>;
}

export async function startServer(profileDir: string | undefined, durableWorkers: number): Promise<BenchServer> {
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  // API_BENCH_NODE_FLAGS: extra node/V8 flags for the server process (experiments), e.g. "--max-semi-space-size=32".
  const flags = (process.env.API_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, "--import", "tsx", join(__dirname, "apiServer.ts")], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, JOBFLOW_DURABLE_WORKERS: String(durableWorkers) },
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench/apiServer.ts exited with ${code}`)));
  });
  const info = JSON.parse(first) as { apiUrl: string; functionKey: string };
  return {
    ...info,
    cpuMs: () =>
      new Promise((resolve) => {
        lines.once("line", (line) => resolve(JSON.parse(line) as ServerFigures));
        child.stdin.write("cpu\n");
      }),
    command: (line: string) => void child.stdin.write(`${line}\n`),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
