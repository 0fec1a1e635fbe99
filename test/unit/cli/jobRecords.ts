// Job records for CLI tests: a scripted life of a two-step job, built on the real JobRecord type.
import type { JobRecord, StepRecord } from "../../../shared/workflow/jobRecord";

const T0 = Date.parse("2026-11-21T02:00:00.000Z");
/** ISO time `minutes` after the script's start. */
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function step(id: string, patch: Partial<StepRecord> = {}): StepRecord {
  return { id, name: id, state: "pending", attempts: [], ...patch };
}

export function baseRecord(id: string, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    name: "nightly-sales",
    state: "queued",
    submittedAt: at(0),
    source: "jobflow",
    cluster: { profile: "spark-small", reuse: "never" },
    edges: [],
    steps: [step("ingest"), step("report")],
    tags: {},
    updatedAt: at(0),
    ...patch,
  };
}

/** The records a poller sees for a job ending in `final` ("succeeded", "completedWithFailures" or "failed"). */
export function scriptedLife(id: string, final: "succeeded" | "completedWithFailures" | "failed"): JobRecord[] {
  const cluster = { name: `jf-${id}`, profile: "spark-small", reuse: "never" as const, acquisition: "created" as const };
  const ingestDone = step("ingest", {
    state: "succeeded",
    startedAt: at(21),
    endedAt: at(24),
    attempts: [{ attempt: 1, batchId: 0, startedAt: at(21), endedAt: at(24), logBlob: "l/ingest/1" }],
  });
  const reportEnd: StepRecord =
    final === "succeeded"
      ? step("report", {
          state: "succeeded",
          startedAt: at(24),
          endedAt: at(30),
          attempts: [{ attempt: 1, batchId: 1, startedAt: at(24), endedAt: at(30), logBlob: "l/report/1" }],
        })
      : step("report", {
          state: "failed",
          startedAt: at(24),
          endedAt: at(32),
          error: "Livy batch dead: java.lang.OutOfMemoryError",
          attempts: [
            { attempt: 1, batchId: 1, startedAt: at(24), endedAt: at(27), error: "dead", logBlob: "l/report/1" },
            { attempt: 2, batchId: 2, startedAt: at(28), endedAt: at(32), error: "dead", logBlob: "l/report/2" },
          ],
        });
  return [
    baseRecord(id),
    baseRecord(id, { state: "acquiringCluster", startedAt: at(0), cluster, updatedAt: at(1) }),
    baseRecord(id, {
      state: "running",
      startedAt: at(0),
      cluster: { ...cluster, readyAt: at(20) },
      updatedAt: at(21),
      steps: [
        step("ingest", { state: "running", startedAt: at(21), attempts: [{ attempt: 1, batchId: 0, startedAt: at(21) }] }),
        step("report"),
      ],
    }),
    baseRecord(id, {
      state: "running",
      startedAt: at(0),
      cluster: { ...cluster, readyAt: at(20) },
      updatedAt: at(24),
      steps: [
        ingestDone,
        step("report", { state: "running", startedAt: at(24), attempts: [{ attempt: 1, batchId: 1, startedAt: at(24) }] }),
      ],
    }),
    baseRecord(id, {
      state: final,
      startedAt: at(0),
      endedAt: at(33),
      cluster: { ...cluster, readyAt: at(20), releasedAt: at(33) },
      updatedAt: at(33),
      steps: [ingestDone, reportEnd],
      estimatedCost: {
        clusterName: "jf-cluster",
        currency: "USD",
        amount: 0.9533,
        nodeMinutes: 78,
        nodeHours: 1.3,
        held: { amount: 0.5, nodeMinutes: 40 },
        overhead: { amount: 0.4533, nodeMinutes: 38 },
        final: true,
        priceSource: "retail-prices-api",
        cluster: { billedMinutes: 33, nodeMinutes: 78, amount: 0.9533, users: 1, poolIdleAmount: 0 },
        basis: "share of cluster jf-cluster",
      },
      ...(final === "failed" ? { error: "step report failed (TERMINATE_CLUSTER)" } : {}),
    }),
  ];
}
