// A schedule's warm-up (issue 13) as seen from the schedule orchestration: take a compatible cluster for the
// profile (acquireCluster's warm search with the warm-up's own candidate name, so warm-ups of one profile firing
// close together share one cluster) and HOLD it as holder <schedule id> (notices come back to the schedule instance), hand it over
// to the occurrence's job once the job has joined, or release it — and reap it when this warm-up created it — when
// nobody claims it, the schedule is paused, deleted or changed. Every step is recorded in the schedule record.
import type { OrchestrationContext, Task } from "durable-functions";
import { ACTIVITY, type ClusterOrchestrationInput } from "../shared/workflow/activities";
import type { PrepareWarmupResult, WarmupEntry } from "../shared/policies/workflowTypes";
import { handOverDecision, warmupClusterName, type HeldWarmup } from "../shared/policies/warmupRules";
import { sendClusterCommand } from "./jobCluster";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

/** After the fire, how often the schedule looks whether its job has joined the warm-up's cluster. */
const HANDOVER_POLL_MS = 20_000;
/** The warm cluster must live this long past the fire time to be worth joining (the job's own rule is 30 min). */
const MIN_REMAINING_AFTER_FIRE_MINUTES = 30;

type Prepared = Extract<PrepareWarmupResult, { ok: true }>;

function entryOf(held: HeldWarmup, extra: Partial<WarmupEntry> & Pick<WarmupEntry, "state">): WarmupEntry {
  const entry: WarmupEntry = {
    fireAt: held.fireAt,
    clusterName: held.clusterName,
    startedAt: held.startedAt,
    created: held.created,
    ...extra,
  };
  if (held.readyAt) entry.readyAt = held.readyAt;
  return entry;
}

function* record(context: OrchestrationContext, scheduleId: string, entry: WarmupEntry): Generator<Task, void, unknown> {
  yield* callActivityTyped(context, ACTIVITY.recordScheduleWarmup, { scheduleId, entry }, cloudRetry());
}

function* publish(
  context: OrchestrationContext,
  scheduleId: string,
  change: string,
  data: Record<string, unknown>,
): Generator<Task, void, unknown> {
  yield* callActivityTyped(context, ACTIVITY.publishEvents, [
    { type: `jobflow.schedule.warmup${change}`, subject: `schedules/${scheduleId}`, data: { scheduleId, ...data, time: nowIso(context) } },
  ]);
}

/** Takes (joins or creates) the warm-up's cluster and holds it; returns what the schedule carries from now on. */
export function* startWarmup(
  context: OrchestrationContext,
  scheduleId: string,
  fireAt: string,
  prepared: Prepared,
  leadBasis: string,
): Generator<Task, HeldWarmup, unknown> {
  const candidate = warmupClusterName(scheduleId, fireAt);
  const minRemainingMinutes = Math.ceil(Math.max(0, Date.parse(fireAt) - nowMs(context)) / 60_000) + MIN_REMAINING_AFTER_FIRE_MINUTES;
  // One hop, as a job's acquisition: a compatible cluster or the claimed candidate, its orchestration, "acquire".
  const cluster: ClusterOrchestrationInput = { ...prepared.cluster, clusterName: candidate, owner: { jobId: scheduleId } };
  const acquired = yield* callActivityTyped(
    context,
    ACTIVITY.acquireCluster,
    { cluster, warm: { profileHash: prepared.profileHash, minRemainingMinutes, candidate }, holder: scheduleId, replyTo: scheduleId },
    cloudRetry(),
  );
  const clusterName = acquired.clusterName;
  const held: HeldWarmup = {
    clusterName,
    fireAt,
    startedAt: nowIso(context),
    created: !acquired.joinedWarm,
    profileHash: prepared.profileHash,
  };
  yield* record(context, scheduleId, entryOf(held, { state: "holding", leadBasis }));
  yield* publish(context, scheduleId, "Started", { fireAt, clusterName, created: held.created, leadBasis });
  return held;
}

/** Notes that the held cluster is ready (its "ready" notice arrived). */
export function* warmupReady(context: OrchestrationContext, scheduleId: string, held: HeldWarmup): Generator<Task, void, unknown> {
  held.readyAt = nowIso(context);
  yield* record(context, scheduleId, entryOf(held, { state: "holding" }));
}

/**
 * Ends a warm-up: releases the hold; a wasted one that this warm-up created is also reaped (the cluster
 * orchestration refuses when someone else holds it — another schedule's warm-up or a job sharing it).
 */
export function* endWarmup(
  context: OrchestrationContext,
  scheduleId: string,
  held: HeldWarmup,
  outcome: { state: "used"; jobId: string } | { state: "wasted"; reason: string; jobId?: string },
): Generator<Task, void, unknown> {
  yield* sendClusterCommand(context, held.clusterName, { type: "release", holder: scheduleId, terminate: false });
  if (outcome.state === "wasted" && held.created) {
    yield* sendClusterCommand(context, held.clusterName, {
      type: "reap",
      reason: `warm-up of schedule ${scheduleId} for ${held.fireAt} wasted: ${outcome.reason}`,
    });
  }
  const extra: Partial<WarmupEntry> & Pick<WarmupEntry, "state"> = { state: outcome.state, endedAt: nowIso(context) };
  if (outcome.jobId) extra.jobId = outcome.jobId;
  if (outcome.state === "wasted") extra.reason = outcome.reason;
  yield* record(context, scheduleId, entryOf(held, extra));
  yield* publish(context, scheduleId, outcome.state === "used" ? "Used" : "Wasted", {
    fireAt: held.fireAt,
    clusterName: held.clusterName,
    ...extra,
  });
}

/**
 * After the fire: waits (durable timers) until the occurrence's job has joined the cluster, then releases the hold
 * (the job holds it now, so the idle rule cannot delete it in between); unclaimed within the grace period, or the
 * job ended elsewhere → wasted.
 */
export function* handOverWarmup(
  context: OrchestrationContext,
  scheduleId: string,
  held: HeldWarmup,
  jobId: string,
  graceMs?: number,
): Generator<Task, void, unknown> {
  const fireMs = Date.parse(held.fireAt);
  for (;;) {
    const claim = yield* callActivityTyped(context, ACTIVITY.getWarmupClaim, { clusterName: held.clusterName, jobId }, cloudRetry());
    if (claim.clusterGone && !claim.joined) {
      yield* endWarmup(context, scheduleId, held, {
        state: "wasted",
        reason: `cluster ${held.clusterName} went away before job ${jobId} joined it`,
        jobId,
      });
      return;
    }
    const decision = handOverDecision(claim, nowMs(context), fireMs, graceMs);
    if (decision === "used") {
      yield* endWarmup(context, scheduleId, held, { state: "used", jobId });
      return;
    }
    if (decision !== "wait") {
      yield* endWarmup(context, scheduleId, held, { state: "wasted", reason: decision.wasted, jobId });
      return;
    }
    yield context.df.createTimer(at(nowMs(context) + HANDOVER_POLL_MS));
  }
}
