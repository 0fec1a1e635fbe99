// DurableEngine: the Durable Functions back end of the local host — client operations (start, raise event,
// terminate, suspend/resume, purge, status, query) and test helpers on top of EngineCore's episode machinery.
import { JobflowError } from "../../../shared/errors";
import { EngineCore } from "./engineCore";
import { executionStartedEvent } from "./episode";
import { historyEvent, subOrchestrationCompletion } from "./events";
import type { DurableEngineOptions } from "./ports";
import { EventType, isTerminal, type InstanceRecord, type ParentRef, type RuntimeStatus } from "./types";

/** Result of an operation on an existing instance: as the extension maps it to 202 / 404 / 410. */
export type InstanceOperationResult = "accepted" | "notFound" | "gone";

export interface StartOptions {
  instanceId?: string;
  /** JSON text of the input (as the HTTP body carries it); null/undefined/"" = no input. */
  inputJson?: string | null;
  version?: string;
}

export interface InstanceQuery {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFromMs?: number;
  createdTimeToMs?: number;
  instanceIdPrefix?: string;
}

export class DurableEngine extends EngineCore {
  constructor(options: DurableEngineOptions) {
    super(options);
  }

  /**
   * Creates and schedules a new instance; resolves with its id once the start is durable. A running/pending
   * instance with the same id → ConflictError (HTTP 409); a finished one is replaced (new execution).
   */
  async startNew(name: string, options: StartOptions = {}): Promise<string> {
    if (this.invoker.hasOrchestrator && !this.invoker.hasOrchestrator(name)) {
      throw new JobflowError("ValidationError", `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const instanceId = options.instanceId ?? this.newExecutionId();
    if (instanceId.startsWith("@")) throw new JobflowError("ValidationError", "Orchestration instance ids must not start with @");
    const inputJson = options.inputJson === undefined || options.inputJson === "" ? null : options.inputJson;
    await this.createInstance(instanceId, name, inputJson, undefined, options.version);
    return instanceId;
  }

  /** Raises an external event (data = JSON text); 410 semantics for finished instances. */
  async raiseEvent(instanceId: string, eventName: string, dataJson: string | null): Promise<InstanceOperationResult> {
    const record = this.records.get(instanceId);
    if (!record) return "notFound";
    if (isTerminal(record.runtimeStatus)) return "gone";
    const event = historyEvent(EventType.EventRaised, this.clock.nowMs(), { Name: eventName, Input: dataJson });
    await this.deliver(instanceId, undefined, event);
    return "accepted";
  }

  async terminate(instanceId: string, reason?: string): Promise<InstanceOperationResult> {
    const result = await this.serialize(instanceId, async (): Promise<InstanceOperationResult> => {
      const record = this.records.get(instanceId);
      if (!record) return "notFound";
      if (isTerminal(record.runtimeStatus)) return "gone";
      const nowMs = this.clock.nowMs();
      const output = JSON.stringify(reason ?? null);
      await this.persist({
        ...record,
        runtimeStatus: "Terminated",
        output,
        inbox: [],
        lastUpdatedTimeMs: nowMs,
        history: [
          ...record.history,
          historyEvent(EventType.ExecutionTerminated, nowMs, { Input: output }),
          historyEvent(EventType.ExecutionCompleted, nowMs, { OrchestrationStatus: "Terminated", Result: output }),
        ],
      });
      return "accepted";
    });
    if (result === "accepted") {
      this.cancelTimers(instanceId);
      const record = this.records.get(instanceId) as InstanceRecord;
      this.log.event("durable.instanceTerminated", `Instance '${instanceId}' terminated: ${reason ?? ""}`, { instanceId });
      const completion = subOrchestrationCompletion(record, this.clock.nowMs());
      if (record.parent && completion) this.track(this.deliver(record.parent.instanceId, record.parent.executionId, completion));
    }
    return result;
  }

  /** Suspends a running instance: episodes stop, messages keep arriving in its inbox. */
  suspend(instanceId: string, reason?: string): Promise<InstanceOperationResult> {
    return this.setSuspended(instanceId, true, reason);
  }

  /** Resumes a suspended instance and processes what arrived meanwhile. */
  resume(instanceId: string, reason?: string): Promise<InstanceOperationResult> {
    return this.setSuspended(instanceId, false, reason);
  }

  /** Deletes a finished instance (1) — running or missing ones are not purged (0). */
  async purge(instanceId: string): Promise<number> {
    return this.serialize(instanceId, async () => {
      const record = this.records.get(instanceId);
      if (!record || !isTerminal(record.runtimeStatus)) return 0;
      await this.store.delete(instanceId);
      this.records.delete(instanceId);
      return 1;
    });
  }

  /** Purges every finished instance matching the filter; resolves with the count. */
  async purgeWhere(query: InstanceQuery): Promise<number> {
    let deleted = 0;
    for (const record of this.query(query)) deleted += await this.purge(record.instanceId);
    return deleted;
  }

  /** A snapshot of one instance (undefined when unknown). */
  getInstance(instanceId: string): InstanceRecord | undefined {
    return this.records.get(instanceId);
  }

  /** Instances matching the filter, oldest first (ties by id) — a stable order for continuation tokens. */
  query(query: InstanceQuery = {}): InstanceRecord[] {
    const matches = [...this.records.values()].filter(
      (r) =>
        (!query.runtimeStatus?.length || query.runtimeStatus.includes(r.runtimeStatus)) &&
        (query.createdTimeFromMs === undefined || r.createdTimeMs >= query.createdTimeFromMs) &&
        (query.createdTimeToMs === undefined || r.createdTimeMs <= query.createdTimeToMs) &&
        (!query.instanceIdPrefix || r.instanceId.startsWith(query.instanceIdPrefix)),
    );
    return matches.sort(
      (a, b) => a.createdTimeMs - b.createdTimeMs || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0),
    );
  }

  /**
   * Resolves with the record once the instance reaches one of `statuses`. Does not move a manual clock: combine
   * with runUntilIdle() when timers are involved. Rejects with AbortError when the signal aborts.
   */
  waitForInstance(
    instanceId: string,
    statuses: RuntimeStatus | RuntimeStatus[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<InstanceRecord> {
    const wanted = Array.isArray(statuses) ? statuses : [statuses];
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const record = this.records.get(instanceId);
        if (record && wanted.includes(record.runtimeStatus)) {
          stop();
          resolve(record);
          return true;
        }
        return false;
      };
      const onAbort = (): void => {
        stop();
        reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
      };
      const unsubscribe = this.onStatusChange(check);
      const stop = (): void => {
        unsubscribe();
        options.abortSignal?.removeEventListener("abort", onAbort);
      };
      options.abortSignal?.addEventListener("abort", onAbort, { once: true });
      check();
    });
  }

  protected override async startChild(
    parent: InstanceRecord,
    taskScheduledId: number,
    name: string,
    childId: string,
    inputJson: string | null,
  ): Promise<void> {
    const parentRef: ParentRef = { instanceId: parent.instanceId, executionId: parent.executionId, taskScheduledId };
    try {
      if (childId === parent.instanceId || childId === parent.parent?.instanceId) {
        throw new Error("The instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration.");
      }
      if (this.invoker.hasOrchestrator && !this.invoker.hasOrchestrator(name)) {
        throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
      }
      await this.createInstance(childId, name, inputJson, parentRef);
    } catch (err) {
      const failed = historyEvent(EventType.SubOrchestrationInstanceFailed, this.clock.nowMs(), {
        TaskScheduledId: taskScheduledId,
        Reason: err instanceof Error ? err.message : String(err),
        Details: "",
      });
      await this.deliver(parent.instanceId, parent.executionId, failed);
    }
  }

  private async createInstance(
    instanceId: string,
    name: string,
    inputJson: string | null,
    parent?: ParentRef,
    version?: string,
  ): Promise<void> {
    await this.serialize(instanceId, async () => {
      const existing = this.records.get(instanceId);
      if (existing && !isTerminal(existing.runtimeStatus)) {
        throw new JobflowError("ConflictError", `An Orchestration instance with the status ${existing.runtimeStatus} already exists.`);
      }
      this.cancelTimers(instanceId);
      const nowMs = this.clock.nowMs();
      const record: InstanceRecord = {
        instanceId,
        name,
        version,
        executionId: this.newExecutionId(),
        input: inputJson,
        output: null,
        customStatus: null,
        runtimeStatus: "Pending",
        createdTimeMs: nowMs,
        lastUpdatedTimeMs: nowMs,
        parent,
        history: [],
        inbox: [],
      };
      record.inbox = [{ executionId: record.executionId, event: executionStartedEvent(nowMs, record) }];
      await this.persist(record);
    });
    this.log.event(
      "durable.instanceScheduled",
      `Scheduled '${name}' as instance '${instanceId}'`,
      { instanceId, functionName: name },
      "debug",
    );
    this.scheduleEpisode(instanceId);
  }

  private async setSuspended(instanceId: string, suspend: boolean, reason?: string): Promise<InstanceOperationResult> {
    const result = await this.serialize(instanceId, async (): Promise<InstanceOperationResult> => {
      const record = this.records.get(instanceId);
      if (!record) return "notFound";
      if (isTerminal(record.runtimeStatus)) return "gone";
      const isSuspended = record.runtimeStatus === "Suspended";
      if (isSuspended === suspend) return "accepted";
      const nowMs = this.clock.nowMs();
      const type = suspend ? EventType.ExecutionSuspended : EventType.ExecutionResumed;
      await this.persist({
        ...record,
        runtimeStatus: suspend ? "Suspended" : record.history.length === 0 ? "Pending" : "Running",
        lastUpdatedTimeMs: nowMs,
        history: [...record.history, historyEvent(type, nowMs, { Reason: reason ?? "" })],
      });
      return "accepted";
    });
    if (result === "accepted" && !suspend) this.scheduleEpisode(instanceId);
    return result;
  }
}
