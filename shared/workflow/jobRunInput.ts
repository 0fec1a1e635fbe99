// Input of the job orchestration, built by the submit path (HTTP, queue) after validation. No secrets.
import type { JobSpec } from "../model/job";
import type { ClusterProfile } from "../model/profile";
import type { JobRecord, NodeCounts, WarmupRef } from "./jobRecord";

/** A repair run of a finished job (POST /jobs/{id}/repair): same instance id, the previous record as its start. */
export interface RepairInput {
  /** The run number (2 for the first repair). */
  run: number;
  /** The record as the previous run ended. */
  previous: JobRecord;
  /** The steps to re-run (shared/workflow/repair.ts repairPlan). */
  steps: string[];
  requestedAt: string;
}

export interface JobRunInput {
  jobId: string;
  job: JobSpec;
  submittedAt: string;
  /** Hash of the effective profile (profile + overrides): identifies compatible warm clusters. */
  profileHash: string;
  /**
   * The effective profile resolved at submit (named profile + the job's overrides + placeholders; names of secrets,
   * never their values), carried to the cluster create and the step submits so the profile is resolved once.
   * Absent on jobs started by older code: those activities resolve it by name.
   */
  profile?: ClusterProfile;
  /** Node shape of the effective profile, for the cost estimate. */
  nodes: NodeCounts;
  /** Poll interval of running steps (default 30 s). */
  stepPollIntervalInMs?: number;
  /** Set on a repair run. */
  repair?: RepairInput;
  /** The schedule warm-up held for this job (a scheduled run of a `reuse: warm` job): it joins that cluster first. */
  warmup?: WarmupRef;
  /** How long to wait for a cluster to become ready before failing the job (default 90 min). */
  acquireTimeoutMinutes?: number;
  /**
   * Set by the job orchestration itself when it continues as new to run the steps (orchestrations/jobRun.ts): the
   * record as saved, with the acquired cluster. Only the run it names reads it — a repair copies its predecessor's
   * input, resume included, and must start from the beginning.
   */
  resume?: JobResume;
}

export interface JobResume {
  /** The run (1, or the repair's run number) that continued as new. */
  run: number;
  record: JobRecord;
  /** The state the job's index lists it under (the record's last saved state). */
  indexedState?: string;
  clusterName: string;
}
