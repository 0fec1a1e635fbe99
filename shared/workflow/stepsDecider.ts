// The step phase of a job as a pure decider: decide(state, event, nowMs) → { state, commands }. Every rule of the
// phase lives here and nowhere else — the DAG and the concurrency budget (stepScheduler.ts), retries (a repair run
// gets the full budget), timeouts, ActionOnFailure (the one table in shared/states/actionOnFailure.ts), cancel and
// the cluster's notices — and every step state change goes through transition() of the step machine, so a move the
// table does not allow throws. The orchestrator (orchestrations/jobSteps.ts) only turns commands into activities
// and timers and their results into events; the input state is never mutated.
//
// A round: submit what may start → save (and publish, one command) if anything changed → wake at the next poll → probe every
// running attempt → finish (copy log, delete batch) what ended → next round. Cancel and cluster notices are heard
// while waiting; both stop what runs (finish as killed), cancel what waits, save and end the phase. What an
// attempt's probe, finish or failure means is in stepsAttempts.ts (the base class of this decision).
import type { StepRecord } from "./jobRecord";
import { estimateOf, estimatesFor } from "./stepDurations";
import { planPollDelayMs } from "./stepPollPlan";
import { jobOutcome, stepPhaseDone, stepsToSkip, stepsToStart } from "./stepScheduler";
import { StepAttemptRules } from "./stepsAttempts";
import { followUpPlans } from "./stepsFollowUps";
import { livyOutcome } from "./livyOutcome";
import type { Decision, StepsConfig, StepsEvent, StepsState } from "./stepsTypes";

/** The decider's state at the start of the phase; `steps` is the job record's steps as last saved. */
export function initialStepsState(config: StepsConfig, steps: readonly StepRecord[]): StepsState {
  const copy = JSON.parse(JSON.stringify(steps)) as StepRecord[];
  return {
    config,
    steps: copy,
    running: [],
    stage: "idle",
    outstanding: 0,
    fatal: false,
    cancelled: false,
    terminateCluster: false,
    toSubmit: [],
    quietRounds: 0,
    announced: Object.fromEntries(copy.map((s) => [s.id, s.state])),
    savedSteps: JSON.stringify(copy),
    cancelPending: false,
  };
}

/**
 * One event in, the next state and the commands to carry out (in order) out. The input state is never mutated, but
 * it is not deep-cloned either (the orchestrator replays every event of its history through here on every episode):
 * the next state shares what this event does not change — the config, the saved-steps string, every step record
 * not touched — and copies the small mutable parts; a step record is copied the first time this event changes it.
 */
export function decide(state: StepsState, event: StepsEvent, nowMs: number): Decision {
  const d = new Deciding(
    {
      ...state,
      steps: [...state.steps],
      running: state.running.map((r) => ({ ...r })),
      toSubmit: [...state.toSubmit],
      announced: { ...state.announced },
    },
    nowMs,
  );
  d.on(event);
  return { state: d.s, commands: d.commands };
}

