// A schedule (instance id = schedule id), eternal: read the schedule's record (Blob is the source of truth for
// paused/deleted, so a pause/resume event lost around continueAsNew only delays), compute the next occurrence in
// an activity (croner in the schedule's time zone: daylight-saving safe), sleep on a durable timer, run the
// occurrence (submit through the POST /jobs path with key <schedule>@<occurrence>, or record it skipped while the
// previous run is still going), then continueAsNew so the history never grows.
// Warm-ups (issue 13, orchestrations/scheduleWarmup.ts): a `reuse: warm` schedule wakes at fire − lead, takes and
// holds a compatible cluster, hands it to the occurrence's job after the fire; a pause, delete or change meanwhile
// cancels it. The held warm-up travels in the input, so continueAsNew and host restarts keep it.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import { ACTIVITY, EVENT, ORCHESTRATION, type ClusterNotice } from "../shared/workflow/activities";
import type {
  PrepareWarmupResult,
  RunOccurrenceInput,
  RunOccurrenceResult,
  ScheduleOrchestrationInput,
  ScheduleState,
} from "../shared/policies/workflowTypes";
import type { ClusterTimingEstimate } from "../shared/cost/clusterTimings";
import { DEFAULT_WARMUP_GRACE_MS, heldWarmupDecision, warmupLead, type HeldWarmup } from "../shared/policies/warmupRules";
import { CommandInbox } from "./commandInbox";
import { endWarmup, handOverWarmup, startWarmup, warmupReady } from "./scheduleWarmup";
import { at, cloudRetry, nowIso, nowMs } from "./waits";

/** While paused, re-read the record this often even without an event. */
const PAUSED_RECHECK_MS = 60 * 60_000;
/** After downtime, occurrences older than this are not caught up (only the next one runs). */
const CATCH_UP_MS = 60_000;

