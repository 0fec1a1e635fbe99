// npm run bench:scale -- --jobs N --steps S [--recurring] [--warmup-jobs K] [--json] — N concurrent S-step jobs
// (steps chained by dependsOn, reuse never) end to end on the embedded stack (Azurite + HTTPS sandbox + local host
// with its file stores, manual virtual clock); after an unmeasured round of K jobs (10 with --recurring) when asked:
// of the same names with --recurring (their step durations known), of other names without (the control). Prints
// wall time, CPU per job and per step (this process: host + sandbox), Azurite's CPU,
// peak RSS of the host process and of Azurite, outcomes, and ARM/gateway requests per job. Figures, never asserted.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { VirtualClock } from "../local/clock/virtualClock";
import { discardLogSink } from "../local/host/log";
import { startStack } from "../local/stack";

export interface ScaleResult {
  jobs: number;
  steps: number;
  wallMs: number;
  cpuMsPerJob: number;
  cpuMsPerStep: number;
  azuriteCpuMsPerJob: number;
  peakRssMiB: number;
  azuritePeakRssMiB: number;
  outcomes: Record<string, number>;
  armCallsPerJob: number;
  gatewayCallsPerJob: number;
  virtualMinutes: number;
  /** The machine's 1-minute load average at the end (the figures are only comparable at similar loads). */
  loadAverage: number;
  /** The Node.js that ran it (production runs Node 22; it spends ≈ 10 % less CPU per job than Node 20 here). */
  nodeVersion: string;
  /** Per orchestrator name: episodes per job and the average history length each episode replayed. */
  episodesPerJob: Record<string, { episodes: number; avgHistory: number }>;
  /** `--recurring`: the measured jobs' names had run in the warm-up round, so their step durations were known. */
  recurring: boolean;
  /** Jobs of the unmeasured warm-up round (`--warmup-jobs`; of other names unless recurring). */
  warmupJobs: number;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "completedWithFailures"]);

