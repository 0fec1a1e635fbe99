// The action→history shim: what the extension's OutOfProcOrchestrationShim + DTFx TaskOrchestrationContext do
// with the SDK's action list each episode. Replays the full action list against the execution's history with
// DTFx's sequence-number allocation, checks every scheduling event in history against what the replay produced
// (non-determinism), and returns the scheduling events that are new in this episode.
import { retryLoop, timerLoop } from "./shimLoops";
import { ReplayTask, whenAll, whenAny } from "./replayTask";
import { ActionType, EventType, type HistoryEvent, type OrchestratorAction } from "./types";

export interface ShimOptions {
  instanceId: string;
  executionId: string;
  /** Timestamp for the new scheduling events (the episode's OrchestratorStarted time). */
  nowMs: number;
  /** Timers further away than this are split (extension: MaximumDelayTime, 6 days on Azure Storage). */
  maxShortTimerMs: number;
  /** Interval of a split long timer (extension: LongRunningTimerIntervalLength, 3 days). */
  longTimerIntervalMs: number;
}

export type ScheduledKind = "activity" | "timer" | "subOrchestration";

/** A scheduling decision made by the replay, matched against history or emitted as new. */
export interface Scheduled {
  id: number;
  kind: ScheduledKind;
  name?: string;
  /** The action's raw input (activities, sub-orchestrations). */
  input?: unknown;
  instanceId?: string;
  fireAtMs?: number;
  /** A timer the orchestrator cancelled: recorded (ids stay aligned) but never armed. */
  canceled?: boolean;
  /** The scheduling event's Input (set with the event): an activity is sent this text, not a new serialization. */
  inputJson?: string | null;
}

export interface ShimResult {
  /** New scheduling events (TaskScheduled/TimerCreated/SubOrchestrationInstanceCreated) in id order. */
  newEvents: HistoryEvent[];
  /** The decisions behind `newEvents`, same order. */
  newWork: Scheduled[];
  /** Present when the action list ends the execution with continueAsNew. */
  continueAsNew?: { input: unknown };
  /** Non-determinism or an unsupported action: the instance must fail with this message. */
  failure?: string;
  /** Every id the replay allocated, with its kind (for the SDK openTasks cross-check). */
  kindById: Map<number, ScheduledKind>;
  /** Loud but non-fatal findings (e.g. a retry that gave up without a timer). */
  warnings: string[];
}

export class ReplayContext {
  seq = 0;
  nowMs: number;
  readonly pending = new Map<number, Scheduled>();
  readonly open = new Map<number, ReplayTask>();
  readonly kindById = new Map<number, ScheduledKind>();
  readonly warnings: string[] = [];
  failure?: string;
  private readonly waiters = new Map<string, ReplayTask[]>();
  private readonly buffered = new Map<string, number>();

  constructor(readonly options: ShimOptions) {
    this.nowMs = options.nowMs;
  }

  schedule(item: Omit<Scheduled, "id">): ReplayTask {
    const id = this.seq++;
    const scheduled: Scheduled = { ...item, id };
    if (item.kind === "subOrchestration" && !item.instanceId) {
      scheduled.instanceId = `${this.options.executionId}:${id}`; // DTFx default child id
    }
    this.pending.set(id, scheduled);
    this.kindById.set(id, item.kind);
    const task = new ReplayTask();
    if (item.canceled) task.complete(false);
    else this.open.set(id, task);
    return task;
  }

  waitForEvent(name: string): ReplayTask {
    const count = this.buffered.get(name) ?? 0;
    if (count > 0) {
      this.buffered.set(name, count - 1);
      return ReplayTask.completed();
    }
    const task = new ReplayTask();
    this.waiters.set(name, [...(this.waiters.get(name) ?? []), task]);
    return task;
  }

  raise(name: string): void {
    const queue = this.waiters.get(name);
    const waiter = queue?.shift();
    if (waiter) waiter.complete(false);
    else this.buffered.set(name, (this.buffered.get(name) ?? 0) + 1);
  }

