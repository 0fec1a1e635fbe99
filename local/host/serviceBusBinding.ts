// Which entity a serviceBusTrigger function listens on, read from its binding as the extension reads it:
// `queueName`, or `topicName` + `subscriptionName` (each may be a `%SETTING%`), and the binding options this
// emulator refuses (sessions, cardinality "many"). Separate from serviceBus.ts because it is configuration
// checked once at start, not message handling.
import type { RegisteredFunction } from "./functionsCore";
import { resolveSettingExpression } from "./hostJson";

export interface TriggerEntity {
  /** The entity path: the queue, or `<topic>/Subscriptions/<subscription>`. */
  name: string;
  /** Set for a topic subscription: the topic that feeds the entity. */
  topic?: string;
}

/** Entity path of a topic subscription, as Service Bus names it. */
export function subscriptionEntity(topic: string, subscription: string): string {
  return `${topic}/Subscriptions/${subscription}`;
}

/** The entity `f`'s Service Bus trigger listens on; throws naming the function for a binding it cannot serve. */
export function triggerEntity(f: RegisteredFunction, env: NodeJS.ProcessEnv): TriggerEntity {
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
  return topicName && subscription ? { name, topic: topicName } : { name };
}
