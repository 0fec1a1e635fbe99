// A scripted Livy for the step-phase decider's unit tests: carries out the decider's commands the way
// orchestrations/jobSteps.ts does (in order, one result event per submission/finish, all probe results after the
// probe round) against per-attempt behaviours on a virtual clock, and records what it saw — optionally with probes
// that finish the batches they find ended and submit their follow-up plans, as getStepStatus does.
import { decide, initialStepsState } from "../../../shared/workflow/stepsDecider";
import type { StepsCommand, StepsEvent, StepsState } from "../../../shared/workflow/stepsTypes";
import type { StepPhaseResult, StepRule, StepsConfig } from "../../../shared/workflow/stepsTypes";
import type { StepRecord } from "../../../shared/workflow/jobRecord";

/** What one attempt of a step does: the Livy state on each probe after its submission, or a submission failure. */
export type Attempt = "ok" | "fail" | "hang" | "slow" | "submitFail" | "missing";

export interface SimOptions {
  steps: (Partial<StepRule> & { id: string; attempts?: Attempt[] })[];
  maxConcurrentSteps?: number;
  pollMs?: number;
  /** Cancel is requested at the first wait at or after this time (ms since start). */
  cancelAtMs?: number;
  /** A cluster notice is delivered at the first wait at or after this time. */
  notice?: { atMs: number; type: string; reason?: string };
  repairRun?: number;
  records?: StepRecord[];
  /** Probes finish the batches they find ended (getStepStatus with finishIfEnded), as the step phase asks them to. */
  probeFinishes?: boolean;
  /** Probes also carry out their follow-up plans (thenSubmit) once they finished a batch that succeeded. */
  probeSubmits?: boolean;
  /**
   * Follow-up submissions (by "step/attempt") that fail inside the probe after Livy created the batch (a transient
   * error on the way back): the probe stops there, and the step phase's submitStep must find that batch by name.
   */
  followUpLostAnswer?: string[];
}

export interface SimRun {
  result: StepPhaseResult;
  state: StepsState;
  commands: StepsCommand[];
  saves: StepRecord[][];
  published: { stepId: string; state: string }[];
  maxActive: number;
  probesByBatch: Map<number, number>;
  finished: number[];
  /** Every batch created, by name ("step/attempt"); a name is never submitted twice. */
  batches: Map<string, number>;
  /** Batches a probe submitted (follow-ups). */
  submittedByProbes: number;
  /** submitStep commands carried out. */
  submitSteps: number;
}

export const T0 = Date.UTC(2026, 0, 1);

export function config(o: SimOptions): StepsConfig {
  return {
    steps: o.steps.map((s) => ({
      id: s.id,
      dependsOn: s.dependsOn ?? [],
      retries: s.retries ?? 0,
      timeoutMinutes: s.timeoutMinutes,
      actionOnFailure: s.actionOnFailure ?? "CONTINUE",
    })),
    maxConcurrentSteps: o.maxConcurrentSteps ?? 1,
    pollMs: o.pollMs ?? 30_000,
    run: o.repairRun ?? 1,
    ...(o.repairRun ? { repairRun: o.repairRun } : {}),
    clusterName: "c1",
  };
}

export function records(o: SimOptions): StepRecord[] {
  return o.records ?? o.steps.map((s) => ({ id: s.id, name: s.id, state: "pending", attempts: [] }));
}