class Deciding extends StepAttemptRules {
  on(e: StepsEvent): void {
    switch (e.type) {
      case "phaseStarted":
        return this.beginRound();
      case "submitted": {
        const a = this.attemptOf(e.stepId, e.attempt);
        if (a) a.batchId = e.batchId;
        this.move(e.stepId, "submit"); // "running" once Livy says so (a probe)
        this.s.running.push({ stepId: e.stepId, attempt: e.attempt, batchId: e.batchId, startedMs: this.nowMs });
        // The steps' usual run times (stepPollPlan.ts), this job's only: the decider's state travels in its history.
        if (e.durations && !this.s.durations) this.s.durations = estimatesFor(e.durations, this.s.config.steps);
        return this.answered();
      }
      case "submitFailed":
        Object.assign(this.attemptOf(e.stepId, e.attempt) ?? {}, { error: e.error });
        this.fail(e.stepId, "failed", `submission failed: ${e.error}`);
        return this.answered();
      case "pollTimerFired":
        if (this.s.stage !== "waiting") return;
        return this.probeAll();
      case "probed": {
        this.onProbe(e.stepId, e.attempt, e.status);
        // The batches the probe submitted (its follow-up plan) are taken with the finish they followed, once the
        // round's probes are in — so the upstream step ends before they start. Any other follow-up (the upstream's
        // success not confirmed: a re-run of the probe found the batch gone) is tracked and killed at once.
        const submitted = e.status.submitted ?? [];
        const mine = (f: { stepId: string; attempt: number }): boolean => f.stepId === e.stepId && f.attempt === e.attempt;
        const confirmed = livyOutcome(e.status.state) === "succeeded" && this.s.finishedByProbe?.some(mine);
        if (confirmed && submitted.length > 0)
          this.s.finishedByProbe = this.s.finishedByProbe!.map((f) => (mine(f) ? { ...f, submitted } : f));
        else for (const f of submitted) this.adoptSubmitted(f.stepId, f.attempt, f.batchId, false);
        return this.probeAnswered();
      }
      case "probeFailed": {
        // A permanent failure (e.g. the gateway rejects the cluster's login): not retried, the attempt fails.
        const why = `status check failed: ${e.error}`;
        const a = this.attemptOf(e.stepId, e.attempt);
        if (a) Object.assign(a, { endedAt: this.iso, error: why });
        this.drop(e.stepId, e.attempt);
        this.fail(e.stepId, "failed", why);
        return this.probeAnswered();
      }
      case "finished":
        this.onFinished(e.stepId, e.attempt, e.logBlob);
        return this.answered();
      case "cancelRequested":
        if (this.s.stage === "done" || this.s.cancelled) return;
        if (this.s.stage !== "waiting") {
          this.s.cancelPending = true;
          return;
        }
        return this.stop("cancel");
      case "clusterNotice":
        if (this.s.stage !== "waiting") return;
        if (e.notice.type === "expiring" || e.notice.type === "failed")
          return this.stop("notice", e.notice.reason ?? `cluster ${e.notice.type}`);
        return this.beginRound(); // other notices change nothing: a fresh round
    }
  }

  /** A commanded submission, probe or finish was answered; when none is left the stage moves on. */
  private answered(): void {
    this.s.outstanding = Math.max(0, this.s.outstanding - 1);
    if (this.s.outstanding > 0) return;
    if (this.s.stage === "submitting") return this.submitNext();
    if (this.s.stage === "stopping") return this.endPhase();
    if (this.s.stage === "probing") return this.beginRound();
  }

  private beginRound(): void {
    for (const id of stepsToSkip(this.s.config.steps, this.s.steps)) {
      this.move(id, "skip").error = "an upstream step did not succeed";
    }
    if (this.s.cancelPending) return this.stop("cancel");
    this.s.toSubmit = this.s.fatal ? [] : stepsToStart(this.s.config.steps, this.s.steps, this.s.config.maxConcurrentSteps);
    this.s.stage = "submitting";
    this.submitNext();
  }

  /** Submissions go one at a time, so a failure's ActionOnFailure can still stop the ones after it. */
  private submitNext(): void {
    const id = this.s.toSubmit.shift();
    if (id === undefined) return this.endRound();
    const rec = this.rec(id);
    if (this.s.fatal || (rec.state !== "pending" && rec.state !== "retrying")) return this.submitNext();
    const attempt = rec.attempts.length + 1;
    this.startAttempt(id, attempt);
    this.s.outstanding++;
    this.commands.push({ type: "submitStep", stepId: id, attempt });
  }

  /** Save if changed, then end the phase or wait for the next poll. */
  private endRound(): void {
    this.save();
    if (this.s.cancelPending) return this.stop("cancel");
    const { config, running } = this.s;
    if (running.length === 0 && (this.s.fatal || stepPhaseDone(config.steps, this.s.steps, config.maxConcurrentSteps)))
      return this.endPhase();
    const deadlinesMs = running.flatMap((r) => {
      const t = this.rule(r.stepId).timeoutMinutes;
      return t === undefined ? [] : [r.startedMs + t * 60_000];
    });
    const clocks = running.map((r) => ({ startedMs: r.startedMs, estimate: estimateOf(this.s.durations, r.stepId) }));
    const { nowMs, s: state } = this;
    const delay = planPollDelayMs({ baseMs: config.pollMs, quietRounds: state.quietRounds, nowMs, deadlinesMs, running: clocks });
    this.s.quietRounds++; // reset by the next save that writes a change
    this.s.stage = "waiting";
    this.s.wakeAtMs = this.nowMs + delay;
    this.commands.push({ type: "wakeAt", atMs: this.s.wakeAtMs });
  }

