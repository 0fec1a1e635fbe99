// Helpers for the cluster decider's table tests: a cluster input, and states reached by feeding real events (so
// every state a test starts from is one the decider itself produces).
import { decideCluster, initialClusterState, type ClusterDecision } from "../../../shared/workflow/clusterDecider";
import type { ClusterDeciderCommand, ClusterDeciderEvent } from "../../../shared/workflow/clusterDeciderTypes";
import type { ClusterCarriedState, ClusterOrchestrationInput } from "../../../shared/workflow/activities";
import { deepFreeze } from "./stepsSim";

export const MIN = 60_000;
export const T0 = Date.parse("2026-12-01T08:00:00Z");

export function clusterInput(over: Partial<ClusterOrchestrationInput> = {}): ClusterOrchestrationInput {
  return {
    clusterName: "jf-c1",
    profileName: "default",
    overrides: {},
    profileHash: "hash-1",
    owner: { jobId: "j1" },
    keepWarmMinutes: 30,
    maxLifetimeMinutes: 720,
    reuse: "warm",
    jobTags: {},
    adlsAccounts: [],
    costLedger: true,
    ...over,
  };
}

/** Feeds events in order (each with its time); returns the last decision. */
export function feed(
  input: ClusterOrchestrationInput,
  state: ClusterCarriedState,
  steps: [ClusterDeciderEvent, number][],
): ClusterDecision {
  let decision: ClusterDecision = { state, commands: [] };
  // Frozen inputs: a decision that changed its input state (or the cluster input) throws.
  for (const [event, at] of steps) decision = decideCluster(deepFreeze(input), deepFreeze(decision.state), event, at);
  return decision;
}

export const acquire = (holder: string): ClusterDeciderEvent => ({
  type: "command",
  command: { type: "acquire", holder, replyTo: holder },
});
export const release = (holder: string, extra: { terminate?: boolean; drain?: string } = {}): ClusterDeciderEvent => ({
  type: "command",
  command: { type: "release", holder, terminate: extra.terminate ?? false, ...(extra.drain ? { drain: extra.drain } : {}) },
});
export const ready: ClusterDeciderEvent = {
  type: "status",
  result: { phase: "ready", errors: [], gatewayEndpoint: "https://jf-c1.example" },
};

/** A cluster being created, its create accepted at T0, `holders` waiting for it. */
export function creating(input = clusterInput(), holders = ["j1"]): ClusterCarriedState {
  return feed(input, initialClusterState(), [
    [{ type: "start" }, T0],
    [{ type: "createAccepted", nodes: [{ role: "worker", vmSize: "E8", count: 4 }], region: "westeurope" }, T0],
    [{ type: "timings" }, T0],
    ...holders.map((h): [ClusterDeciderEvent, number] => [acquire(h), T0]),
  ]).state;
}

/** Ready at T0 + 20 min, held by `holders`. */
export function held(input = clusterInput(), holders = ["j1"]): ClusterCarriedState {
  return feed(input, creating(input, holders), [[ready, T0 + 20 * MIN]]).state;
}

/** Idle since T0 + 40 min (its last holder released), kept by the ad-hoc rule (no known demand). */
export function idle(input = clusterInput()): ClusterCarriedState {
  return feed(input, held(input), [
    [release("j1"), T0 + 40 * MIN],
    [{ type: "nextDemand", answer: { idleGapsMs: [] } }, T0 + 40 * MIN],
  ]).state;
}

export const types = (commands: ClusterDeciderCommand[]): string[] => commands.map((c) => c.type);
export const published = (commands: ClusterDeciderCommand[]): string[] =>
  commands.flatMap((c) => (c.type === "publish" ? c.events.map((e) => e.type) : []));
export function wake(commands: ClusterDeciderCommand[]): number | undefined {
  const w = commands.find((c) => c.type === "wakeAt");
  return w?.type === "wakeAt" ? w.atMs : undefined;
}