  completeById(id: number | undefined, failed: boolean): void {
    if (id === undefined) return;
    const task = this.open.get(id);
    if (!task) return; // DTFx ignores completions of unknown/cancelled tasks too
    this.open.delete(id);
    task.complete(failed);
  }

  /** A scheduling event from history must match what this replay scheduled under the same id. */
  matchScheduling(ev: HistoryEvent, kind: ScheduledKind): void {
    const mine = this.pending.get(ev.EventId);
    const sameName = mine && (kind === "timer" || (mine.name ?? "").toLowerCase() === (ev.Name ?? "").toLowerCase());
    if (mine && mine.kind === kind && sameName) {
      this.pending.delete(ev.EventId); // the usual case: no message texts built
      return;
    }
    const what = describeEvent(ev);
    const prefix = `Non-Deterministic workflow detected in orchestration instance '${this.options.instanceId}': `;
    if (!mine) {
      this.failure =
        `${prefix}A previous execution of this orchestration scheduled ${what} with sequence number ${ev.EventId}, ` +
        "but the current replay execution hasn't (yet?) scheduled this task. Was a change made to the orchestrator " +
        "code after this instance had already started running?";
      return;
    }
    this.failure =
      `${prefix}A previous execution of this orchestration scheduled ${what} with sequence number ${ev.EventId}, ` +
      `but the current orchestration replay instead produced ${describeScheduled(mine)} with this sequence number. ` +
      "Was a change made to the orchestrator code after this instance had already started running?";
  }
}

function describeEvent(ev: HistoryEvent): string {
  if (ev.EventType === EventType.TaskScheduled) return `an activity task named '${ev.Name}'`;
  if (ev.EventType === EventType.TimerCreated) return `a timer firing at ${ev.FireAt}`;
  if (ev.EventType === EventType.SubOrchestrationInstanceCreated) return `a sub-orchestration named '${ev.Name}'`;
  return `an event of type ${ev.EventType}`;
}

function describeScheduled(s: Scheduled): string {
  if (s.kind === "activity") return `an activity task named '${s.name}'`;
  if (s.kind === "timer") return "a timer";
  return `a sub-orchestration named '${s.name}'`;
}

function toMs(value: string | Date | undefined): number {
  return value instanceof Date ? value.getTime() : Date.parse(value ?? "");
}

/** Invokes one action the way OutOfProcOrchestrationShim.InvokeAPIFromAction does; undefined = fire-and-forget. */
function unsupported(ctx: ReplayContext, what: string): ReplayTask {
  ctx.failure ??= `${what} is not supported by the local host (orchestration instance '${ctx.options.instanceId}').`;
  return new ReplayTask();
}

function invokeAction(ctx: ReplayContext, action: OrchestratorAction, out: { continueAsNew?: { input: unknown } }): ReplayTask | undefined {
  // (No closures per action here: under tsx every closure created pays for a keepNames defineProperty.)
  switch (action.actionType) {
    case ActionType.CallActivity:
      return ctx.schedule({ kind: "activity", name: action.functionName, input: action.input });
    case ActionType.CallActivityWithRetry:
      return retryLoop(ctx, action.retryOptions, () => ctx.schedule({ kind: "activity", name: action.functionName, input: action.input }));
    case ActionType.CallSubOrchestrator:
      return ctx.schedule({ kind: "subOrchestration", name: action.functionName, input: action.input, instanceId: action.instanceId });
    case ActionType.CallSubOrchestratorWithRetry:
      return retryLoop(ctx, action.retryOptions, () =>
        ctx.schedule({ kind: "subOrchestration", name: action.functionName, input: action.input, instanceId: action.instanceId }),
      );
    case ActionType.ContinueAsNew:
      out.continueAsNew = { input: action.input };
      return undefined;
    case ActionType.CreateTimer:
      return timerLoop(ctx, toMs(action.fireAt), action.isCanceled === true);
    case ActionType.WaitForExternalEvent:
      return ctx.waitForEvent(action.externalEventName ?? "");
    case ActionType.WhenAll:
      return whenAll((action.compoundActions ?? []).map((a) => invokeAction(ctx, a, out) ?? ReplayTask.completed()));
    case ActionType.WhenAny:
      return whenAny((action.compoundActions ?? []).map((a) => invokeAction(ctx, a, out) ?? ReplayTask.completed()));
    case ActionType.CallHttp:
      return unsupported(ctx, "callHttp");
    default:
      return unsupported(ctx, `Durable entities (action type ${action.actionType})`);
  }
}

