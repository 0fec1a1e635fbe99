// Step activities: submit a Livy batch (secrets resolved here, right before the POST), read its state (and, when
// asked, finish a batch found ended in the same call — and, when it succeeded, submit what the step phase planned to
// start next: shared/workflow/stepsFollowUps.ts), copy its log to Blob and delete the batch once the final
// state is recorded (Livy leaks finished batches otherwise; the
// DELETE also kills a batch that is still running, which is how cancel and timeouts stop a step). Submit and status
// failures are classified (./classified.ts): a permanent one (401/403, a 400 from Livy) is not retried.
// Each of them then carries out the job record save riding on it, if any (StepSaveRider in shared/workflow/activities.ts).
// The step phase's first submitStep also reads how long the job name's steps usually run (SubmitStepInput.durationsOf).
import { buildLivyBatch, livyBatchName, resolveSecretRefs } from "../../shared/builders/livyBatch";
import type { LivyClient } from "../../shared/cloud/livy";
import { classifyLivyState } from "../../shared/states/livy";
import {
  ACTIVITY,
  type FollowUpProfile,
  type FollowUpSubmits,
  type GetStepStatusInput,
  type StepStatusResult,
  type SubmitStepInput,
  type SubmitStepResult,
} from "../../shared/workflow/activities";
import { livyOutcome } from "../../shared/workflow/livyOutcome";
import { expandFollowUpStep } from "../../shared/workflow/stepsFollowUps";
import type { ClusterProfile, GatewayLoginRef, GatewayProfileRef } from "../../shared/model/profile";
import { logBlob } from "../store/jobStore";
import { StepDurationStore } from "../store/stepDurations";
import { readJobSecrets } from "./jobSecrets";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { classified } from "./classified";
import { ridingSaver } from "./recordActivities";
import { runForStep } from "../runtime/correlation";

const LOG_PAGE = 1000;

type StepActivityName = typeof ACTIVITY.submitStep | typeof ACTIVITY.getStepStatus | typeof ACTIVITY.finishStep;

/** The profile the gateway login comes from: carried from the submit when the input has it. */
const gatewayRef = (input: { profileName: string; gateway?: GatewayLoginRef }): GatewayProfileRef =>
  input.gateway ? { name: input.profileName, gateway: input.gateway } : input.profileName;

export function stepActivities(deps: ActivityDeps): Pick<ActivityHandlers, StepActivityName> {
  const ride = ridingSaver(deps); // the riding record save (recordActivities.ts)
  const durations = new StepDurationStore(deps.blobs, deps.config.containers.jobs);
  /** The batch's state — and its finish, when asked and Livy reports it ended. */
  const probe = async (input: GetStepStatusInput): Promise<StepStatusResult> => {
    const livy = await deps.livy(input.clusterName, gatewayRef(input));
    const batch = await livy.getBatch(input.batchId);
    // A batch Livy does not know: forgotten — or the whole cluster vanished, which is what the job must be told.
    if (!batch) {
      if (!(await deps.clusters.get(input.clusterName))) return { state: "missing", clusterGone: true };
      const left = input.finishIfEnded && input.thenSubmit ? await followUpsLeft(livy, input.finishIfEnded.jobId, input.thenSubmit) : [];
      return { state: "missing", ...(left.length > 0 ? { submitted: left } : {}) };
    }
    const result: StepStatusResult = { state: batch.state };
    if (batch.appId) result.appId = batch.appId;
    if (input.finishIfEnded && classifyLivyState(batch.state).terminal) {
      // Ended: finish it here (one activity, one orchestrator episode, instead of a probe and then a finishStep).
      // Best effort: if this part fails, the status alone is returned and the step phase commands finishStep,
      // which has its own retries — the same path as before this shortcut existed.
      const { jobId, stepId, attempt } = input.finishIfEnded;
      try {
        result.finished = { logBlob: (await finishBatch(deps, livy, { jobId, stepId, attempt, batchId: input.batchId })).logBlob };
      } catch {
        // finishStep follows
      }
      if (result.finished && input.thenSubmit && livyOutcome(batch.state) === "succeeded") {
        const submitted = await submitFollowUps(deps, input, jobId, input.thenSubmit);
        if (submitted.length > 0) result.submitted = submitted;
      }
    }
    return result;
  };
  return {
    [ACTIVITY.submitStep]: classified(ACTIVITY.submitStep, async (input, invocation) => ({
      batchId: await submitAttempt(deps, input),
      ...(input.durationsOf ? await usualDurations(durations, input.durationsOf.jobName) : {}),
      ...(await ride(input, invocation)),
    })),

    [ACTIVITY.getStepStatus]: classified(ACTIVITY.getStepStatus, async (input, invocation) => ({
      ...(await probe(input)),
      ...(await ride(input, invocation)),
    })),

    [ACTIVITY.finishStep]: async (input, invocation) => ({
      ...(await finishBatch(deps, await deps.livy(input.clusterName, gatewayRef(input)), input)),
      ...(await ride(input, invocation)),
    }),
  };
}

/** The job name's step estimates for the step phase, after its submission; a failed read is left out (asked again). */
async function usualDurations(store: StepDurationStore, jobName: string): Promise<Pick<SubmitStepResult, "durations">> {
  try {
    return { durations: await store.estimates(jobName) };
  } catch {
    return {};
  }
}

