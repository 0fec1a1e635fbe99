// The engine's machinery: per-instance serialized episodes (FIFO), the activity pool, durable timers on the
// virtual clock, sub-orchestration plumbing, restart rehydration and idle tracking. Client operations live in
// engine.ts. Write-ahead rule everywhere: persist the record, then act on it (README.md, "Crash safety").
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { VirtualClock } from "../../clock/virtualClock";
import { errorMessage } from "../../../shared/errors";
import { ActivityPool, activityInput, type ActivityWork } from "./activityPool";
import { checkOpenTasks } from "./crossCheck";
import { DurableTimers } from "./durableTimers";
import { commitEpisode, orchestrationPayloadJson, type EpisodeOutcome, type TimerSettings } from "./episode";
import { activityFailedEvent, activityInputFromEvent, historyEvent, resultJson, subOrchestrationCompletion } from "./events";
import { IdleTracker } from "./idleTracker";
import { Limiter } from "./limiter";
import { isWorkerLost, LostEpisodes } from "./lostEpisodes";
import { packHistory } from "./packedHistory";
import { PayloadJsonCache } from "./payloadJson";
import type { DurableEngineOptions, DurableInvokerPort, DurableLogger } from "./ports";
import { outstandingWork, parentHasCompletion } from "./rehydrate";
import { replayActions, type Scheduled } from "./shim";
import type { InstanceStore } from "./store";
import { EventType, isTerminal, type HistoryEvent, type InstanceRecord, type OrchestratorStateJson } from "./types";

export class EngineCore {
  protected readonly records = new Map<string, InstanceRecord>();
  protected readonly store: InstanceStore;
  protected readonly clock: VirtualClock;
  protected readonly invoker: DurableInvokerPort;
  protected readonly log: DurableLogger;
  protected readonly newExecutionId: () => string;
  readonly taskHub: string;
  /** SDK/host sequence-id disagreements seen by the debug cross-check. */
  readonly crossCheckFailures: string[] = [];
  /** Wall-clock duration of the episodes so far, the newest 100,000 to 125,000 (benchmark figures; bounded). */
  readonly episodeDurationsMs: number[] = [];
  /** Per orchestrator name: episodes run and history events handed to the SDK's replay (benchmark figures). */
  readonly episodeCounts = new Map<string, { episodes: number; historyEvents: number }>();
  private readonly timers: TimerSettings;
  /** Per running instance: its played history (and input) as JSON, appended to episode by episode. */
  protected readonly payloads = new PayloadJsonCache();
  private readonly debugCrossCheck: boolean;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly episodeScheduled = new Set<string>();
  private readonly episodeRerun = new Set<string>();
  private readonly lostEpisodes: LostEpisodes;
  private readonly orchestrationLimiter: Limiter;
  private readonly activities: ActivityPool;
  private readonly durableTimers: DurableTimers;
  private readonly idle: IdleTracker;
  private readonly statusListeners = new Set<() => void>();
  private stopped = false;

  constructor(options: DurableEngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.invoker = options.invoker;
    this.log = options.log;
    this.taskHub = options.taskHub;
    this.timers = {
      maxShortTimerMs: options.maxShortTimerMs ?? 6 * 86_400_000,
      longTimerIntervalMs: options.longTimerIntervalMs ?? 3 * 86_400_000,
    };
    this.debugCrossCheck = options.debugCrossCheck ?? false;
    this.newExecutionId = options.newExecutionId ?? (() => randomUUID().replace(/-/g, ""));
    this.orchestrationLimiter = new Limiter(options.limits.maxConcurrentOrchestrations);
    this.activities = new ActivityPool(
      options.limits.maxConcurrentActivities,
      (work) => this.runActivity(work),
      (work) => this.track(work),
    );
    this.durableTimers = new DurableTimers(this.clock);
    this.lostEpisodes = new LostEpisodes(this.log);
    this.idle = new IdleTracker(
      () => this.activities.queued === 0 || this.stopped,
      (err) => this.log.event("durable.internalError", errorMessage(err), {}, "error"),
    );
  }

