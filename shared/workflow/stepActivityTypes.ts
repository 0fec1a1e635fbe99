// The step activities' part of the orchestration ↔ activity contract (activities.ts has the rest and re-exports
// these): what submitStep, getStepStatus and finishStep take and answer, and the job record save that rides on them.
// Plain JSON, never a secret, like every activity input.
import type { JobSpec, SparkStep } from "../model/job";
import type { ClusterProfile, GatewayLoginRef } from "../model/profile";
import type { SaveJobRecordInput } from "./activities";
import type { StepDurationEstimates } from "./stepDurations";
import type { FollowUpStep } from "./stepsFollowUps";

export interface SubmitStepInput extends StepSaveRider {
  jobId: string;
  clusterName: string;
  profileName: string;
  /** The job's effective profile carried from the submit (S3A connector, gateway login); absent: read by name. */
  profile?: ClusterProfile;
  step: SparkStep;
  attempt: number;
  data: JobSpec["data"];
  /**
   * Also read how long the steps of jobs of this name usually run (shared/workflow/stepDurations.ts), after the
   * submission, best effort: the step phase asks on its first submitStep, so the estimates cost no activity.
   */
  durationsOf?: { jobName: string };
}

export interface SubmitStepResult {
  batchId: number;
  /** The save riding on this call (StepSaveRider) was written and its events published. */
  saved?: boolean;
  /** With `durationsOf`: the estimates by step id (`{}`: none yet). Absent: not asked, or the read failed. */
  durations?: StepDurationEstimates;
}

/**
 * The step phase's job record saves ride on its next step activity (submit, first probe of a round, finish) instead
 * of being activities of their own: the activity writes the record and publishes its events first, best effort, and
 * answers `saved` — false (or absent) leaves the save with the phase, which sends it again with its next activity
 * or on its own at the phase's end. One orchestrator episode per save fewer (orchestrations/stepPhase.ts).
 */
export interface StepSaveRider {
  /** A job record save riding on this call. */
  save?: SaveJobRecordInput;
}

export interface StepStatusResult {
  /** Livy state, or "missing" when Livy no longer knows the batch (forgotten after its retention time). */
  state: string;
  appId?: string;
  /** With "missing": the cluster itself no longer exists (deleted behind Jobflow's back), not just the batch. */
  clusterGone?: boolean;
  /**
   * Present when the probe was asked to finish an ended batch (GetStepStatusInput.finishIfEnded) and did: its log
   * is copied and the batch deleted, exactly what finishStep does. Absent: nothing was finished (still active,
   * missing, or the finish part failed) and the step phase commands finishStep as before.
   */
  finished?: { logBlob: string };
  /**
   * The follow-up attempts (GetStepStatusInput.thenSubmit) this probe submitted after it finished a batch that
   * succeeded, in plan order; the step phase tracks each of them like a submitStep answer. One that failed, and every
   * one after it, is left out: the phase submits those with submitStep as before. Absent: none was submitted.
   */
  submitted?: { stepId: string; attempt: number; batchId: number }[];
  /** The save riding on this probe (GetStepStatusInput.save) was written and its events published. */
  saved?: boolean;
}

export interface GetStepStatusInput extends StepSaveRider {
  clusterName: string;
  profileName: string;
  batchId: number;
  /** The gateway login's source, carried from the submit; absent: read from the profile by name. */
  gateway?: GatewayLoginRef;
  /** Finish the batch in the same invocation when Livy reports it ended (saves the step phase a finishStep call). */
  finishIfEnded?: { jobId: string; stepId: string; attempt: number };
  /**
   * With finishIfEnded: once this batch is finished here and Livy said it succeeded, submit these attempts (the
   * step phase's plan, shared/workflow/stepsFollowUps.ts) in order, each exactly as submitStep would — same batch
   * name, same idempotency — stopping at the first failure. Nothing is submitted for a batch that failed, is still
   * active, is missing, or whose finish failed.
   */
  thenSubmit?: FollowUpSubmits;
}

/** The attempts a probe submits once its batch succeeded (GetStepStatusInput.thenSubmit). */
export interface FollowUpSubmits {
  data: JobSpec["data"];
  /**
   * What a submission needs of the job's effective profile carried from the submit besides the gateway login source
   * (the probe's own `gateway`): its name and S3A settings — not the whole profile: every probe of a running step
   * carries this plan, and an activity's input is replayed with the history on every episode. Absent: read by name.
   */
  profile?: FollowUpProfile;
  /** Each step compacted (stepsFollowUps.ts: compactFollowUpStep), and the attempt to submit. */
  steps: { step: FollowUpStep; attempt: number }[];
}

/** The part of a ClusterProfile a Livy submission reads (livyBatch.ts), the gateway login source aside. */
export type FollowUpProfile = Pick<ClusterProfile, "name" | "s3a">;

export interface FinishStepInput extends StepSaveRider {
  jobId: string;
  clusterName: string;
  profileName: string;
  /** The gateway login's source, carried from the submit; absent: read from the profile by name. */
  gateway?: GatewayLoginRef;
  stepId: string;
  attempt: number;
  batchId: number;
}
