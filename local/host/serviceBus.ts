// In-process Service Bus: one queue per entity with peek-lock delivery to serviceBusTrigger functions, and topics
// (a log per topic, keeping its newest `topicRetention` entries, that also feeds the subscriptions triggers listen
// on). With a dataDir every change is one journal append; snapshots compact it (serviceBusStore.ts).
// Peek-lock as the Functions extension uses it (autoComplete): a delivery locks the message and increments its
// deliveryCount; success completes it; a failure abandons it (redelivered at once) until deliveryCount reaches
// maxDeliveryCount, then it is dead-lettered with reason "MaxDeliveryCountExceeded". An error named
// "DeadLetterError" dead-letters at once with its message as the reason. The extension renews the lock while the
// function runs, up to maxAutoRenewDuration: past that (virtual clock) the lock is lost and the message is
// delivered again even though the first invocation is still running — as in Azure.
// Topic logs are in serviceBusTopics.ts, which entity a trigger listens on in serviceBusBinding.ts.
export { subscriptionEntity } from "./serviceBusBinding";
export type { ApplicationProperties, SendMessageOptions, ServiceBusMessageRecord } from "./serviceBusMessages";
import { randomUUID } from "node:crypto";
import type { TimerHandle, VirtualClock } from "../clock/virtualClock";
import type { RegisteredFunction } from "./functionsCore";
import type { HostLogger } from "./log";
import { triggerEntity } from "./serviceBusBinding";
import {
  bodyTypedData,
  errorMessage,
  errorName,
  strip,
  triggerMetadata,
  type ServiceBusMessageRecord,
  type SendMessageOptions,
} from "./serviceBusMessages";
import { foldBusState } from "./serviceBusRestore";
import { BusJournal, busStateFile, loadBusJournal, loadBusSnapshot, type BusChange } from "./serviceBusStore";
import { TopicLogs } from "./serviceBusTopics";
import type { TriggerInvoker } from "./triggerInvoker";

export interface ServiceBusOptions {
  clock: VirtualClock;
  logger: HostLogger;
  invoker: TriggerInvoker;
  env?: NodeJS.ProcessEnv;
  /** Queue property (Azure default 10). */
  maxDeliveryCount?: number;
  /** Queue lock duration (Azure default 1 minute), stamped on the lockedUntil metadata. */
  lockDurationInMs?: number;
  /** host.json serviceBus maxAutoRenewDuration (default 5 minutes): how long a running function keeps its lock. */
  maxAutoRenewDurationInMs?: number;
  /** host.json serviceBus maxConcurrentCalls per listener (default 16). */
  maxConcurrentCalls?: number;
  /** Queues, dead letters and topic logs persist under `dataDir/servicebus/` (memory only when omitted). */
  dataDir?: string;
  /** Newest messages kept per topic log for topicMessages() (default 10,000); subscriptions get every message. */
  topicRetention?: number;
  /** Journal size that triggers a fresh snapshot, on top of twice the last snapshot's size (default 4 MiB). */
  journalLimitBytes?: number;
}

interface Entity {
  name: string;
  available: ServiceBusMessageRecord[];
  locked: Map<string, ServiceBusMessageRecord>;
  deadLetters: ServiceBusMessageRecord[];
  listener?: RegisteredFunction;
  running: number;
}

export class ServiceBusEmulator {
  private readonly entities = new Map<string, Entity>();
  private readonly topics: TopicLogs;
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  private stopped = false;
  private journal: BusJournal | undefined;
  private snapshotBytes = 0;

  constructor(private readonly options: ServiceBusOptions) {
    this.topics = new TopicLogs(options.topicRetention ?? 10_000);
    const stateFile = options.dataDir ? busStateFile(options.dataDir) : undefined;
    if (!stateFile) return;
    const snapshot = loadBusSnapshot(stateFile);
    const restored = foldBusState(snapshot, loadBusJournal(stateFile, snapshot), options.topicRetention ?? 10_000);
    this.sequence = restored.sequence;
    for (const e of restored.entities.values()) Object.assign(this.entity(e.name), { available: e.available, deadLetters: e.deadLetters });
    for (const [key, t] of restored.topics) this.topics.restore(key, t.name, t.messages);
    this.journal = new BusJournal(stateFile, snapshot);
    if (snapshot?.formatVersion !== 2) this.writeSnapshot(); // format 1 (no journal): rewrite in the current format
  }