  private probeAll(): void {
    if (this.s.running.length === 0) return this.beginRound();
    this.s.stage = "probing";
    this.s.outstanding += this.s.running.length;
    this.s.probesAwaited = this.s.running.length;
    const plans = followUpPlans(this.s);
    this.commands.push({
      type: "probeStatuses",
      probes: this.s.running.map((r, i) => ({
        stepId: r.stepId,
        attempt: r.attempt,
        batchId: r.batchId,
        ...(plans[i]!.length > 0 ? { thenSubmit: plans[i] } : {}),
      })),
    });
  }

  /**
   * A batch a probe submitted from its follow-up plan: tracked exactly like a submitStep answer when the step may
   * still start; otherwise (this round's ActionOnFailure stopped the job first) tracked and killed at once, its
   * attempt recorded, so no batch ever runs unknown to the phase.
   */
  private adoptSubmitted(stepId: string, attempt: number, batchId: number, usable = true): void {
    const rec = this.rec(stepId);
    const mayStart =
      usable &&
      !this.s.fatal &&
      !this.s.cancelled &&
      (rec.state === "pending" || rec.state === "retrying") &&
      attempt === rec.attempts.length + 1;
    if (!rec.attempts.some((a) => a.attempt === attempt)) this.startAttempt(stepId, attempt);
    this.attemptOf(stepId, attempt)!.batchId = batchId;
    const r = { stepId, attempt, batchId, startedMs: this.nowMs };
    this.s.running.push(r);
    if (mayStart) return void this.move(stepId, "submit");
    const reason = "submitted as a follow-up, but the job was stopping or the step it followed did not succeed";
    this.finish(this.runningOf(stepId, attempt)!, "killed", reason, { kind: "discarded", reason });
  }

  /** A probe answered; after the round's last one, the finishes the probes did themselves are answered, in order. */
  private probeAnswered(): void {
    this.s.probesAwaited = Math.max(0, (this.s.probesAwaited ?? 1) - 1);
    const known = this.s.probesAwaited === 0 ? (this.s.finishedByProbe ?? []) : [];
    if (this.s.probesAwaited === 0) {
      delete this.s.probesAwaited;
      delete this.s.finishedByProbe;
    }
    this.answered();
    for (const f of known) {
      this.onFinished(f.stepId, f.attempt, f.logBlob);
      for (const x of f.submitted ?? []) this.adoptSubmitted(x.stepId, x.attempt, x.batchId);
      this.answered();
    }
  }

  /** Cancel by request, or the cluster expiring/failing: stop what runs, cancel what waits, then end. */
  private stop(why: "cancel" | "notice", reason = "cancelled by request"): void {
    this.s.cancelPending = false;
    if (why === "cancel") this.s.cancelled = true;
    else {
      this.s.fatal = true;
      this.s.error = reason;
    }
    this.killRunning(why === "cancel" ? { kind: "cancelled", reason } : { kind: "lost", reason });
    this.cancelWaiting();
    this.s.stage = "stopping";
    if (this.s.outstanding === 0) this.endPhase();
  }

  private endPhase(): void {
    this.save();
    const { fatal, cancelled, terminateCluster, error } = this.s;
    this.s.result = {
      outcome: jobOutcome(this.s.steps, fatal, cancelled),
      cancelled,
      fatal,
      terminateCluster,
      ...(error === undefined ? {} : { error }),
    };
    this.s.stage = "done";
    delete this.s.wakeAtMs;
    this.commands.push({ type: "endPhase", result: this.s.result });
  }

  /**
   * Save — and publish one event per step whose state changed, in the same command (one activity) — only when the
   * steps differ from the last save.
   */
  private save(): void {
    const now = JSON.stringify(this.s.steps);
    if (now === this.s.savedSteps) return;
    this.s.savedSteps = now;
    this.s.quietRounds = 0;
    const changed = this.s.steps.filter((x) => this.s.announced[x.id] !== x.state);
    for (const x of changed) this.s.announced[x.id] = x.state;
    this.commands.push({
      type: "saveRecord",
      steps: JSON.parse(now) as StepRecord[],
      events: changed.map((x) => ({
        stepId: x.id,
        state: x.state,
        attempt: x.attempts.length,
        ...(x.error === undefined ? {} : { error: x.error }),
      })),
    });
  }
}
