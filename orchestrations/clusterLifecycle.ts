// The cluster orchestration: one singleton instance per cluster name (instance id `cluster-<name>`). A thin loop
// around the pure decider (shared/workflow/clusterDecider.ts), which holds every rule — create, poll densely around
// the profile's expected ready time, serve acquire/release, keep an idle cluster for as long as the break-even rule
// says, re-check idleness, delete, poll until gone, max lifetime. This file only turns the decider's commands into
// activities and durable timers and feeds their results back as events. Commands from jobs arrive as one external
// event name (clusterCommand), taken in through a CommandInbox (no command lost to the SDK's waiter bookkeeping or
// to continueAsNew).
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  type BeginCreateClusterInput,
  type ClusterCarriedState,
  type ClusterCommand,
  type ClusterOrchestrationInput,
} from "../shared/workflow/activities";
import {
  decideCluster,
  initialClusterState,
  type ClusterDeciderCommand,
  type ClusterDeciderEvent,
} from "../shared/workflow/clusterDecider";
import { failureText } from "../shared/workflow/activityFailure";
import { DEFAULT_CLUSTER_TIMINGS } from "../shared/workflow/clusterPolling";
import { at, cloudRetry, nowMs } from "./waits";
import { detachEdgesOf, retryDetaches } from "./clusterNotices";
import { CommandInbox } from "./commandInbox";
import { callCloud } from "./cloudCall";
import { teardownCluster, type TeardownProgress } from "./clusterTeardown";
import { ledgerForStatus } from "./clusterLedger";
import { callActivityTyped } from "./activityCall";
import {
  SIDE_EFFECT_ATTEMPTS,
  SIDE_EFFECT_COMMANDS,
  hasSideEffects,
  sideEffectRetryDelayMs,
  sideEffectsOf,
  type ClusterSideEffectsInput,
} from "../shared/workflow/clusterSideEffects";
import { CLUSTER_CALLS_BEFORE_CONTINUE } from "../shared/workflow/continuePolicy";

export { RECONCILE_HOLDERS_MS } from "../shared/workflow/clusterDecider";

const clusterLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ClusterOrchestrationInput;
  const { pendingCommands, ...carried } = input.carried ?? { phase: "requested", holders: [] };
  let state: ClusterCarriedState = initialClusterState(input.carried ? carried : undefined);
  // A new instance's first commands came with its start (acquireCluster), a continued one's were carried.
  const inbox = new CommandInbox<ClusterCommand>(
    context,
    EVENT.clusterCommand,
    input.carried ? (pendingCommands ?? []) : (input.firstCommands ?? []),
  );
  let teardown: TeardownProgress | undefined;
  let detachFailed: string[] = [];
  /** The edges attached to the cluster, listed by the side effects just before a teardown (undefined: not listed). */
  let listedEdges: string[] | undefined;
  let wakeAtMs: number | undefined;
  let finished = false;
  /** Durable calls made by this execution (shared/workflow/continuePolicy.ts). */
  let calls = 0;
  const status = (): void =>
    context.df.setCustomStatus({
      phase: state.phase,
      holders: state.holders,
      profileHash: input.profileHash,
      reuse: input.reuse,
      createdAt: state.createdAt,
      readyAt: state.readyAt,
      idleSince: state.idleSince,
      expiresAt: expiresAtIso(),
      ...(state.keepUntilMs !== undefined && state.phase === "idle" ? { keepUntil: new Date(state.keepUntilMs).toISOString() } : {}),
      ...(state.nextPollAtMs !== undefined && state.phase === "creating" ? { nextPollAt: new Date(state.nextPollAtMs).toISOString() } : {}),
      ...(state.drained ? { drained: state.drained } : {}),
      ...(teardown ? { teardown } : {}),
      ...ledgerForStatus(state),
    });
  const expiresAtIso = (): string | undefined =>
    state.createdAt ? new Date(Date.parse(state.createdAt) + input.maxLifetimeMinutes * 60_000).toISOString() : undefined;

  /**
   * Decides `event`, then runs the commands; a command's result is decided at once (depth first). Consecutive side
   * effects (SIDE_EFFECT_COMMANDS) go out as ONE clusterSideEffects activity: one completion, one episode.
   */
  function* feed(event: ClusterDeciderEvent): Generator<Task, void, unknown> {
    const decision = decideCluster(input, state, event, nowMs(context));
    state = decision.state;
    status();
    const commands = decision.commands;
    for (let i = 0; i < commands.length;) {
      const effects: ClusterDeciderCommand[] = [];
      while (i < commands.length && SIDE_EFFECT_COMMANDS.has((commands[i] as ClusterDeciderCommand).type))
        effects.push(commands[i++] as ClusterDeciderCommand);
      if (effects.length > 0) {
        const ledger = input.costLedger ? state.ledger : undefined;
        const merged = sideEffectsOf(effects, {
          clusterName: input.clusterName,
          profileHash: input.profileHash,
          ...(ledger ? { ledger } : {}),
        });
        // A teardown next: its detach's edge list rides along (one activity fewer, one episode fewer).
        const teardownNext = commands[i]?.type === "teardown";
        listedEdges = yield* sideEffects(teardownNext ? { ...merged, edgesOf: input.clusterName } : merged);
        continue;
      }
      calls += 1;
      const result = yield* run(commands[i++] as ClusterDeciderCommand);
      if (result) yield* feed(result);
    }
  }

  /**
   * Runs the side effects (best effort: nothing here stops the lifecycle); the retried parts that failed go again —
   * only they — after a durable timer, up to SIDE_EFFECT_ATTEMPTS calls (shared/workflow/clusterSideEffects.ts).
   */
  function* sideEffects(effects: ClusterSideEffectsInput | undefined): Generator<Task, string[] | undefined, unknown> {
    let left = effects;
    let edges: string[] | undefined;
    for (let attempt = 1; hasSideEffects(left); attempt++) {
      calls += 1;
      try {
        const result = yield* callActivityTyped(context, ACTIVITY.clusterSideEffects, left);
        edges = result.edges ?? edges;
        left = result.retry;
      } catch {
        return edges; // the activity itself failed (it never throws for a part): nothing is known to have failed alone
      }
      if (!hasSideEffects(left) || attempt >= SIDE_EFFECT_ATTEMPTS) return edges;
      calls += 1;
      yield context.df.createTimer(at(nowMs(context) + sideEffectRetryDelayMs(attempt)));
    }
    return edges;
  }

  /** Runs one command; returns the event it answers with, if it has one. */
  function* run(cmd: ClusterDeciderCommand): Generator<Task, ClusterDeciderEvent | undefined, unknown> {
    const name = input.clusterName;
    switch (cmd.type) {
      case "beginCreate": {
        const createInput: BeginCreateClusterInput = {
          clusterName: name,
          profileName: input.profileName,
          overrides: input.overrides,
          profileHash: input.profileHash,
          owner: input.owner,
          keepWarmMinutes: input.keepWarmMinutes,
          maxLifetimeMinutes: input.maxLifetimeMinutes,
          createdAt: state.createdAt as string,
          jobTags: input.jobTags,
          adlsAccounts: input.adlsAccounts,
          ...(input.profile ? { profile: input.profile } : {}),
        };
        try {
          const created = yield* callCloud(context, ACTIVITY.beginCreateCluster, createInput);
          return {
            type: "createAccepted",
            nodes: created?.nodes ?? [],
            region: created?.region,
            ...(created?.timings ? { timings: created.timings } : {}),
          };
        } catch (err) {
          return { type: "createRefused", reason: failureText(err) };
        }
      }
      case "getTimings":
        try {
          return {
            type: "timings",
            timings: yield* callActivityTyped(context, ACTIVITY.getClusterTimingEstimate, { profileHash: input.profileHash }),
          };
        } catch {
          return { type: "timings" }; // the defaults
        }
      case "pollStatus":
        try {
          return { type: "status", result: yield* callCloud(context, ACTIVITY.getClusterStatus, { clusterName: name }) };
        } catch {
          return { type: "status" }; // could not look (retries exhausted, or refused): look again later
        }
      case "checkIdle":
        try {
          return {
            type: "idleChecked",
            idle: (yield* callCloud(context, ACTIVITY.checkClusterIdle, { clusterName: name, profileName: input.profileName })).idle,
          };
        } catch {
          return { type: "idleChecked" }; // no evidence of idleness, no delete (the reaper decides the same way)
        }
      case "askNextDemand":
        try {
          return {
            type: "nextDemand",
            answer: yield* callActivityTyped(context, ACTIVITY.nextKnownDemand, { profileHash: input.profileHash }),
          };
        } catch {
          return { type: "nextDemand" };
        }
      case "reconcileHolders":
        try {
          return {
            type: "holdersReconciled",
            ended: yield* callActivityTyped(context, ACTIVITY.findEndedHolders, { holders: cmd.holders }, cloudRetry()),
          };
        } catch {
          return { type: "holdersReconciled" }; // next time
        }
      case "teardown":
        // Detach edges pointing at it, delete (never giving up while it exists), poll until gone.
        detachFailed = yield* detachEdgesOf(context, name, 0, listedEdges);
        // The first look at the delete comes when the profile's deletes usually end (a create Azure never accepted
        // has nothing to wait for).
        yield* teardownCluster(
          context,
          name,
          inbox,
          cmd.refusal,
          (progress) => {
            teardown = progress;
            status();
          },
          state.createAccepted ? (state.timings ?? DEFAULT_CLUSTER_TIMINGS).deletion.p50Ms : undefined,
        );
        return { type: "teardownDone" };
      case "refreshPrices":
      case "saveLedger":
      case "notify":
      case "publish":
      case "auditKeepWarm":
      case "recordTiming":
        return undefined; // side effects: carried out by feed() (sideEffects)
      case "wakeAt":
        wakeAtMs = cmd.atMs;
        return undefined;
      case "finish":
        finished = true;
        return undefined;
    }
  }

  yield* feed({ type: "start" });
  while (!finished) {
    let cmd = inbox.next();
    if (cmd === undefined) {
      const waiter = inbox.waiter();
      const timer = context.df.createTimer(at(Math.max(wakeAtMs ?? nowMs(context), nowMs(context))));
      const winner: Task = yield context.df.Task.any([waiter, timer]);
      if (winner !== timer) {
        timer.cancel();
        cmd = inbox.next();
      }
    }
    calls += 1;
    if (cmd !== undefined) yield* feed({ type: "command", command: cmd });
    else yield* feed({ type: "timer" });
    if (!finished && calls >= CLUSTER_CALLS_BEFORE_CONTINUE && state.phase !== "deleting") {
      // Everything already delivered to this execution goes into the next one's input (preserveUnprocessedEvents).
      inbox.drain();
      const { firstCommands: _taken, ...next } = input;
      context.df.continueAsNew({ ...next, carried: { ...state, pendingCommands: [...inbox.queue] } });
      return { phase: state.phase, continued: true };
    }
  }
  yield* retryDetaches(context, input.clusterName, detachFailed);
  return { phase: state.phase, reason: state.deleteReason };
};

df.app.orchestration(ORCHESTRATION.cluster, clusterLifecycle);
export default clusterLifecycle;
