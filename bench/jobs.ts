// npm run bench (part 2) — end-to-end job figures on the embedded stack (Azurite + HTTPS sandbox + local host,
// manual virtual clock): wall time to run N one-step jobs concurrently, ARM and gateway calls per job (call
// economy: one status probe per cluster/step per poll), and virtual duration. Printed only, never asserted.
// BENCH_TELEMETRY=1 records every span and metric in memory (the cost of tracing, docs/operations.md).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { VirtualClock } from "../local/clock/virtualClock";
import { startStack } from "../local/stack";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { InMemoryMetricExporter, AggregationTemporality, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";

const JOBS = Number(process.env.BENCH_JOBS ?? 10);
const TELEMETRY = process.env.BENCH_TELEMETRY === "1";
const TERMINAL = new Set(["succeeded", "failed", "cancelled", "completedWithFailures"]);

export async function benchJobs(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-bench-"));
  const clock = new VirtualClock({ mode: "manual", startMs: Date.parse("2026-11-21T08:00:00Z") });
  const spans = new InMemorySpanExporter();
  const telemetry = TELEMETRY
    ? {
        spanProcessors: [new SimpleSpanProcessor(spans)],
        metricReaders: [
          new PeriodicExportingMetricReader({
            exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
            exportIntervalMillis: 60_000,
          }),
        ],
      }
    : undefined;
  const stack = await startStack({
    dataDir,
    clock,
    sandbox: { throttling: false },
    host: { logSink: () => undefined },
    ...(telemetry ? { telemetry } : {}),
  });
  try {
    const startVirtual = clock.nowMs();
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const doc = {
        name: `bench-${i}`,
        cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
        steps: [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py" }],
      };
      const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify(doc) });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const states = async (): Promise<string[]> =>
      Promise.all(ids.map(async (id) => ((await (await stack.api(`/jobs/${id}`)).json()) as { state: string }).state));
    for (;;) {
      if ((await states()).every((s) => TERMINAL.has(s)) && stack.sandbox.control.requests().length > 0) {
        const clusters = (await (await stack.api("/clusters")).json()) as { clusters: unknown[] };
        if (clusters.clusters.length === 0) break;
      }
      await stack.host.waitForIdle();
      const next = clock.nextTimerAtMs();
      if (next === undefined) await new Promise((r) => setTimeout(r, 10));
      else await clock.advanceTo(Math.max(next, clock.nowMs()));
    }
    const wallMs = performance.now() - t0;
    const requests = stack.sandbox.control.requests();
    const arm = requests.filter((r) => !r.path.includes("/gateway/") && !r.path.includes("/keyvault") && !r.path.startsWith("/_sandbox"));
    const gateway = requests.filter((r) => r.path.includes("/gateway/"));
    const keyVault = requests.filter((r) => r.path.includes("/keyvault"));
    const final = await states();
    console.log(`jobs end to end: ${JOBS} one-step jobs (reuse never), manual virtual clock`);
    console.log(`  outcomes: ${[...new Set(final)].map((s) => `${s}=${final.filter((x) => x === s).length}`).join(", ")}`);
    console.log(
      `  wall time: ${(wallMs / 1000).toFixed(1)} s (${(wallMs / JOBS).toFixed(0)} ms per job); virtual time: ${((clock.nowMs() - startVirtual) / 60_000).toFixed(1)} min`,
    );
    console.log(
      `  ARM requests per job: ${(arm.length / JOBS).toFixed(1)}; gateway (Livy/Ambari/YARN) requests per job: ${(gateway.length / JOBS).toFixed(1)}; Key Vault requests per job: ${(keyVault.length / JOBS).toFixed(1)}`,
    );
    if (TELEMETRY) console.log(`  telemetry: in-memory exporter, ${(spans.getFinishedSpans().length / JOBS).toFixed(0)} spans per job`);
    console.log(`  peak RSS: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  benchJobs().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
