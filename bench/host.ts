// npm run bench:host — Durable engine figures (printed, never asserted): orchestrations/second for a
// 10-activity orchestration (1,000 instances, manual virtual clock) on the in-memory and the file store,
// p50/p99 episode latency, peak RSS, and episode cost vs history length. Orchestrators and activities run
// through the functions host's real invocation pipeline (fake @azure/functions-core + the library's model).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { VirtualClock } from "../local/clock/virtualClock";
import { DurableEngine } from "../local/host/durable/engine";
import { FileInstanceStore } from "../local/host/durable/fileStore";
import type { DurableInvokerPort } from "../local/host/durable/ports";
import { MemoryInstanceStore, type InstanceStore } from "../local/host/durable/store";
import { createDurableInvoker } from "../local/host/durableInvoker";
import { installFunctionsCore } from "../local/host/functionsCore";
import { HostLogger } from "../local/host/log";

const INSTANCES = 1000;
const ACTIVITIES = 10;

function registerApp(): void {
  installFunctionsCore(); // before the first require of @azure/functions
  const df = require("durable-functions") as typeof import("durable-functions");
  df.app.activity("BenchStep", { handler: (input: unknown) => Number(input) + 1 });
  df.app.orchestration("BenchTen", function* (context) {
    let value = 0;
    for (let i = 0; i < ACTIVITIES; i++) value = (yield context.df.callActivity("BenchStep", value)) as number;
    return value;
  });
  df.app.orchestration("BenchChain", function* (context) {
    const steps = context.df.getInput() as number;
    for (let i = 0; i < steps; i++) yield context.df.callActivity("BenchStep", i);
    return steps;
  });
}

function invoker(): DurableInvokerPort {
  const logger = new HostLogger(() => undefined, { nowMs: () => Date.now() });
  const inner = createDurableInvoker(logger);
  return {
    orchestrator: (name, payload, options) => inner.invokeOrchestrator(name, payload, options),
    activity: (name, input, options) => inner.invokeActivity(name, input, options),
    hasOrchestrator: (name) => inner.hasOrchestrator(name),
  };
}

async function newEngine(store: InstanceStore): Promise<DurableEngine> {
  const engine = new DurableEngine({
    store,
    clock: new VirtualClock({ mode: "manual", startMs: Date.parse("2024-01-01T00:00:00Z") }),
    invoker: invoker(),
    limits: { maxConcurrentActivities: 16, maxConcurrentOrchestrations: 16 },
    taskHub: "BenchHub",
    log: { event: () => undefined },
  });
  await engine.start();
  return engine;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function throughput(label: string, store: InstanceStore): Promise<void> {
  const engine = await newEngine(store);
  const started = performance.now();
  for (let i = 0; i < INSTANCES; i++) await engine.startNew("BenchTen", { instanceId: `bench-${i}` });
  await engine.runUntilIdle();
  const seconds = (performance.now() - started) / 1000;
  const completed = engine.query({ runtimeStatus: ["Completed"] }).length;
  engine.stop();
  await store.close?.();
  const sorted = [...engine.episodeDurationsMs].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(28)} ${completed}/${INSTANCES} completed in ${seconds.toFixed(2)} s → ` +
      `${(completed / seconds).toFixed(1)} orchestrations/s; episodes ${sorted.length}, ` +
      `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  );
}

async function costByHistoryLength(): Promise<void> {
  // Each sequential activity adds 4 events (OrchestratorStarted, TaskCompleted, TaskScheduled, OrchestratorCompleted).
  for (const events of [10, 100, 1000]) {
    const steps = Math.max(1, Math.round((events - 4) / 4));
    const engine = await newEngine(new MemoryInstanceStore());
    await engine.startNew("BenchChain", { instanceId: `chain-${events}`, inputJson: String(steps) });
    await engine.runUntilIdle();
    const durations = engine.episodeDurationsMs;
    const tail = durations.slice(-Math.min(5, durations.length));
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    const historyLength = engine.getInstance(`chain-${events}`)?.history.length ?? 0;
    console.log(`history ≈ ${String(events).padStart(4)} events (final ${historyLength}): last-episode cost ${mean.toFixed(2)} ms`);
  }
}

async function main(): Promise<void> {
  registerApp();
  console.log(`Durable engine benchmark — ${INSTANCES} instances × ${ACTIVITIES} sequential activities, manual virtual clock`);
  await throughput("in-memory store", new MemoryInstanceStore());
  const dir = mkdtempSync(path.join(tmpdir(), "bench-durable-"));
  try {
    await throughput("file store (fsync)", new FileInstanceStore(path.join(dir, "fsync")));
    await throughput("file store (no fsync)", new FileInstanceStore(path.join(dir, "nofsync"), { unsafeNoFsync: true }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await costByHistoryLength();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
}

void main();