/**
 * Submits one attempt of a step exactly once (secrets resolved right before the POST) and returns its batch id.
 * Idempotent across retries and re-runs: a batch with this attempt's name is looked for first, and reused.
 */
async function submitAttempt(
  deps: ActivityDeps,
  input: Pick<SubmitStepInput, "jobId" | "clusterName" | "profileName" | "step" | "attempt" | "data"> & {
    profile?: FollowUpProfile & Pick<ClusterProfile, "gateway">;
  },
  /** Look for a batch of this attempt's name first (false only where no earlier run can have submitted it). */
  lookFirst = true,
): Promise<number> {
  // The profile supplies the S3A connector and committer for a step that touches s3a://: the job's effective
  // profile carried from the submit (older inputs: read by name).
  const profile = input.profile ?? (await deps.profile(input.profileName));
  const request = buildLivyBatch(input.step, { jobId: input.jobId, attempt: input.attempt, data: input.data, profile });
  // Scope checked again and fixed error messages (jobSecrets.ts): a job never reads a platform secret.
  const values = await readJobSecrets(
    deps,
    request.secretRefs.map((r) => r.secret),
  );
  const body = resolveSecretRefs(request.body, request.secretRefs, values);
  const livy = await deps.livy(input.clusterName, { name: profile.name, gateway: profile.gateway });
  // Idempotency across an activity retry: a batch with this attempt's name may already exist.
  const existing = lookFirst ? (await livy.listBatches({ size: 1000 })).sessions.find((b) => b.name === body.name) : undefined;
  return (existing ?? (await livy.submitBatch(body))).id;
}

/**
 * A probe's follow-up submissions (GetStepStatusInput.thenSubmit), in order, after its batch was finished. Never
 * throws: the batch is already deleted, so a retry of the whole probe would no longer find it. The first failure
 * (transient or not) stops here, and the step phase submits that attempt and the rest with submitStep, which has
 * its own retries and classification and looks for the attempt's batch by name first — so a POST whose answer was
 * lost here is found, not repeated. No lookup before these POSTs (one gateway call less per step): only a run of
 * this probe that saw the upstream batch and had its DELETE acknowledged gets here, and that happens once — a re-run
 * finds the batch gone (followUpsLeft below).
 */
async function submitFollowUps(
  deps: ActivityDeps,
  input: GetStepStatusInput,
  jobId: string,
  plan: FollowUpSubmits,
): Promise<NonNullable<StepStatusResult["submitted"]>> {
  const submitted: NonNullable<StepStatusResult["submitted"]> = [];
  for (const { step: compact, attempt } of plan.steps) {
    const step = expandFollowUpStep(compact);
    try {
      // Its spans (the Livy POST) carry the submitted step's id, not the probed one's.
      const batchId = await runForStep(step.id, () =>
        submitAttempt(
          deps,
          {
            jobId,
            clusterName: input.clusterName,
            profileName: input.profileName,
            // The probe's gateway login source is the profile's (both carried from the submit).
            ...(plan.profile && input.gateway ? { profile: { ...plan.profile, gateway: input.gateway } } : {}),
            step,
            attempt,
            data: plan.data,
          },
          false,
        ),
      );
      submitted.push({ stepId: step.id, attempt, batchId });
    } catch {
      break;
    }
  }
  return submitted;
}

/**
 * The upstream batch is gone: a run of this probe may have finished it and submitted follow-ups before its answer
 * was lost. Those batches are reported (found by name) so the phase tracks them — and, the upstream's success being
 * unconfirmed, kills them — instead of leaving them running unknown. One list call, only on this rare path.
 */
async function followUpsLeft(livy: LivyClient, jobId: string, plan: FollowUpSubmits): Promise<NonNullable<StepStatusResult["submitted"]>> {
  const sessions = (await livy.listBatches({ size: 1000 })).sessions;
  return plan.steps.flatMap(({ step, attempt }) => {
    const found = sessions.find((b) => b.name === livyBatchName(jobId, step.id, attempt));
    return found ? [{ stepId: step.id, attempt, batchId: found.id }] : [];
  });
}

/** Copies every page of the batch's log to Blob, then deletes the batch (idempotent: a second run keeps the log). */
async function finishBatch(
  deps: ActivityDeps,
  livy: LivyClient,
  input: { jobId: string; stepId: string; attempt: number; batchId: number },
): Promise<{ logBlob: string; lines: number }> {
  const lines: string[] = [];
  let known = true;
  for (let from = 0; ; from += LOG_PAGE) {
    const page = await livy.getBatchLog(input.batchId, { from, size: LOG_PAGE });
    if (!page) {
      known = from > 0;
      break;
    }
    lines.push(...page.log);
    if (page.log.length < LOG_PAGE || from + page.log.length >= page.total) break;
  }
  const name = logBlob(input.jobId, input.stepId, input.attempt);
  // A batch Livy no longer knows may have been finished already (a retry after the DELETE, or a probe that finished
  // it while a kill was on its way): the log copied then is kept, never overwritten with nothing.
  const kept = !known && (await deps.blobs.getText(deps.config.containers.logs, name)) !== undefined;
  if (!kept)
    await deps.blobs.putText(deps.config.containers.logs, name, lines.join("\n") + (lines.length ? "\n" : ""), {
      contentType: "text/plain; charset=utf-8",
    });
  await livy.deleteBatch(input.batchId);
  return { logBlob: name, lines: lines.length };
}