  /** Attaches serviceBusTrigger functions to their queue or topic subscription and starts delivering. */
  start(functions: RegisteredFunction[]): void {
    const env = this.options.env ?? process.env;
    for (const f of functions.filter((x) => x.trigger.type.toLowerCase() === "servicebustrigger")) {
      const { name, topic } = triggerEntity(f, env);
      if (topic) this.topics.subscribe(topic, name);
      const entity = this.entity(name);
      if (entity.listener) throw new Error(`Entity '${name}' already has a listener (${entity.listener.name}).`);
      entity.listener = f;
      this.pump(entity);
    }
  }

  /** Stops delivering and waits for running invocations. Messages stay where they are. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.journal?.close();
  }

  /** The app's outbound port: enqueues `body` on `queue` (created on first use). Returns the message id. */
  send(queue: string, body: unknown, options: SendMessageOptions = {}): string {
    const entity = this.entity(queue);
    const message = this.newMessage(body, options);
    entity.available.push(message);
    this.record({ op: "add", entity: entity.name, message });
    this.options.logger.event("servicebus.enqueued", `Message ${message.messageId} enqueued on '${entity.name}'`, {
      queue: entity.name,
      messageId: message.messageId,
    });
    this.pump(entity);
    return message.messageId;
  }

  /** Appends `body` to `topic`'s log and copies it to every subscription with a listener. */
  publish(topic: string, body: unknown, options: SendMessageOptions = {}): ServiceBusMessageRecord {
    const message = this.newMessage(body, options);
    this.topics.append(topic, message);
    const names = this.topics.subscribers(topic).map((name) => this.entity(name).name);
    for (const name of names) this.entity(name).available.push({ ...message, applicationProperties: { ...message.applicationProperties } });
    this.record({ op: "publish", topic, entities: names, message });
    for (const name of names) this.pump(this.entity(name));
    return message;
  }

  /** Messages published on `topic` with sequenceNumber ≥ `fromSequence` (default all), oldest first. */
  topicMessages(topic: string, fromSequence = 0): ServiceBusMessageRecord[] {
    return this.topics.messages(topic, fromSequence);
  }

  /** The dead-letter sub-queue of `queue`, oldest first. */
  deadLetters(queue: string): ServiceBusMessageRecord[] {
    return (this.entities.get(queue.toLowerCase())?.deadLetters ?? []).map(strip);
  }

  /** Messages waiting or locked on `queue` (a peek). */
  activeMessages(queue: string): ServiceBusMessageRecord[] {
    const e = this.entities.get(queue.toLowerCase());
    return e ? [...e.locked.values(), ...e.available].map(strip) : [];
  }

  /** Resolves once no delivery is running or pending on any queue with a listener (for tests). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.inFlight.size > 0) {
        await Promise.allSettled([...this.inFlight]);
        continue;
      }
      await new Promise<void>((r) => setImmediate(r));
      const pending = [...this.entities.values()].some((e) => e.listener && e.available.length > 0 && !this.stopped);
      if (this.inFlight.size === 0 && !pending) return;
    }
  }

  /** Journals one change; past the journal limit, replaces journal + old snapshot with a fresh snapshot. */
  private record(change: BusChange): void {
    if (!this.journal) return;
    this.journal.append(change);
    if (this.journal.bytes > (this.options.journalLimitBytes ?? 4 * 2 ** 20) + 2 * this.snapshotBytes) this.writeSnapshot();
  }

  /** The whole state as a snapshot: settled messages are gone, topic logs keep their retained tail. */
  private writeSnapshot(): void {
    if (!this.journal) return;
    const snapshot = {
      sequence: this.sequence,
      entities: [...this.entities.values()].map((e) => ({
        name: e.name,
        messages: [...e.locked.values(), ...e.available],
        deadLetters: e.deadLetters,
      })),
      topics: this.topics.snapshot(),
    };
    this.snapshotBytes = this.journal.snapshot(snapshot);
  }

  private entity(name: string): Entity {
    const key = name.toLowerCase();
    let e = this.entities.get(key);
    if (!e) {
      e = { name, available: [], locked: new Map(), deadLetters: [], running: 0 };
      this.entities.set(key, e);
    }
    return e;
  }

