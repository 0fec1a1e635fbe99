// What one step attempt's news means for the step phase (pure; the base of the decider in stepsDecider.ts, split
// along this seam): the step records as the decision copies and changes them, a status probe's answer (running,
// ended, timed out, cluster gone), finishing an attempt (copy the log, delete the batch — or the probe already did),
// and a failure's consequence — a retry while the run's budget allows, else ActionOnFailure (the one table in
// shared/states/actionOnFailure.ts: fail the job, kill what runs, cancel what waits). The round itself — submit,
// save, wait, probe, stop, end — is the decider's (stepsDecider.ts). Every step state change goes through
// transition() of the step machine.
import { failureEffect } from "../states/actionOnFailure";
import { transition } from "../states/machine";
import { stepFailureEvent, stepMachine, type StepEvent } from "../states/step";
import type { StepStatusResult } from "./activities";
import type { StepAttempt, StepRecord } from "./jobRecord";
import { livyOutcome } from "./livyOutcome";
import { attemptsInRun } from "./repair";
import type { AfterFinish, RunningAttempt, StepRule, StepsCommand, StepsState } from "./stepsTypes";

/** One decision's view of the state: copy-on-write step records and the attempt outcome rules. */
export abstract class StepAttemptRules {
  readonly commands: StepsCommand[] = [];
  /** Ids of the step records already copied by this decision (safe to change in place). */
  private readonly copied = new Set<string>();
  constructor(
    readonly s: StepsState,
    readonly nowMs: number,
  ) {}

  protected get iso(): string {
    return new Date(this.nowMs).toISOString();
  }
  protected rule(id: string): StepRule {
    const r = this.s.config.steps.find((x) => x.id === id);
    if (!r) throw new Error(`steps decider: unknown step '${id}'`);
    return r;
  }
  /** The step's record, copied (with its attempts) on first use by this decision: callers may change it. */
  protected rec(id: string): StepRecord {
    const i = this.s.steps.findIndex((x) => x.id === id);
    if (i < 0) throw new Error(`steps decider: no record for step '${id}'`);
    if (this.copied.has(id)) return this.s.steps[i] as StepRecord;
    const prior = this.s.steps[i] as StepRecord;
    const copy: StepRecord = { ...prior, attempts: prior.attempts.map((a) => ({ ...a })) };
    this.s.steps[i] = copy;
    this.copied.add(id);
    return copy;
  }
  protected attemptOf(id: string, attempt: number): StepAttempt | undefined {
    return this.rec(id).attempts.find((a) => a.attempt === attempt);
  }
  protected runningOf(id: string, attempt: number): RunningAttempt | undefined {
    return this.s.running.find((r) => r.stepId === id && r.attempt === attempt);
  }
  /** A new attempt on the step's record (the submission is commanded, or a probe made it: stepsFollowUps.ts). */
  protected startAttempt(id: string, attempt: number): void {
    const rec = this.rec(id);
    const { repairRun } = this.s.config;
    rec.attempts.push(repairRun ? { attempt, startedAt: this.iso, run: repairRun } : { attempt, startedAt: this.iso });
    rec.startedAt = rec.startedAt ?? this.iso;
  }
  protected move(id: string, event: StepEvent): StepRecord {
    const rec = this.rec(id);
    rec.state = transition(stepMachine, rec.state, event);
    return rec;
  }

  protected onProbe(id: string, attempt: number, status: StepStatusResult): void {
    const r = this.runningOf(id, attempt);
    if (!r || r.finishing) return; // already being stopped (ActionOnFailure of another step)
    const a = this.attemptOf(id, attempt);
    if (a && status.appId) a.appId = status.appId;
    const outcome = livyOutcome(status.state);
    const rule = this.rule(id);
    if (outcome === "active" && status.state.toLowerCase() === "running" && this.rec(id).state === "submitted") this.move(id, "started");
    if (outcome === "succeeded") return this.finish(r, status.state, undefined, { kind: "succeeded" }, status.finished);
    if (outcome === "failed") {
      const { clusterName } = this.s.config;
      const why = status.clusterGone
        ? `cluster ${clusterName} no longer exists (deleted outside Jobflow?); Livy batch ${r.batchId} went with it`
        : `Livy batch ${r.batchId} ended ${status.state}${status.appId ? ` (YARN ${status.appId})` : ""}`;
      if (!status.clusterGone)
        return this.finish(r, status.state, `Livy batch ended ${status.state}`, { kind: "failed", why }, status.finished);
      // Nothing left to copy or delete: the batch and its log went with the cluster.
      if (a) Object.assign(a, { endedAt: this.iso, livyState: status.state, error: why });
      this.drop(id, attempt);
      return this.fail(id, "failed", why);
    }
    if (rule.timeoutMinutes !== undefined && this.nowMs - r.startedMs >= rule.timeoutMinutes * 60_000) {
      this.finish(r, "killed", `timed out after ${rule.timeoutMinutes} minutes`, {
        kind: "timedOut",
        why: `attempt ${attempt} exceeded timeoutMinutes ${rule.timeoutMinutes}`,
      });
    }
  }

