// Topics of the in-process Service Bus: an append-only log per topic (its newest `retention` entries kept,
// trimmed in batches) read by topicMessages() and the admin endpoint, and the subscription entities each topic
// feeds. Separate from serviceBus.ts because a topic log is not a queue: nothing there is locked, delivered or
// settled — publish() copies each message to the subscriptions' entities, which are queues like any other.
import { strip, type ServiceBusMessageRecord } from "./serviceBusMessages";

interface TopicEntry extends ServiceBusMessageRecord {
  topic: string;
}

export class TopicLogs {
  private readonly logs = new Map<string, TopicEntry[]>(); // lower-cased topic → log
  private readonly subscriptions = new Map<string, Set<string>>(); // lower-cased topic → entity names

  constructor(private readonly retention: number) {}

  /** Puts back a topic's log as restored from disk (serviceBusRestore.ts), under its lower-cased `key`. */
  restore(key: string, topic: string, messages: ServiceBusMessageRecord[]): void {
    this.logs.set(
      key,
      messages.map((m) => ({ ...m, topic })),
    );
  }

  /** Appends to the topic's log, keeping the newest `retention` entries (trimmed in batches). */
  append(topic: string, message: ServiceBusMessageRecord): void {
    const key = topic.toLowerCase();
    const log = this.logs.get(key) ?? [];
    log.push({ ...message, topic });
    const keep = this.retention;
    if (log.length > keep + Math.max(1, Math.floor(keep / 4))) log.splice(0, log.length - keep);
    this.logs.set(key, log);
  }

  /** Messages published on `topic` with sequenceNumber ≥ `fromSequence`, oldest first. */
  messages(topic: string, fromSequence: number): ServiceBusMessageRecord[] {
    const log = this.logs.get(topic.toLowerCase()) ?? [];
    return log
      .slice(Math.max(0, log.length - this.retention))
      .filter((m) => m.sequenceNumber >= fromSequence)
      .map(strip);
  }

  /** Makes `topic` feed the subscription entity `entityName`. */
  subscribe(topic: string, entityName: string): void {
    const key = topic.toLowerCase();
    const set = this.subscriptions.get(key) ?? new Set<string>();
    set.add(entityName);
    this.subscriptions.set(key, set);
  }

  /** The subscription entities `topic` feeds. */
  subscribers(topic: string): string[] {
    return [...(this.subscriptions.get(topic.toLowerCase()) ?? [])];
  }

  /** Every non-empty log's retained tail, as the snapshot stores it. */
  snapshot(): { name: string; messages: ServiceBusMessageRecord[] }[] {
    return [...this.logs.values()]
      .filter((log) => log.length > 0)
      .map((log) => ({
        name: (log[0] as TopicEntry).topic,
        messages: log.slice(Math.max(0, log.length - this.retention)).map(({ topic: _topic, ...m }) => m),
      }));
  }
}