export function simulate(o: SimOptions): SimRun {
  let now = T0;
  let state = initialStepsState(config(o), records(o));
  const queue: StepsCommand[] = [];
  const out: SimRun = {
    result: undefined as never,
    state,
    commands: [],
    saves: [],
    published: [],
    maxActive: 0,
    probesByBatch: new Map(),
    finished: [],
    batches: new Map(),
    submittedByProbes: 0,
    submitSteps: 0,
  };
  const batches = new Map<number, { behaviour: Attempt; probes: number }>();
  let nextBatch = 1;
  let cancelled = false;
  let noticed = false;
  const feed = (e: StepsEvent): void => {
    const before = JSON.stringify(state);
    // Frozen, so a decision that changed its input — or anything it shares with an earlier state — throws.
    deepFreeze(state);
    const d = decide(state, e, now);
    if (JSON.stringify(state) !== before) throw new Error("decide mutated its input");
    state = d.state;
    queue.push(...d.commands);
    out.commands.push(...d.commands);
    out.maxActive = Math.max(out.maxActive, state.steps.filter((s) => s.state === "submitted" || s.state === "running").length);
  };
  const behaviourOf = (stepId: string, attempt: number): Attempt => {
    const list = o.steps.find((s) => s.id === stepId)?.attempts ?? ["ok"];
    return list[Math.min(attempt - 1, list.length - 1)];
  };
  /** A Livy batch for the attempt: the one of that name if it exists (submitStep's idempotency), else a new one. */
  const create = (stepId: string, attempt: number): number => {
    const name = `${stepId}/${attempt}`;
    const known = out.batches.get(name);
    if (known !== undefined) return known;
    const id = nextBatch++;
    batches.set(id, { behaviour: behaviourOf(stepId, attempt), probes: 0 });
    out.batches.set(name, id);
    return id;
  };
  /** What a probe that finished a successful batch submits of its plan (stops at the first failure). */
  const followUps = (plan: { stepId: string; attempt: number }[]): { stepId: string; attempt: number; batchId: number }[] => {
    const done: { stepId: string; attempt: number; batchId: number }[] = [];
    for (const f of plan) {
      if (behaviourOf(f.stepId, f.attempt) === "submitFail") break;
      const batchId = create(f.stepId, f.attempt);
      if (o.followUpLostAnswer?.includes(`${f.stepId}/${f.attempt}`)) break;
      done.push({ ...f, batchId });
    }
    out.submittedByProbes += done.length;
    return done;
  };
  feed({ type: "phaseStarted" });
  for (let guard = 0; guard < 10_000; guard++) {
    const cmd = queue.shift();
    if (!cmd) throw new Error("the decider stopped without ending the phase");
    switch (cmd.type) {
      case "endPhase":
        out.result = cmd.result;
        out.state = state;
        if (queue.length > 0) throw new Error("commands after endPhase");
        return out;
      case "submitStep": {
        const b = behaviourOf(cmd.stepId, cmd.attempt);
        if (b === "submitFail")
          feed({ type: "submitFailed", stepId: cmd.stepId, attempt: cmd.attempt, kind: "permanent", error: "Livy refused the batch" });
        else feed({ type: "submitted", stepId: cmd.stepId, attempt: cmd.attempt, batchId: create(cmd.stepId, cmd.attempt) });
        out.submitSteps++;
        break;
      }
      case "probeStatuses": {
        const events: StepsEvent[] = cmd.probes.map((p) => {
          const b = batches.get(p.batchId)!;
          b.probes++;
          out.probesByBatch.set(p.batchId, b.probes);
          const livy =
            b.behaviour === "ok"
              ? "success"
              : b.behaviour === "fail"
                ? "dead"
                : b.behaviour === "missing"
                  ? "missing"
                  : b.behaviour === "slow" && b.probes >= 3
                    ? "success"
                    : "running";
          const ended = livy === "success" || livy === "dead";
          if (o.probeFinishes && ended) out.finished.push(p.batchId);
          const submitted = o.probeFinishes && o.probeSubmits && livy === "success" && p.thenSubmit ? followUps(p.thenSubmit) : [];
          return {
            type: "probed",
            stepId: p.stepId,
            attempt: p.attempt,
            status: {
              state: livy,
              appId: `app_${p.batchId}`,
              ...(b.behaviour === "missing" ? { clusterGone: true } : {}),
              ...(o.probeFinishes && ended ? { finished: { logBlob: `logs/${p.stepId}/${p.attempt}` } } : {}),
              ...(submitted.length > 0 ? { submitted } : {}),
            },
          };
        });
        for (const e of events) feed(e);
        break;
      }
      case "finishStep":
        out.finished.push(cmd.batchId);
        feed({ type: "finished", stepId: cmd.stepId, attempt: cmd.attempt, logBlob: `logs/${cmd.stepId}/${cmd.attempt}` });
        break;
      case "saveRecord":
        out.saves.push(cmd.steps);
        out.published.push(...cmd.events.map((e) => ({ stepId: e.stepId, state: e.state })));
        break;
      case "wakeAt":
        if (cmd.atMs <= now) throw new Error(`wakeAt ${cmd.atMs - T0} is not in the future (now ${now - T0})`);
        if (o.cancelAtMs !== undefined && !cancelled && T0 + o.cancelAtMs <= cmd.atMs) {
          cancelled = true;
          now = Math.max(now, T0 + o.cancelAtMs);
          feed({ type: "cancelRequested" });
        } else if (o.notice && !noticed && T0 + o.notice.atMs <= cmd.atMs) {
          noticed = true;
          now = Math.max(now, T0 + o.notice.atMs);
          feed({ type: "clusterNotice", notice: { type: o.notice.type, reason: o.notice.reason } });
        } else {
          now = cmd.atMs;
          feed({ type: "pollTimerFired" });
        }
        break;
    }
  }
  throw new Error("the simulation did not end");
}

/** Freezes `value` and everything reachable from it (the decider shares unchanged parts between states). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

export const stateOf = (run: SimRun, id: string): string => run.state.steps.find((s) => s.id === id)!.state;
