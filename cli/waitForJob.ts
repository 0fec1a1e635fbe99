// Polls a job until it reaches a terminal state, feeding each read to the progress view. While the cluster is
// being provisioned it also probes the cluster list (at most every `clusterProbeIntervalInMs`) for the live
// HDInsight state — one list call, not one per poll, to stay inside ARM's read budget on a real deployment.
import type { Clock } from "../shared/clock";
import { JOB_TERMINAL_STATES, type JobRecord } from "../shared/workflow/jobRecord";
import type { ClusterRow, JobflowApi } from "./apiClient";
import type { ProgressView, ServerTimeEstimator } from "./progress";

export interface WaitForJobOptions {
  api: Pick<JobflowApi, "getJob" | "listClusters">;
  /** Wall clock for the polling interval (a virtual clock in unit tests). */
  clock: Clock;
  intervalInMs: number;
  /** Minimum wall time between two cluster list probes (default 10 s). */
  clusterProbeIntervalInMs?: number;
  /** Consecutive transient failures (unreachable, 429, 5xx) tolerated before giving up (default 5). */
  maxConsecutiveErrors?: number;
  view?: ProgressView;
  estimator: ServerTimeEstimator;
  abortSignal?: AbortSignal;
  /** Wait for this run (a repair): an earlier run's terminal record does not end the wait. Default: any run. */
  run?: number;
}

export function isTerminal(record: Pick<JobRecord, "state">): boolean {
  return (JOB_TERMINAL_STATES as readonly string[]).includes(record.state);
}

function isTransient(err: unknown): boolean {
  if ((err as { name?: string })?.name !== "ApiError") return false;
  const status = (err as { status: number }).status;
  return status === 0 || status === 429 || status >= 500;
}

/** Resolves to the final job record; rethrows a non-transient error (e.g. 404) at once. */
export async function waitForJob(jobId: string, options: WaitForJobOptions): Promise<JobRecord> {
  const { api, clock, estimator, view } = options;
  const probeEveryMs = options.clusterProbeIntervalInMs ?? 10_000;
  const maxErrors = options.maxConsecutiveErrors ?? 5;
  let errors = 0;
  let lastProbeMs = -Infinity;
  let probed: string | undefined;
  for (;;) {
    let record: JobRecord;
    try {
      record = await api.getJob(jobId);
      errors = 0;
    } catch (err) {
      if (!isTransient(err) || ++errors > maxErrors) throw err;
      await clock.sleep(options.intervalInMs, { abortSignal: options.abortSignal });
      continue;
    }
    const clusterName = record.cluster?.name;
    if (clusterName && record.state === "acquiringCluster" && clock.nowMs() - lastProbeMs >= probeEveryMs) {
      lastProbeMs = clock.nowMs();
      probed = await api
        .listClusters()
        .then((rows: ClusterRow[]) => rows.find((r) => r.name === clusterName)?.clusterState)
        .catch(() => probed); // the probe only decorates the view; a failure keeps the last value
    } else if (record.state !== "acquiringCluster") {
      probed = undefined;
    }
    const earlierRun = options.run !== undefined && (record.run ?? 1) < options.run;
    if (!earlierRun) {
      estimator.observe(record);
      view?.update(record, estimator.nowMs(), probed);
      if (isTerminal(record)) return record;
    }
    await clock.sleep(options.intervalInMs, { abortSignal: options.abortSignal });
  }
}