const schedule: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ScheduleOrchestrationInput;
  const id = input.scheduleId;
  let held: HeldWarmup | undefined = input.warmup;
  const state = (yield context.df.callActivityWithRetry(ACTIVITY.getScheduleState, cloudRetry(), { scheduleId: id })) as ScheduleState;
  // Each waiter is yielded once (CommandInbox): a change or a cluster notice may arrive while we wait on anything.
  const changes = new CommandInbox<unknown>(context, EVENT.scheduleChanged);
  const notices = new CommandInbox<ClusterNotice>(context, EVENT.clusterNotice);
  const carried = (extra: Partial<ScheduleOrchestrationInput>): ScheduleOrchestrationInput => {
    const next: ScheduleOrchestrationInput = { scheduleId: id, after: input.after, ...extra };
    if (input.lastJobId && !("lastJobId" in extra)) next.lastJobId = input.lastJobId;
    if (held) next.warmup = held;
    return next;
  };
  const cancelWarmup = function* (reason: string): Generator<Task, void, unknown> {
    if (!held) return;
    yield* endWarmup(context, id, held, { state: "wasted", reason });
    held = undefined;
  };
  // Notices of the held cluster: ready (recorded), or failed/going away (the warm-up is lost; the job will create).
  const handleNotices = function* (): Generator<Task, void, unknown> {
    for (let n = notices.next(); n !== undefined; n = notices.next()) {
      if (!held || n.clusterName !== held.clusterName) continue; // about an earlier warm-up
      if (n.type === "ready") {
        if (!held.readyAt) yield* warmupReady(context, id, held);
      } else yield* cancelWarmup(`cluster ${n.clusterName}: ${n.reason}`);
    }
  };
  /** Sleeps until `untilMs`, handling cluster notices meanwhile; true when the schedule changed first. */
  const waitUntil = function* (untilMs: number): Generator<Task, boolean, unknown> {
    for (;;) {
      yield* handleNotices();
      if (changes.next() !== undefined) return true;
      const timer = context.df.createTimer(at(Math.max(untilMs, nowMs(context))));
      const winner = (yield context.df.Task.any([changes.waiter(), notices.waiter(), timer])) as Task;
      if (winner === timer) {
        yield* handleNotices();
        return false;
      }
      timer.cancel();
    }
  };
  // Readers: the schedule API (nextRunAt, warmupAt) and whoever plans around known demand (profileHash, warmup).
  let profileHash: string | undefined;
  const status = (custom: Record<string, unknown>): void =>
    context.df.setCustomStatus({
      ...custom,
      lastJobId: input.lastJobId,
      ...(profileHash ? { profileHash } : {}),
      ...(held ? { warmup: { clusterName: held.clusterName, fireAt: held.fireAt, readyAt: held.readyAt } } : {}),
    });

  if (!state.exists) {
    yield* cancelWarmup("schedule deleted");
    return { scheduleId: id, ended: "deleted" };
  }
  if (state.paused) {
    yield* cancelWarmup("schedule paused");
    status({ state: "paused" });
    yield* waitUntil(nowMs(context) + PAUSED_RECHECK_MS);
    // Occurrences that fell due while paused are not run afterwards.
    context.df.continueAsNew(carried({ after: nowIso(context) }));
    return undefined;
  }

  const after = new Date(Math.max(Date.parse(input.after), nowMs(context) - CATCH_UP_MS)).toISOString();
  const next = (yield context.df.callActivity(ACTIVITY.nextScheduleOccurrence, { cron: state.cron, timezone: state.timezone, after })) as {
    next?: string;
  };
  if (!next.next) {
    yield* cancelWarmup("no further occurrence");
    return { scheduleId: id, ended: "no further occurrence" };
  }
  const fireAt = next.next;
  const fireMs = Date.parse(fireAt);
  const enabled = state.warmup?.enabled === true;
  const prepared = enabled
    ? ((yield context.df.callActivityWithRetry(ACTIVITY.prepareScheduleWarmup, cloudRetry(), {
        scheduleId: id,
        occurrence: fireAt,
      })) as PrepareWarmupResult)
    : undefined;
  if (prepared?.ok) profileHash = prepared.profileHash;
  if (held) {
    const decision = heldWarmupDecision(held, {
      exists: true,
      paused: false,
      enabled: prepared?.ok === true,
      nextFireAt: fireAt,
      profileHash: prepared?.ok ? prepared.profileHash : undefined,
    });
    if (!decision.keep) yield* cancelWarmup(decision.reason);
  }
  if (prepared?.ok && !held && nowMs(context) < fireMs) {
    const estimate = (yield context.df.callActivityWithRetry(ACTIVITY.getClusterTimingEstimate, cloudRetry(), {
      profileHash: prepared.profileHash,
    })) as ClusterTimingEstimate;
    const lead = warmupLead({ warmupLeadMinutes: state.warmup?.leadMinutes }, estimate.provisioning);
    const startAt = fireMs - lead.ms;
    if (nowMs(context) < startAt) {
      status({ state: "waiting", nextRunAt: fireAt, warmupAt: new Date(startAt).toISOString() });
      if (yield* waitUntil(startAt)) {
        context.df.continueAsNew(carried({})); // re-read the record (paused, deleted, or changed)
        return undefined;
      }
    }
    held = yield* startWarmup(context, id, fireAt, prepared, lead.basis);
  }
  status({ state: "waiting", nextRunAt: fireAt });
  if (yield* waitUntil(fireMs)) {
    context.df.continueAsNew(carried({}));
    return undefined;
  }

  const runInput: RunOccurrenceInput = { scheduleId: id, occurrence: fireAt };
  if (input.lastJobId) runInput.lastJobId = input.lastJobId;
  if (held) runInput.warmup = { clusterName: held.clusterName };
  const result = (yield context.df.callActivityWithRetry(ACTIVITY.runScheduleOccurrence, cloudRetry(), runInput)) as RunOccurrenceResult;
  if (held && result.outcome === "submitted") {
    // The hand-over must not hold the schedule past its following fire.
    const following = (yield context.df.callActivity(ACTIVITY.nextScheduleOccurrence, {
      cron: state.cron,
      timezone: state.timezone,
      after: fireAt,
    })) as { next?: string };
    const graceMs = following.next
      ? Math.max(60_000, Math.min(DEFAULT_WARMUP_GRACE_MS, Date.parse(following.next) - fireMs - 60_000))
      : DEFAULT_WARMUP_GRACE_MS;
    yield* handOverWarmup(context, id, held, result.jobId, graceMs);
    held = undefined;
  } else yield* cancelWarmup(`occurrence ${result.outcome}: ${result.outcome === "submitted" ? "" : result.reason}`);
  const lastJobId = result.outcome === "submitted" ? result.jobId : input.lastJobId;
  context.df.continueAsNew(carried(lastJobId ? { after: fireAt, lastJobId } : { after: fireAt }));
  return undefined;
};

df.app.orchestration(ORCHESTRATION.schedule, schedule);
export default schedule;