  /** Loads every stored instance and resumes what was in flight: episodes, activities, timers, children. */
  async start(): Promise<void> {
    const all = (await this.store.loadAll()).map((r) => (isTerminal(r.runtimeStatus) ? packHistory(r) : r));
    for (const record of all) {
      this.records.set(record.instanceId, record);
      if (isTerminal(record.runtimeStatus)) this.store.replaceHeld?.(record);
    }
    for (const record of all) this.rehydrate(record);
    this.log.event("durable.started", `Durable engine started with ${all.length} stored instance(s)`, { taskHub: this.taskHub });
  }

  /** Stops dispatching new work and disarms timers (in-flight calls finish; nothing is lost: it is all stored). */
  stop(): void {
    this.stopped = true;
    this.activities.stop();
    this.durableTimers.stop();
  }

  /** Resolves when no episode, activity or delivery is queued or running (timers may still be pending). */
  waitForIdle(): Promise<void> {
    return this.idle.waitForIdle();
  }

  /** Drains work, then jumps the manual clock to the next due timer, until nothing is due within maxVirtualMs. */
  async runUntilIdle(options: { maxVirtualMs?: number } = {}): Promise<void> {
    const limitMs = this.clock.nowMs() + (options.maxVirtualMs ?? 30 * 86_400_000);
    for (;;) {
      await this.waitForIdle();
      const next = this.clock.nextTimerAtMs();
      if (next === undefined || next > limitMs) return;
      await this.clock.advanceTo(Math.max(next, this.clock.nowMs()));
    }
  }

