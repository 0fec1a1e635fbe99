// The engine's machinery: episodes (one at a time per instance, under maxConcurrentOrchestrations), what a
// committed episode starts (activities, durable timers, sub-orchestrations), message delivery, restart
// rehydration. The instance table, ordering and idle tracking are below it (engineState.ts), client operations
// above it (engine.ts). Write-ahead rule everywhere: persist the record, then act on it (README.md, "Crash safety").
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { errorMessage } from "../../../shared/errors";
import { ActivityPool, activityInput, type ActivityWork } from "./activityPool";
import { DurableTimers } from "./durableTimers";
import { EngineState } from "./engineState";
import { commitEpisode, orchestrationPayloadJson, type EpisodeOutcome, type TimerSettings } from "./episode";
import { invokeEpisode, type EpisodeInvocationContext } from "./episodeInvocation";
import { activityFailedEvent, activityInputFromEvent, historyEvent, resultJson, subOrchestrationCompletion } from "./events";
import { Limiter } from "./limiter";
import { isWorkerLost, LostEpisodes } from "./lostEpisodes";
import { packHistory } from "./packedHistory";
import type { DurableEngineOptions, DurableInvokerPort } from "./ports";
import { outstandingWork, parentHasCompletion } from "./rehydrate";
import type { Scheduled } from "./shim";
import { EventType, isTerminal, type HistoryEvent, type InstanceRecord } from "./types";

export class EngineCore extends EngineState {
  protected readonly invoker: DurableInvokerPort;
  protected readonly newExecutionId: () => string;
  /** SDK/host sequence-id disagreements seen by the debug cross-check. */
  readonly crossCheckFailures: string[] = [];
  /** Wall-clock duration of the episodes so far, the newest 100,000 to 125,000 (benchmark figures; bounded). */
  readonly episodeDurationsMs: number[] = [];
  /** Per orchestrator name: episodes run and history events handed to the SDK's replay (benchmark figures). */
  readonly episodeCounts = new Map<string, { episodes: number; historyEvents: number }>();
  private readonly timers: TimerSettings;
  private readonly episodeInvocation: EpisodeInvocationContext;
  private readonly episodeScheduled = new Set<string>();
  private readonly episodeRerun = new Set<string>();
  private readonly lostEpisodes: LostEpisodes;
  private readonly orchestrationLimiter: Limiter;
  private readonly activities: ActivityPool;
  private readonly durableTimers: DurableTimers;
  private stopped = false;

  constructor(options: DurableEngineOptions) {
    super(options);
    this.invoker = options.invoker;
    this.timers = {
      maxShortTimerMs: options.maxShortTimerMs ?? 6 * 86_400_000,
      longTimerIntervalMs: options.longTimerIntervalMs ?? 3 * 86_400_000,
    };
    this.episodeInvocation = {
      invoker: this.invoker,
      log: this.log,
      timers: this.timers,
      debugCrossCheck: options.debugCrossCheck ?? false,
      crossCheckFailures: this.crossCheckFailures,
    };
    this.newExecutionId = options.newExecutionId ?? (() => randomUUID().replace(/-/g, ""));
    this.orchestrationLimiter = new Limiter(options.limits.maxConcurrentOrchestrations);
    this.activities = new ActivityPool(
      options.limits.maxConcurrentActivities,
      (work) => this.runActivity(work),
      (work) => this.track(work),
    );
    this.durableTimers = new DurableTimers(this.clock);
    this.lostEpisodes = new LostEpisodes(this.log);
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

  protected override nothingQueued(): boolean {
    return this.activities.queued === 0 || this.stopped;
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
    let outcome: EpisodeOutcome;
    try {
      outcome = await invokeEpisode(this.episodeInvocation, record, history, payload, nowMs);
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