  private newMessage(body: unknown, options: SendMessageOptions): ServiceBusMessageRecord {
    return {
      messageId: options.messageId ?? randomUUID(),
      sequenceNumber: ++this.sequence,
      body,
      contentType: options.contentType,
      correlationId: options.correlationId,
      subject: options.subject,
      applicationProperties: { ...options.applicationProperties },
      enqueuedTimeUtc: this.options.clock.now().toISOString(),
      deliveryCount: 0,
    };
  }

  private pump(entity: Entity): void {
    const max = this.options.maxConcurrentCalls ?? 16;
    while (!this.stopped && entity.listener && entity.running < max && entity.available.length > 0) {
      const message = entity.available.shift() as ServiceBusMessageRecord;
      const p = this.deliver(entity, entity.listener, message).finally(() => {
        this.inFlight.delete(p);
        entity.running--;
        this.pump(entity);
      });
      entity.running++;
      this.inFlight.add(p);
    }
  }

  private async deliver(entity: Entity, listener: RegisteredFunction, message: ServiceBusMessageRecord): Promise<void> {
    const { clock, logger } = this.options;
    message.deliveryCount++;
    const lockToken = randomUUID();
    entity.locked.set(lockToken, message);
    // The incremented deliveryCount survives a crash, as the broker's does.
    this.record({ op: "delivery", entity: entity.name, seq: message.sequenceNumber, deliveryCount: message.deliveryCount });
    const lockDurationInMs = this.options.lockDurationInMs ?? 60_000;
    const renewLimitInMs = this.options.maxAutoRenewDurationInMs ?? 5 * 60_000;
    const lockLost: TimerHandle = clock.setTimer(clock.nowMs() + Math.max(renewLimitInMs, lockDurationInMs), () => {
      if (!entity.locked.delete(lockToken)) return;
      logger.event("servicebus.lockLost", `Lock on message ${message.messageId} expired`, { messageId: message.messageId }, "warning");
      this.abandon(entity, message);
    });
    const fields = { functionName: listener.name, messageId: message.messageId, deliveryCount: message.deliveryCount };
    let failure: unknown;
    try {
      await this.options.invoker(listener, {
        triggerData: bodyTypedData(message.body),
        triggerMetadata: triggerMetadata(message, lockToken, clock.nowMs() + lockDurationInMs),
        logFields: fields,
      });
    } catch (err) {
      failure = err ?? new Error("undefined error");
    } finally {
      lockLost.cancel();
    }
    // Settlement needs the lock: if it was lost meanwhile, the message is already back in the queue.
    if (!entity.locked.delete(lockToken)) return;
    if (failure === undefined) {
      this.record({ op: "complete", entity: entity.name, seq: message.sequenceNumber });
      logger.event("servicebus.completed", `Message ${message.messageId} completed`, fields, "debug");
      return;
    }
    if (errorName(failure) === "DeadLetterError") {
      const description = (failure as { description?: unknown }).description;
      this.deadLetter(entity, message, errorMessage(failure), typeof description === "string" ? description : undefined);
      return;
    }
    this.abandon(entity, message);
  }

  private abandon(entity: Entity, message: ServiceBusMessageRecord): void {
    const max = this.options.maxDeliveryCount ?? 10;
    if (message.deliveryCount >= max) {
      this.deadLetter(entity, message, "MaxDeliveryCountExceeded", `Message could not be consumed after ${max} delivery attempts.`);
      return;
    }
    entity.available.unshift(message); // abandon keeps the message's place at the head (nothing to journal)
    this.options.logger.event("servicebus.abandoned", `Message ${message.messageId} abandoned`, {
      messageId: message.messageId,
      deliveryCount: message.deliveryCount,
    });
    setImmediate(() => this.pump(entity));
  }

  private deadLetter(entity: Entity, message: ServiceBusMessageRecord, reason: string, description?: string): void {
    message.deadLetterReason = reason;
    message.deadLetterErrorDescription = description;
    entity.deadLetters.push(message);
    this.record({ op: "deadLetter", entity: entity.name, seq: message.sequenceNumber, reason, description });
    this.options.logger.event(
      "servicebus.deadLettered",
      `Message ${message.messageId} dead-lettered on '${entity.name}': ${reason}`,
      { messageId: message.messageId, deliveryCount: message.deliveryCount, reason },
      "warning",
    );
  }
}
