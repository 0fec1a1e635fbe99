// The job record: what `GET /jobs/{id}` returns and what the job orchestration writes at every transition.
// Plain JSON, no secrets. The orchestration is the single writer of its job's record.
import type { JobSpec } from "../model/job";
import type { EdgeState } from "../states/edge";
import type { JobState } from "../states/job";
import type { StepState } from "../states/step";
import type { JobCost } from "../cost/jobShare";

// States: one vocabulary per entity, defined with its transition table in shared/states/ (job.ts, step.ts).
export { JOB_STATES, JOB_TERMINAL_STATES, type JobState } from "../states/job";
export { STEP_STATES, STEP_TERMINAL_STATES, type StepState } from "../states/step";

export interface StepAttempt {
  attempt: number;
  batchId?: number;
  appId?: string;
  startedAt?: string;
  endedAt?: string;
  livyState?: string;
  /** Blob name of the copied Livy log. */
  logBlob?: string;
  error?: string;
  /** The run this attempt belongs to, when it is a repair run (absent = run 1). */
  run?: number;
}

export interface StepRecord {
  id: string;
  name: string;
  state: StepState;
  attempts: StepAttempt[];
  startedAt?: string;
  endedAt?: string;
  error?: string;
}

export interface JobRecord {
  id: string;
  name: string;
  state: JobState;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  idempotencyKey?: string;
  source: JobSpec["source"];
  cluster: {
    name?: string;
    profile: string;
    reuse: JobSpec["cluster"]["reuse"];
    /** "created" = this job's acquisition created it; "joined" = joined a warm one. */
    acquisition?: "created" | "joined";
    readyAt?: string;
    releasedAt?: string;
    /** The schedule warm-up offered to this job; it used it when `name` equals `warmup.clusterName`. */
    warmup?: WarmupRef;
  };
  edges: { vm: string; state: EdgeState; error?: string }[];
  steps: StepRecord[];
  error?: string;
  /**
   * The job's share of its cluster's bill from the cluster's ledger (shared/cost): filled when the record is read
   * (GET /api/jobs), final once the cluster is deleted; never stored by the orchestration.
   */
  estimatedCost?: JobCost;
  tags: Record<string, string>;
  /** The run this record describes: absent for the first run, 2, 3, … for repairs (POST /jobs/{id}/repair). */
  run?: number;
  /** Steps the current repair run re-runs (absent on the first run). */
  rerunSteps?: string[];
  /** Earlier runs, oldest first, each with its steps and attempts (absent until the first repair). */
  runs?: RunSummary[];
  /** Parameter values the job was rendered with (absent when none). */
  parameters?: Record<string, string>;
  updatedAt: string;
}

/** One earlier run of a repaired job, as its record ended. */
export interface RunSummary {
  run: number;
  state: JobState;
  submittedAt?: string;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  rerunSteps?: string[];
  cluster: JobRecord["cluster"];
  steps: StepRecord[];
  estimatedCost?: JobRecord["estimatedCost"];
}

/** A schedule's pre-provisioned cluster held for one fire time (issue 13). */
export interface WarmupRef {
  scheduleId: string;
  fireAt: string;
  clusterName: string;
}

export function newJobRecord(id: string, job: JobSpec, submittedAt: string): JobRecord {
  const record: JobRecord = {
    id,
    name: job.name,
    state: "queued",
    submittedAt,
    source: job.source,
    cluster: { profile: job.cluster.profile, reuse: job.cluster.reuse },
    edges: job.edges.map((vm) => ({ vm, state: "pending" as const })),
    steps: job.steps.map((s) => ({ id: s.id, name: s.name, state: "pending" as const, attempts: [] })),
    tags: { ...job.tags },
    updatedAt: submittedAt,
  };
  if (job.idempotencyKey !== undefined) record.idempotencyKey = job.idempotencyKey;
  if (job.parameters !== undefined) record.parameters = { ...job.parameters };
  return record;
}

export interface NodeCounts {
  head: { vmSize: string; count: number };
  worker: { vmSize: string; count: number };
  zookeeper: { vmSize: string; count: number };
}