/** `--name value` of argv as a number, else `fallback`. */
export function numberArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got '${argv[i + 1] ?? ""}'`);
  return n;
}

/** Linux /proc figures of another process (Azurite): peak RSS (VmHWM) in MiB and CPU (user + system) in ms. */
function procFigures(pid: number): { peakRssMiB: number; cpuMs: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
    return { peakRssMiB: hwm ? Number(hwm[1]) / 1024 : NaN, cpuMs: (ticks * 1000) / 100 };
  } catch {
    return { peakRssMiB: NaN, cpuMs: NaN };
  }
}

function jobDocument(name: string, steps: number): unknown {
  return {
    name,
    cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
    steps: Array.from({ length: steps }, (_, s) => ({
      id: `s${s}`,
      file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py",
      ...(s > 0 ? { dependsOn: [`s${s - 1}`] } : {}),
    })),
  };
}

type BenchStack = Awaited<ReturnType<typeof startStack>>;

/**
 * Submits the jobs and runs virtual time until every job has its terminal event and every (reuse: never) cluster its
 * "deleted" event; returns each job's final state.
 */
async function runRound(stack: BenchStack, clock: VirtualClock, names: string[], steps: number): Promise<Map<string, string>> {
  const ids = new Set<string>();
  let seen = stack.events().length;
  for (const name of names) {
    const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify(jobDocument(name, steps)) });
    if (res.status !== 202) throw new Error(`POST /api/jobs answered ${res.status}: ${await res.text()}`);
    ids.add(((await res.json()) as { id: string }).id);
  }
  const ended = new Map<string, string>();
  let deleted = 0;
  while (ended.size < names.length || deleted < names.length) {
    const events = stack.events();
    for (const e of events.slice(seen)) {
      const data = e.data as { jobId?: string; state?: string } | undefined;
      if (e.type === "jobflow.cluster.deleted") deleted++;
      else if (e.type.startsWith("jobflow.job.") && data?.jobId && ids.has(data.jobId) && data.state && TERMINAL.has(data.state))
        ended.set(data.jobId, data.state);
    }
    seen = events.length;
    await stack.host.waitForIdle();
    await stack.host.serviceBus.whenIdle();
    const next = clock.nextTimerAtMs();
    if (next === undefined) await new Promise((r) => setTimeout(r, 10));
    else await clock.advanceTo(Math.max(next, clock.nowMs()));
  }
  return ended;
}

export interface ScaleOptions {
  /** A first, unmeasured round of this many jobs (default 0; 10 with `recurring`). */
  warmupJobs?: number;
  /**
   * Recurring jobs: the warm-up round's jobs are named scale-0 … scale-(warmupJobs − 1) and the measured N jobs take
   * those same names (job i is scale-(i mod warmupJobs)), so their step durations are known (docs/job-spec.md, "How
   * running steps are watched"). Without it every measured job has a name of its own and nothing is known of it.
   */
  recurring?: true;
}

export async function benchScale(jobs: number, steps: number, options: ScaleOptions = {}): Promise<ScaleResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "jobflow-bench-scale-"));
  const clock = new VirtualClock({ mode: "manual", startMs: Date.parse("2026-11-21T08:00:00Z") });
  const stack = await startStack({ dataDir, clock, sandbox: { throttling: false }, host: { logSink: discardLogSink } });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 200);
  try {
    const recurring = options.recurring !== undefined;
    const warmupJobs = Math.min(jobs, Math.max(recurring ? 1 : 0, options.warmupJobs ?? (recurring ? 10 : 0)));
    const names = Array.from({ length: jobs }, (_, i) => `scale-${recurring ? i % warmupJobs : i}`);
    // The warm-up round: the measured jobs' names when recurring, others otherwise (the same warm caches, JIT and
    // cluster timings, nothing learnt about the measured jobs' steps: the control for a recurring run).
    const warmupNames = Array.from({ length: warmupJobs }, (_, i) => (recurring ? names[i]! : `warmup-${i}`));
    if (warmupJobs > 0) await runRound(stack, clock, warmupNames, steps);
    // The measured round starts here: request counters and episode counts from zero.
    stack.sandbox.control.clearRequests();
    const episodesBefore = new Map([...(stack.host.engine?.episodeCounts ?? new Map())].map(([k, v]) => [k, { ...v }]));
    const startVirtual = clock.nowMs();
    const azuriteBefore = procFigures(stack.azurite.pid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const ended = await runRound(stack, clock, names, steps);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const azurite = procFigures(stack.azurite.pid);
    // Counters, not the request log: the log keeps only the newest 20,000 or so requests (≈ 200 ten-step jobs).
    const requests = stack.sandbox.control.requestCounts();
    const outcomes: Record<string, number> = {};
    for (const state of ended.values()) outcomes[state] = (outcomes[state] ?? 0) + 1;
    return {
      jobs,
      steps,
      wallMs: Math.round(wallMs),
      cpuMsPerJob: Math.round(cpuMs / jobs),
      cpuMsPerStep: Math.round(cpuMs / (jobs * steps)),
      azuriteCpuMsPerJob: Math.round((azurite.cpuMs - azuriteBefore.cpuMs) / jobs),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      azuritePeakRssMiB: Math.round(azurite.peakRssMiB),
      outcomes,
      armCallsPerJob: Number((requests.arm / jobs).toFixed(1)),
      gatewayCallsPerJob: Number((requests.gateway / jobs).toFixed(1)),
      virtualMinutes: Number(((clock.nowMs() - startVirtual) / 60_000).toFixed(1)),
      loadAverage: Number(loadavg()[0].toFixed(2)),
      nodeVersion: process.version,
      episodesPerJob: episodeFigures(episodesSince(stack.host.engine?.episodeCounts, episodesBefore), jobs),
      recurring,
      warmupJobs,
    };
  } finally {
    clearInterval(sampler);
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type EpisodeCounts = ReadonlyMap<string, { episodes: number; historyEvents: number }>;

/** The episode counts since `before` (the warm-up round's left out). */
function episodesSince(now: EpisodeCounts | undefined, before: EpisodeCounts): EpisodeCounts {
  const out = new Map<string, { episodes: number; historyEvents: number }>();
  for (const [name, c] of now ?? new Map<string, { episodes: number; historyEvents: number }>()) {
    const b = before.get(name) ?? { episodes: 0, historyEvents: 0 };
    if (c.episodes > b.episodes) out.set(name, { episodes: c.episodes - b.episodes, historyEvents: c.historyEvents - b.historyEvents });
  }
  return out;
}

/** The engine's per-orchestrator episode counts as figures per job, busiest first. */
export function episodeFigures(
  counts: ReadonlyMap<string, { episodes: number; historyEvents: number }> | undefined,
  jobs: number,
): ScaleResult["episodesPerJob"] {
  const rows = [...(counts ?? new Map<string, { episodes: number; historyEvents: number }>())].sort(
    (a, b) => b[1].episodes - a[1].episodes,
  );
  return Object.fromEntries(
    rows.map(([name, c]) => [
      name,
      { episodes: Number((c.episodes / jobs).toFixed(1)), avgHistory: c.episodes === 0 ? 0 : Math.round(c.historyEvents / c.episodes) },
    ]),
  );
}

function print(r: ScaleResult): void {
  const warm = r.warmupJobs === 0 ? "" : ` after a warm-up round of ${r.warmupJobs} jobs of ${r.recurring ? "the same" : "other"} names`;
  const recurring = r.recurring ? `, recurring${warm}` : warm ? `,${warm}` : "";
  console.log(`scale: ${r.jobs} concurrent ${r.steps}-step jobs (reuse never)${recurring}, manual virtual clock`);
  console.log(
    `  outcomes: ${Object.entries(r.outcomes)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
  );
  console.log(
    `  wall time: ${(r.wallMs / 1000).toFixed(1)} s; virtual time: ${r.virtualMinutes} min; load average ${r.loadAverage}; Node ${r.nodeVersion}`,
  );
  console.log(
    `  CPU (host process): ${r.cpuMsPerJob} ms per job, ${r.cpuMsPerStep} ms per step; Azurite: ${r.azuriteCpuMsPerJob} ms per job`,
  );
  console.log(`  peak RSS: host ${r.peakRssMiB} MiB, Azurite ${r.azuritePeakRssMiB} MiB`);
  console.log(`  ARM requests per job: ${r.armCallsPerJob}; gateway requests per job: ${r.gatewayCallsPerJob}`);
  console.log("  orchestrator episodes per job (average history events replayed per episode):");
  for (const [name, e] of Object.entries(r.episodesPerJob)) console.log(`    ${name}: ${e.episodes} (${e.avgHistory})`);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const recurring = argv.includes("--recurring");
  const warmupJobs = argv.includes("--warmup-jobs") || recurring ? numberArg(argv, "warmup-jobs", 10) : 0;
  benchScale(numberArg(argv, "jobs", 10), numberArg(argv, "steps", 1), { warmupJobs, ...(recurring ? { recurring } : {}) })
    .then((r) => {
      if (argv.includes("--json")) console.log(JSON.stringify(r));
      else print(r);
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
