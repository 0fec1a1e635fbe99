// Rebuilds the in-process Service Bus state from its snapshot plus the journaled changes (serviceBusStore.ts):
// per entity the messages still waiting (locked ones come back available, with their recorded deliveryCount) and
// the dead letters; per topic the retained tail of its log. Pure: files are read by the caller.
import type { BusChange, BusSnapshot } from "./serviceBusStore";
import type { ServiceBusMessageRecord } from "./serviceBusMessages";

export interface RestoredBus {
  sequence: number;
  /** Keyed by lower-cased entity name. */
  entities: Map<string, { name: string; available: ServiceBusMessageRecord[]; deadLetters: ServiceBusMessageRecord[] }>;
  /** Keyed by lower-cased topic name; `name` as first published. */
  topics: Map<string, { name: string; messages: ServiceBusMessageRecord[] }>;
}

export function foldBusState(snapshot: BusSnapshot | undefined, changes: readonly BusChange[], topicRetention: number): RestoredBus {
  const live = new Map<string, { name: string; bySeq: Map<number, ServiceBusMessageRecord>; deadLetters: ServiceBusMessageRecord[] }>();
  const entity = (name: string): { name: string; bySeq: Map<number, ServiceBusMessageRecord>; deadLetters: ServiceBusMessageRecord[] } => {
    const key = name.toLowerCase();
    let e = live.get(key);
    if (!e) live.set(key, (e = { name, bySeq: new Map(), deadLetters: [] }));
    return e;
  };
  const topics = new Map<string, { name: string; messages: ServiceBusMessageRecord[] }>();
  const publish = (topic: string, message: ServiceBusMessageRecord): void => {
    const key = topic.toLowerCase();
    let t = topics.get(key);
    if (!t) topics.set(key, (t = { name: topic, messages: [] }));
    t.messages.push(message);
  };
  let sequence = snapshot?.sequence ?? 0;
  for (const e of snapshot?.entities ?? []) {
    const target = entity(e.name);
    for (const message of e.messages) target.bySeq.set(message.sequenceNumber, message);
    target.deadLetters.push(...e.deadLetters);
  }
  for (const t of snapshot?.topics ?? []) for (const m of t.messages) publish(t.name, m);
  for (const c of changes) {
    if (c.op === "add") entity(c.entity).bySeq.set(c.message.sequenceNumber, c.message);
    else if (c.op === "publish") {
      publish(c.topic, c.message);
      for (const name of c.entities)
        entity(name).bySeq.set(c.message.sequenceNumber, { ...c.message, applicationProperties: { ...c.message.applicationProperties } });
    } else {
      const target = entity(c.entity);
      const message = target.bySeq.get(c.seq);
      if (!message) continue;
      if (c.op === "delivery") message.deliveryCount = c.deliveryCount;
      else {
        target.bySeq.delete(c.seq);
        if (c.op === "deadLetter") {
          message.deadLetterReason = c.reason;
          message.deadLetterErrorDescription = c.description;
          target.deadLetters.push(message);
        }
      }
    }
    if ("message" in c) sequence = Math.max(sequence, c.message.sequenceNumber);
  }
  for (const t of topics.values()) if (t.messages.length > topicRetention) t.messages.splice(0, t.messages.length - topicRetention);
  const entities: RestoredBus["entities"] = new Map();
  for (const [key, e] of live) {
    entities.set(key, {
      name: e.name,
      available: [...e.bySeq.values()].sort((a, b) => a.sequenceNumber - b.sequenceNumber),
      deadLetters: e.deadLetters,
    });
  }
  return { sequence, entities, topics };
}
