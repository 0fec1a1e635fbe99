// Input of the job orchestration, built by the submit path (HTTP, queue) after validation. No secrets.
import type { JobSpec } from "../model/job";
import type { NodeCounts } from "./jobRecord";

export interface JobRunInput {
  jobId: string;
  job: JobSpec;
  submittedAt: string;
  /** Hash of the effective profile (profile + overrides): identifies compatible warm clusters. */
  profileHash: string;
  /** Node shape of the effective profile, for the cost estimate. */
  nodes: NodeCounts;
  /** Poll interval of running steps (default 30 s). */
  stepPollIntervalInMs?: number;
  /** How long to wait for a cluster to become ready before failing the job (default 90 min). */
  acquireTimeoutMinutes?: number;
}
