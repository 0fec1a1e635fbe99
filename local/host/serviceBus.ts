// In-process Service Bus: one queue per entity with peek-lock delivery to serviceBusTrigger functions, and topics
// (an append-only log per topic that also feeds the subscriptions triggers listen on).
// Peek-lock as the Functions extension uses it (autoComplete): a delivery locks the message and increments its
// deliveryCount; success completes it; a failure abandons it (redelivered at once) until deliveryCount reaches
// maxDeliveryCount, then it is dead-lettered with reason "MaxDeliveryCountExceeded". An error named
// "DeadLetterError" dead-letters at once with its message as the reason. The extension renews the lock while the
// function runs, up to maxAutoRenewDuration: past that (virtual clock) the lock is lost and the message is
// delivered again even though the first invocation is still running — as in Azure.
export type { ApplicationProperties, SendMessageOptions, ServiceBusMessageRecord } from "./serviceBusMessages";
import { randomUUID } from "node:crypto";
import type { TimerHandle, VirtualClock } from "../clock/virtualClock";
import type { RegisteredFunction } from "./functionsCore";
import { resolveSettingExpression } from "./hostJson";
import type { HostLogger } from "./log";
import {
  bodyTypedData,
  errorMessage,
  errorName,
  strip,
  triggerMetadata,
  type ServiceBusMessageRecord,
  type SendMessageOptions,
} from "./serviceBusMessages";
import { busStateFile, loadBusSnapshot, saveBusSnapshot, SERVICE_BUS_FORMAT_VERSION } from "./serviceBusStore";
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
}

interface Entity {
  name: string;
  available: ServiceBusMessageRecord[];
  locked: Map<string, ServiceBusMessageRecord>;
  deadLetters: ServiceBusMessageRecord[];
  listener?: RegisteredFunction;
  running: number;
}

interface TopicEntry extends ServiceBusMessageRecord {
  topic: string;
}

export class ServiceBusEmulator {
  private readonly entities = new Map<string, Entity>();
  private readonly topics = new Map<string, TopicEntry[]>();
  private readonly subscriptions = new Map<string, Set<string>>(); // topic → entity names
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  private stopped = false;
  private readonly stateFile: string | undefined;

  constructor(private readonly options: ServiceBusOptions) {
    this.stateFile = options.dataDir ? busStateFile(options.dataDir) : undefined;
    const snapshot = this.stateFile ? loadBusSnapshot(this.stateFile) : undefined;
    if (!snapshot) return;
    this.sequence = snapshot.sequence;
    for (const e of snapshot.entities) {
      const entity = this.entity(e.name);
      entity.available = [...e.messages].sort((a, b) => a.sequenceNumber - b.sequenceNumber);
      entity.deadLetters = e.deadLetters;
    }
    for (const t of snapshot.topics) this.topics.set(t.name.toLowerCase(), t.messages.map((m) => ({ ...m, topic: t.name })));
  }

  /** Attaches serviceBusTrigger functions to their queue or topic subscription and starts delivering. */
  start(functions: RegisteredFunction[]): void {
    const env = this.options.env ?? process.env;
    for (const f of functions.filter((x) => x.trigger.type.toLowerCase() === "servicebustrigger")) {
      const setting = (key: string): string | undefined => {
        const raw = f.trigger[key];
        if (typeof raw !== "string") return undefined;
        try {
          return resolveSettingExpression(raw, env);
        } catch (err) {
          throw new Error(`Function '${f.name}' ${key}: ${err instanceof Error ? err.message : String(err)}`);
        }
      };
      const queueName = setting("queueName");
      const topicName = setting("topicName");
      const subscription = setting("subscriptionName");
      if (f.trigger.isSessionsEnabled === true) throw new Error(`Function '${f.name}': Service Bus sessions are not emulated.`);
      if (f.trigger.cardinality === "many") throw new Error(`Function '${f.name}': cardinality "many" is not emulated.`);
      const name = queueName ?? (topicName && subscription ? subscriptionEntity(topicName, subscription) : undefined);
      if (!name) throw new Error(`Function '${f.name}': a Service Bus trigger needs queueName or topicName + subscriptionName.`);
      if (topicName && subscription) this.subscribe(topicName, name);
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
  }

  /** The app's outbound port: enqueues `body` on `queue` (created on first use). Returns the message id. */
  send(queue: string, body: unknown, options: SendMessageOptions = {}): string {
    const entity = this.entity(queue);
    const message = this.newMessage(body, options);
    entity.available.push(message);
    this.persist();
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
    const key = topic.toLowerCase();
    const log = this.topics.get(key) ?? [];
    log.push({ ...message, topic });
    this.topics.set(key, log);
    for (const name of this.subscriptions.get(key) ?? []) {
      const entity = this.entity(name);
      entity.available.push({ ...message, applicationProperties: { ...message.applicationProperties } });
    }
    this.persist();
    for (const name of this.subscriptions.get(key) ?? []) this.pump(this.entity(name));
    return message;
  }

  /** Messages published on `topic` with sequenceNumber ≥ `fromSequence` (default all), oldest first. */
  topicMessages(topic: string, fromSequence = 0): ServiceBusMessageRecord[] {
    return (this.topics.get(topic.toLowerCase()) ?? []).filter((m) => m.sequenceNumber >= fromSequence).map(strip);
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

  private persist(): void {
    if (!this.stateFile) return;
    saveBusSnapshot(this.stateFile, {
      formatVersion: SERVICE_BUS_FORMAT_VERSION,
      sequence: this.sequence,
      entities: [...this.entities.values()].map((e) => ({
        name: e.name,
        messages: [...e.locked.values(), ...e.available],
        deadLetters: e.deadLetters,
      })),
      topics: [...this.topics.values()].filter((log) => log.length > 0).map((log) => ({ name: (log[0] as TopicEntry).topic, messages: log })),
    });
  }

  private subscribe(topic: string, entityName: string): void {
    const key = topic.toLowerCase();
    const set = this.subscriptions.get(key) ?? new Set<string>();
    set.add(entityName);
    this.subscriptions.set(key, set);
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
    this.persist(); // the incremented deliveryCount survives a crash, as the broker's does
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
      this.persist();
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
      this.deadLetter(
        entity,
        message,
        "MaxDeliveryCountExceeded",
        `Message could not be consumed after ${max} delivery attempts.`,
      );
      return;
    }
    entity.available.unshift(message); // abandon keeps the message's place at the head
    this.persist();
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
    this.persist();
    this.options.logger.event(
      "servicebus.deadLettered",
      `Message ${message.messageId} dead-lettered on '${entity.name}': ${reason}`,
      { messageId: message.messageId, deliveryCount: message.deliveryCount, reason },
      "warning",
    );
  }
}

/** Entity path of a topic subscription, as Service Bus names it. */
export function subscriptionEntity(topic: string, subscription: string): string {
  return `${topic}/Subscriptions/${subscription}`;
}
