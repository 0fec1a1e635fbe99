// The vocabulary of the step-phase decider (shared/workflow/stepsDecider.ts): its state (plain JSON, so it can
// travel through durable history), the events the orchestrator feeds it and the commands it answers with.
// orchestrations/jobSteps.ts turns commands into activities/timers and their results back into events.
import type { ActionOnFailure } from "../model/job";
import type { JobState } from "../states/job";
import type { StepStatusResult } from "./activities";
import type { StepRecord } from "./jobRecord";
import type { StepDurationEstimates } from "./stepDurations";

/** What the decider needs to know about a step (a projection of SparkStep). */
export interface StepRule {
  id: string;
  dependsOn: readonly string[];
  /** Extra attempts after the first (0 = run once). */
  retries: number;
  timeoutMinutes?: number;
  actionOnFailure: ActionOnFailure;
}

export interface StepsConfig {
  steps: readonly StepRule[];
  maxConcurrentSteps: number;
  /** Base poll interval (ms); shared/workflow/stepPolling.ts thins it out while nothing changes. */
  pollMs: number;
  /** The run whose attempts count against the retry budget (1, or a repair run). */
  run: number;
  /** Present on repair runs: new attempts carry it. */
  repairRun?: number;
  clusterName: string;
}

/** What happens to a step once its attempt's log is copied and its batch deleted (finishStep). */
export type AfterFinish =
  | { kind: "succeeded" }
  | { kind: "failed"; why: string }
  | { kind: "timedOut"; why: string }
  | { kind: "cancelled"; reason: string }
  | { kind: "lost"; reason: string } // the cluster went away under the step: failed, no retry
  // A batch a probe submitted for a step that may no longer start (ActionOnFailure or cancel came first in the same
  // round): killed and forgotten, its attempt recorded, the step's state left as it is.
  | { kind: "discarded"; reason: string };

export interface RunningAttempt {
  stepId: string;
  attempt: number;
  batchId: number;
  startedMs: number;
  /** Set once finishStep was commanded for this attempt. */
  finishing?: { livyState: string; error?: string; then: AfterFinish };
}

export type StepsStage =
  | "idle" // not started
  | "submitting" // submissions outstanding
  | "waiting" // a wake-up is due; cancel and cluster notices are heard here
  | "probing" // status probes and/or finishes outstanding
  | "stopping" // cancel or a fatal notice: finishes outstanding, then the phase ends
  | "done";

export interface StepPhaseResult {
  outcome: JobState;
  cancelled: boolean;
  fatal: boolean;
  terminateCluster: boolean;
  error?: string;
}

export interface StepsState {
  config: StepsConfig;
  steps: StepRecord[];
  running: RunningAttempt[];
  stage: StepsStage;
  /** Steps chosen to start this round, not yet submitted (one submission at a time). */
  toSubmit: string[];
  /** Submissions, probes and finishes commanded and not yet answered. */
  outstanding: number;
  fatal: boolean;
  cancelled: boolean;
  terminateCluster: boolean;
  error?: string;
  /** Poll rounds since the last save that wrote a change (stepPolling.ts). */
  quietRounds: number;
  /** The step states last published, by step id. */
  announced: Record<string, string>;
  /** JSON of `steps` as last saved: a save that would write the same thing is not commanded. */
  savedSteps: string;
  /** A cancel heard while something was outstanding: applied when it settles. */
  cancelPending: boolean;
  /**
   * How long the job's steps usually run (stepDurations.ts), by step id, as the phase's first submitStep read them
   * for the job's name (`{}`: nothing known). Absent: not read yet — the polls follow today's rule (stepPollPlan.ts).
   */
  durations?: StepDurationEstimates;
  wakeAtMs?: number;
  result?: StepPhaseResult;
  /** Probes of the current round not yet answered (absent outside a probe round). */
  probesAwaited?: number;
  /** Batches this round's probes finished themselves (StepStatusResult.finished), answered once all probes are in. */
  finishedByProbe?: {
    stepId: string;
    attempt: number;
    logBlob: string;
    submitted?: { stepId: string; attempt: number; batchId: number }[];
  }[];
}

export type StepsEvent =
  | { type: "phaseStarted" }
  | { type: "submitted"; stepId: string; attempt: number; batchId: number; durations?: StepDurationEstimates }
  | { type: "submitFailed"; stepId: string; attempt: number; kind: "permanent" | "transient"; error: string }
  | { type: "probed"; stepId: string; attempt: number; status: StepStatusResult }
  | { type: "probeFailed"; stepId: string; attempt: number; error: string }
  | { type: "pollTimerFired" }
  | { type: "finished"; stepId: string; attempt: number; logBlob?: string }
  | { type: "cancelRequested" }
  | { type: "clusterNotice"; notice: { type: string; reason?: string } };

export interface ProbeCommand {
  stepId: string;
  attempt: number;
  batchId: number;
  thenSubmit?: { stepId: string; attempt: number }[];
}

export interface StepEventData {
  stepId: string;
  state: string;
  attempt: number;
  error?: string;
}

export type StepsCommand =
  | { type: "submitStep"; stepId: string; attempt: number }
  /**
   * One probe per running attempt. `thenSubmit` (stepsFollowUps.ts): the attempts the decider would start next if
   * this batch ended in success — the probe submits them itself, in order, once it has finished that batch.
   */
  | { type: "probeStatuses"; probes: ProbeCommand[] }
  | { type: "finishStep"; stepId: string; attempt: number; batchId: number }
  /** Save the steps and, in the same activity, publish one event per step whose state changed (maybe none). */
  | { type: "saveRecord"; steps: StepRecord[]; events: StepEventData[] }
  | { type: "wakeAt"; atMs: number }
  /** The phase is over; the job releases the cluster, asking for its deletion when `terminateCluster`. */
  | { type: "endPhase"; result: StepPhaseResult };

export interface Decision {
  state: StepsState;
  commands: StepsCommand[];
}