/**
 * Replays `actions` (the SDK's V2/V3 flat list) against `history` (the execution's full history including this
 * episode's OrchestratorStarted and new events). Top-level actions are awaited one after another, as the
 * extension's ProcessAsyncActionsV2 does; a failed action counts as done (the SDK code caught it, or the SDK
 * reports the failure itself).
 */
export function replayActions(history: HistoryEvent[], actions: OrchestratorAction[], options: ShimOptions): ShimResult {
  const ctx = new ReplayContext(options);
  const out: { continueAsNew?: { input: unknown } } = {};
  const firstStart = history.find((e) => e.EventType === EventType.OrchestratorStarted);
  if (firstStart) ctx.nowMs = Date.parse(firstStart.Timestamp);
  let next = 0;
  let started = false;
  const advance = (): void => {
    while (next < actions.length && !ctx.failure) {
      const task = invokeAction(ctx, actions[next++], out);
      if (task && !task.done) {
        task.onDone(advance);
        return;
      }
    }
  };
  for (const ev of history) {
    switch (ev.EventType) {
      case EventType.OrchestratorStarted:
        ctx.nowMs = Math.max(ctx.nowMs, Date.parse(ev.Timestamp));
        break;
      case EventType.ExecutionStarted:
        if (!started) {
          started = true;
          advance();
        }
        break;
      case EventType.TaskScheduled:
        ctx.matchScheduling(ev, "activity");
        break;
      case EventType.TimerCreated:
        ctx.matchScheduling(ev, "timer");
        break;
      case EventType.SubOrchestrationInstanceCreated:
        ctx.matchScheduling(ev, "subOrchestration");
        break;
      case EventType.TaskCompleted:
      case EventType.SubOrchestrationInstanceCompleted:
        ctx.completeById(ev.TaskScheduledId, false);
        break;
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        ctx.completeById(ev.TaskScheduledId, true);
        break;
      case EventType.TimerFired:
        ctx.completeById(ev.TimerId, false);
        break;
      case EventType.EventRaised:
        ctx.raise(ev.Name ?? "");
        break;
      default:
        break;
    }
    if (ctx.failure) break;
  }
  if (!started && !ctx.failure) advance();
  const newWork = [...ctx.pending.values()].sort((a, b) => a.id - b.id);
  const timestamp = new Date(options.nowMs).toISOString();
  return {
    newEvents: ctx.failure ? [] : newWork.map((w) => schedulingEvent(w, timestamp)),
    newWork: ctx.failure ? [] : newWork,
    continueAsNew: out.continueAsNew,
    failure: ctx.failure,
    kindById: ctx.kindById,
    warnings: ctx.warnings,
  };
}

/** Serializes an action input for a history event's Input (undefined → null). */
export function inputJson(input: unknown): string | null {
  return input === undefined ? null : JSON.stringify(input);
}

function schedulingEvent(w: Scheduled, timestamp: string): HistoryEvent {
  const base = { EventId: w.id, IsPlayed: false, Timestamp: timestamp };
  if (w.kind === "activity") {
    w.inputJson = inputJson(w.input);
    return { ...base, EventType: EventType.TaskScheduled, Name: w.name, Input: w.inputJson };
  }
  if (w.kind === "timer") return { ...base, EventType: EventType.TimerCreated, FireAt: new Date(w.fireAtMs ?? 0).toISOString() };
  return {
    ...base,
    EventType: EventType.SubOrchestrationInstanceCreated,
    Name: w.name,
    InstanceId: w.instanceId,
    Input: inputJson(w.input),
  };
}