  /**
   * Command finishStep (copy the log; the Livy DELETE kills a batch still running); `then` applies when done. A
   * batch the probe already finished (`done`: its log copied, its batch deleted) is not finished again: its answer
   * is known, and is taken once the round's last probe is in — where finishStep's answer would come — so
   * ActionOnFailure sees the round exactly as it would with a finishStep per ended batch.
   */
  protected finish(r: RunningAttempt, livyState: string, error: string | undefined, then: AfterFinish, done?: { logBlob: string }): void {
    if (r.finishing) return;
    r.finishing = error === undefined ? { livyState, then } : { livyState, error, then };
    this.s.outstanding++;
    if (done) this.s.finishedByProbe = [...(this.s.finishedByProbe ?? []), { stepId: r.stepId, attempt: r.attempt, logBlob: done.logBlob }];
    else this.commands.push({ type: "finishStep", stepId: r.stepId, attempt: r.attempt, batchId: r.batchId });
  }

  protected onFinished(id: string, attempt: number, logBlob: string | undefined): void {
    const r = this.runningOf(id, attempt);
    if (!r?.finishing) return;
    const { livyState, error, then } = r.finishing;
    const a = this.attemptOf(id, attempt);
    if (a) {
      a.endedAt = this.iso;
      a.livyState = livyState;
      if (logBlob) a.logBlob = logBlob;
      if (error) a.error = error;
    }
    this.drop(id, attempt);
    if (then.kind === "succeeded") {
      const rec = this.move(id, "succeeded");
      rec.endedAt = this.iso;
      delete rec.error;
    } else if (then.kind === "failed" || then.kind === "timedOut") this.fail(id, then.kind, then.why);
    else if (then.kind === "discarded")
      return; // the step's state was decided without this batch
    else {
      const rec = this.move(id, then.kind === "cancelled" ? "cancel" : "failed");
      rec.error = then.reason;
      rec.endedAt = this.iso;
    }
  }

  protected drop(id: string, attempt: number): void {
    this.s.running = this.s.running.filter((r) => !(r.stepId === id && r.attempt === attempt));
  }

  /** A failed or timed-out attempt: retry while the run's budget allows, else ActionOnFailure. */
  protected fail(id: string, kind: "failed" | "timedOut", error: string): void {
    const rule = this.rule(id);
    const rec = this.rec(id);
    // A repair run gets the step's full retry budget: only this run's attempts count.
    const event = stepFailureEvent(kind, attemptsInRun(rec.attempts, this.s.config.run), rule.retries);
    this.move(id, event).error = error;
    if (event !== kind) return; // failedWillRetry / timedOutWillRetry: the next round submits it again
    rec.endedAt = this.iso;
    const effect = failureEffect(rule.actionOnFailure);
    if (!effect.jobFails) return;
    this.s.fatal = true;
    this.s.terminateCluster = effect.terminateCluster;
    this.s.error = `step '${id}' ${kind === "timedOut" ? "timed out" : "failed"} (${rule.actionOnFailure}): ${error}`;
    if (effect.killRunning)
      this.killRunning({ kind: "cancelled", reason: `cancelled because step '${id}' failed (${rule.actionOnFailure})` });
    if (effect.cancelPending) this.cancelWaiting();
  }

  protected killRunning(then: AfterFinish & { reason: string }): void {
    for (const r of this.s.running) this.finish(r, "killed", then.reason, then);
  }

  /** The one place pending and retrying steps are cancelled. */
  protected cancelWaiting(): void {
    for (const { id, state } of [...this.s.steps]) if (state === "pending" || state === "retrying") this.move(id, "cancel");
  }
}