  protected onStatusChange(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Runs `fn` after every earlier operation on the same instance (FIFO; never two episodes at once). */
  protected serialize<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(instanceId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(instanceId, tail);
    void tail.then(() => {
      if (this.chains.get(instanceId) === tail) this.chains.delete(instanceId);
    });
    return run;
  }

  protected track(work: Promise<unknown>): void {
    this.idle.track(work);
  }

  /** Durable write first, then the in-memory view (what queries and episodes read). */
  protected async persist(record: InstanceRecord): Promise<void> {
    await this.store.put(record);
    this.records.set(record.instanceId, record);
    if (isTerminal(record.runtimeStatus)) {
      this.payloads.forget(record.instanceId); // no episode replays it again
      // Finished instances stay until purged: their history is kept packed (packedHistory.ts), not as objects.
      const packed = packHistory(record);
      this.records.set(record.instanceId, packed);
      this.store.replaceHeld?.(packed);
    }
    for (const listener of [...this.statusListeners]) listener();
  }

  /** Appends a message to an instance's inbox (durably) and schedules an episode; dropped for finished ones. */
  protected deliver(instanceId: string, executionId: string | undefined, event: HistoryEvent): Promise<void> {
    return this.serialize(instanceId, async () => {
      const record = this.records.get(instanceId);
      if (!record || isTerminal(record.runtimeStatus) || (executionId && record.executionId !== executionId)) {
        this.log.event(
          "durable.messageDropped",
          `Dropped event type ${event.EventType} for '${instanceId}' (not running)`,
          { instanceId },
          "debug",
        );
        return;
      }
      await this.persist({ ...record, inbox: [...record.inbox, { executionId, event }] });
    }).then(() => this.scheduleEpisode(instanceId));
  }

  protected scheduleEpisode(instanceId: string): void {
    if (this.stopped) return;
    if (this.episodeScheduled.has(instanceId)) {
      this.episodeRerun.add(instanceId);
      return;
    }
    this.episodeScheduled.add(instanceId);
    this.track(
      (async () => {
        await this.orchestrationLimiter.acquire();
        let progressed = false;
        try {
          progressed = await this.serialize(instanceId, () => this.runEpisode(instanceId));
        } finally {
          this.orchestrationLimiter.release();
          this.episodeScheduled.delete(instanceId);
          const rerun = this.episodeRerun.delete(instanceId);
          const record = this.records.get(instanceId);
          if (rerun || (progressed && record && record.inbox.length > 0)) this.scheduleEpisode(instanceId);
        }
      })(),
    );
  }

  private async runEpisode(instanceId: string): Promise<boolean> {
    const record = this.records.get(instanceId);
    if (!record || isTerminal(record.runtimeStatus) || record.runtimeStatus === "Suspended" || record.inbox.length === 0) return false;
    const consumed = record.inbox.filter((m) => !m.executionId || m.executionId === record.executionId);
    if (consumed.length === 0) {
      await this.persist({ ...record, inbox: [] }); // only messages for an earlier execution: drop them
      return false;
    }
    const startedAt = performance.now();
    const nowMs = this.clock.nowMs();
    const history = [...record.history, historyEvent(EventType.OrchestratorStarted, nowMs), ...consumed.map((m) => m.event)];
    const payload = orchestrationPayloadJson(record, history, record.history.length, this.timers, this.payloads);
    let sdkContext: unknown;
    let outcome: EpisodeOutcome;
    try {
      const raw = await this.invoker.orchestrator(record.name, payload, {
        instanceId,
        inspectContext: this.debugCrossCheck ? (context) => (sdkContext = context) : undefined,
      });
      const state = raw as OrchestratorStateJson;
      if (!state || !Array.isArray(state.actions)) throw new Error("Out of proc orchestrators must return a valid JSON schema");
      const shim = replayActions(history, state.actions.flat(), { instanceId, executionId: record.executionId, nowMs, ...this.timers });
      outcome = { kind: "state", state, shim };
      for (const warning of shim.warnings) this.log.event("durable.warning", warning, { instanceId }, "warning");
      if (sdkContext !== undefined && !shim.failure) {
        for (const problem of checkOpenTasks(sdkContext, shim.kindById)) {
          this.crossCheckFailures.push(`${instanceId}: ${problem}`);
          this.log.event("durable.crossCheckFailed", problem, { instanceId }, "error");
        }
      }
    } catch (err) {
      if (this.abandonEpisode(instanceId, err)) return false;
      outcome = { kind: "invocationError", message: errorMessage(err) };
    }
    this.lostEpisodes.settled(instanceId);
    const committed = commitEpisode(record, history, record.inbox.slice(record.inbox.length), outcome, nowMs, this.newExecutionId);
    await this.persist(committed.record);
    this.episodeDurationsMs.push(performance.now() - startedAt);
    if (this.episodeDurationsMs.length >= 125_000) this.episodeDurationsMs.splice(0, 25_000);
    const counts = this.episodeCounts.get(record.name) ?? { episodes: 0, historyEvents: 0 };
    this.episodeCounts.set(record.name, { episodes: counts.episodes + 1, historyEvents: counts.historyEvents + history.length });
    this.afterCommit(committed.record, committed.work, committed.parentCompletion);
    return true;
  }

  /** True when the episode is abandoned (its worker was lost, lostEpisodes.ts): nothing to commit, it runs again. */
  private abandonEpisode(instanceId: string, err: unknown): boolean {
    if (!isWorkerLost(err)) return false;
    if (this.stopped) return true; // the inbox stays in the store for the next start
    if (!this.lostEpisodes.abandon(instanceId, err)) return false;
    this.episodeRerun.add(instanceId);
    return true;
  }

  private afterCommit(record: InstanceRecord, work: Scheduled[], parentCompletion?: HistoryEvent): void {
    const fields = { instanceId: record.instanceId, functionName: record.name };
    for (const item of work) {
      if (item.kind === "activity") {
        this.enqueueActivity({
          instanceId: record.instanceId,
          executionId: record.executionId,
          taskScheduledId: item.id,
          name: item.name ?? "",
          input: activityInput(item),
        });
      } else if (item.kind === "timer" && !item.canceled) {
        this.armTimer(record, item.id, item.fireAtMs ?? 0);
      } else if (item.kind === "subOrchestration") {
        this.track(
          this.startChild(
            record,
            item.id,
            item.name ?? "",
            item.instanceId ?? "",
            item.input === undefined ? null : JSON.stringify(item.input),
          ),
        );
      }
    }
    if (record.history.length === 0) this.cancelTimers(record.instanceId); // continued as new
    if (isTerminal(record.runtimeStatus)) {
      this.cancelTimers(record.instanceId);
      const level = record.runtimeStatus === "Failed" ? "warning" : "information";
      this.log.event(
        `durable.instance${record.runtimeStatus}`,
        `Instance '${record.instanceId}' ${record.runtimeStatus}: ${record.output ?? ""}`,
        fields,
        level,
      );
      if (record.parent && parentCompletion)
        this.track(this.deliver(record.parent.instanceId, record.parent.executionId, parentCompletion));
    }
  }

  protected enqueueActivity(work: ActivityWork): void {
    this.activities.enqueue(work);
  }

  private async runActivity(work: ActivityWork): Promise<void> {
    const record = this.records.get(work.instanceId);
    if (!record || isTerminal(record.runtimeStatus) || record.executionId !== work.executionId) return;
    let completion: HistoryEvent;
    try {
      const value = await this.invoker.activity(work.name, work.input, { instanceId: work.instanceId });
      completion = historyEvent(EventType.TaskCompleted, this.clock.nowMs(), {
        TaskScheduledId: work.taskScheduledId,
        Result: resultJson(value),
      });
    } catch (err) {
      completion = activityFailedEvent(this.clock.nowMs(), work.taskScheduledId, work.name, err);
    }
    await this.deliver(work.instanceId, work.executionId, completion);
  }

  /** Arms a durable timer; when it fires, a TimerFired message goes through the inbox (write-ahead, step 4). */
  private armTimer(record: InstanceRecord, timerId: number, fireAtMs: number): void {
    const { instanceId, executionId } = record;
    this.durableTimers.arm(instanceId, timerId, fireAtMs, () => {
      const fired = historyEvent(EventType.TimerFired, this.clock.nowMs(), { TimerId: timerId, FireAt: new Date(fireAtMs).toISOString() });
      this.track(this.deliver(instanceId, executionId, fired));
    });
  }

  protected cancelTimers(instanceId: string): void {
    this.durableTimers.cancel(instanceId);
  }

  /** Overridden by DurableEngine: creates a child instance (or reports why it cannot). */
  protected async startChild(
    _parent: InstanceRecord,
    _taskScheduledId: number,
    _name: string,
    _childId: string,
    _inputJson: string | null,
  ): Promise<void> {
    throw new Error("startChild not implemented");
  }

  private rehydrate(record: InstanceRecord): void {
    if (isTerminal(record.runtimeStatus)) {
      const parent = record.parent && this.records.get(record.parent.instanceId);
      if (
        record.parent &&
        parent &&
        !isTerminal(parent.runtimeStatus) &&
        !parentHasCompletion(parent, record.parent.executionId, record.parent.taskScheduledId)
      ) {
        const completion = subOrchestrationCompletion(record, this.clock.nowMs());
        if (completion) this.track(this.deliver(parent.instanceId, record.parent.executionId, completion));
      }
      return;
    }
    const open = outstandingWork(record);
    for (const e of open.activities) {
      this.enqueueActivity({
        instanceId: record.instanceId,
        executionId: record.executionId,
        taskScheduledId: e.EventId,
        name: e.Name ?? "",
        input: activityInputFromEvent(e),
      });
    }
    for (const e of open.timers) this.armTimer(record, e.EventId, Date.parse(e.FireAt ?? ""));
    for (const e of open.subOrchestrations) {
      const child = this.records.get(e.InstanceId ?? "");
      if (!child || child.parent?.instanceId !== record.instanceId || child.parent.taskScheduledId !== e.EventId) {
        this.track(this.startChild(record, e.EventId, e.Name ?? "", e.InstanceId ?? "", e.Input ?? null));
      }
    }
    if (record.inbox.length > 0) this.scheduleEpisode(record.instanceId);
  }
}
