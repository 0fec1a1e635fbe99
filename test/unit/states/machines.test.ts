// Exhaustive checks of the state tables: every (state, event) pair either yields the target written below (an
// independent copy of the intended lifecycle) or is rejected with InvalidTransitionError; plus graph invariants.
import { describe, expect, it } from "vitest";
import {
  allowedEvents,
  canTransition,
  clusterMachine,
  edgeMachine,
  isFailed,
  isInvalidTransitionError,
  isTerminal,
  jobMachine,
  leaseMachine,
  stepFailureEvent,
  stepMachine,
  teardownEventFor,
  transition,
  type StateMachine,
} from "../../../shared/states";

const EXPECTED: Record<string, string> = {
  job: `
    queued start acquiringCluster | queued error failed | queued cancel cancelled
    acquiringCluster attachEdges attachingEdges | acquiringCluster runSteps running | acquiringCluster tearDown tearingDown
    attachingEdges runSteps running | attachingEdges tearDown tearingDown
    running tearDown tearingDown
    tearingDown teardownSucceeded succeeded | tearingDown teardownCompletedWithFailures completedWithFailures
    tearingDown teardownFailed failed | tearingDown teardownCancelled cancelled`,
  step: `
    pending submit submitted | pending cancel cancelled | pending skip skipped | pending failedWillRetry retrying | pending failed failed
    submitted started running | submitted succeeded succeeded | submitted failedWillRetry retrying | submitted failed failed
    submitted timedOutWillRetry retrying | submitted timedOut timedOut | submitted cancel cancelled
    running succeeded succeeded | running failedWillRetry retrying | running failed failed
    running timedOutWillRetry retrying | running timedOut timedOut | running cancel cancelled
    retrying submit submitted | retrying cancel cancelled | retrying failedWillRetry retrying | retrying failed failed`,
  cluster: `
    requested beginCreate creating | requested createRejected failed | requested deleteRequested deleted
    creating provisioned ready | creating provisioningFailed failed | creating acquired creating | creating released creating
    creating expired deleting | creating deleteRequested deleting | creating lost deleted
    ready acquired ready | ready released ready | ready lastReleased idle | ready expired deleting | ready deleteRequested deleting
    ready lost deleted
    idle acquired ready | idle idleTimeout deleting | idle expired deleting | idle deleteRequested deleting | idle lost deleted
    deleting deleted deleted | deleting deleteFailed failed | deleting deleteRequested deleting
    failed deleteRequested deleting | failed lost deleted | failed released failed | failed lastReleased failed`,
  edge: `
    pending attached attached | pending attachFailed failed | attached detached detached | attached detachFailed failed`,
  lease: `
    requested clusterRequested provisioning | requested requestFailed failed
    provisioning clusterReady ready | provisioning release released | provisioning expire expired | provisioning clusterFailed failed
    ready release released | ready expire expired | ready clusterFailed failed`,
};

function expectedTable(text: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const entry of text
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [state, event, target] = entry.split(/\s+/);
    table.set(`${state} ${event}`, target);
  }
  return table;
}

const machines = [jobMachine, stepMachine, clusterMachine, edgeMachine, leaseMachine] as unknown as StateMachine<string, string>[];

describe.each(machines.map((m) => [m.name, m] as const))("%s machine", (name, machine) => {
  const expected = expectedTable(EXPECTED[name]);
  const pairs = machine.states.flatMap((s) => machine.events.map((e) => [s, e] as const));

  it("has exactly the intended transitions", () => {
    let allowed = 0;
    for (const [state, event] of pairs) {
      const target = expected.get(`${state} ${event}`);
      if (target !== undefined) {
        expect(transition(machine, state, event), `${state} --${event}-->`).toBe(target);
        expect(canTransition(machine, state, event)).toBe(true);
        allowed++;
      } else {
        expect(canTransition(machine, state, event), `${state} --${event}--> must be rejected`).toBe(false);
        let caught: unknown;
        try {
          transition(machine, state, event);
        } catch (err) {
          caught = err;
        }
        expect(isInvalidTransitionError(caught), `${state} --${event}--> must throw`).toBe(true);
        expect((caught as Error).message).toBe(`${name}: event '${event}' is not allowed in state '${state}'`);
      }
    }
    expect(allowed).toBe(expected.size);
  });

  it("rejects unknown states and events, including prototype keys", () => {
    for (const [state, event] of [
      ["nope", machine.events[0]],
      [machine.initial, "nope"],
      ["__proto__", "toString"],
      [machine.initial, "constructor"],
    ]) {
      expect(() => transition(machine, state, event)).toThrow(expect.objectContaining({ name: "InvalidTransitionError" }));
    }
  });

  it("terminal states have no way out and every other state can reach one", () => {
    for (const s of machine.states) {
      if (isTerminal(machine, s)) expect(allowedEvents(machine, s)).toEqual([]);
      else expect(allowedEvents(machine, s).length).toBeGreaterThan(0);
    }
    const reachesTerminal = (from: string, seen = new Set<string>()): boolean => {
      if (isTerminal(machine, from)) return true;
      seen.add(from);
      return allowedEvents(machine, from).some((e) => {
        const next = transition(machine, from, e);
        return !seen.has(next) && reachesTerminal(next, seen);
      });
    };
    for (const s of machine.states) expect(reachesTerminal(s), s).toBe(true);
  });

  it("every state is reachable from the initial state and every event is used", () => {
    const seen = new Set([machine.initial]);
    const queue = [machine.initial];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of allowedEvents(machine, s)) {
        const next = transition(machine, s, e);
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...machine.states].sort());
    const used = new Set(machine.states.flatMap((s) => allowedEvents(machine, s)));
    expect([...used].sort()).toEqual([...machine.events].sort());
    for (const f of machine.failed) expect(machine.states).toContain(f);
    expect(machine.states).toContain(machine.initial);
  });
});

describe("helpers", () => {
  it("failed sets", () => {
    expect(isFailed(jobMachine, "failed")).toBe(true);
    expect(isFailed(jobMachine, "completedWithFailures")).toBe(false);
    expect(stepMachine.failed).toEqual(["failed", "timedOut"]);
    expect(isFailed(clusterMachine, "failed")).toBe(true);
    expect(isTerminal(clusterMachine, "failed")).toBe(false); // a failed cluster must still be deleted
  });

  it("teardownEventFor leads to the matching terminal job state", () => {
    for (const outcome of ["succeeded", "completedWithFailures", "failed", "cancelled"] as const) {
      expect(transition(jobMachine, "tearingDown", teardownEventFor(outcome))).toBe(outcome);
    }
  });

  it.each([
    ["failed", 1, 0, "failed"],
    ["failed", 1, 1, "failedWillRetry"],
    ["failed", 2, 1, "failed"],
    ["timedOut", 1, 2, "timedOutWillRetry"],
    ["timedOut", 2, 2, "timedOutWillRetry"],
    ["timedOut", 3, 2, "timedOut"],
  ] as const)("stepFailureEvent(%s, attempt %i, retries %i) = %s", (kind, attempt, retries, event) => {
    expect(stepFailureEvent(kind, attempt, retries)).toBe(event);
  });

  it("a step with one retry: fail, retry, succeed", () => {
    let s = stepMachine.initial;
    for (const e of ["submit", "started", stepFailureEvent("failed", 1, 1), "submit", "succeeded"] as const)
      s = transition(stepMachine, s, e);
    expect(s).toBe("succeeded");
  });
});
