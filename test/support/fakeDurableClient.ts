// A small in-memory stand-in for the Durable client, for unit tests of activities that talk to the Durable runtime
// (functions/activities/durableClientActivities.ts, schedules, webhooks): instances with a runtime status and a
// custom status, startNew / raiseEvent recorded. getStatus of an unknown instance throws "HTTP 404" as the real
// client does. Only what those activities use; the integration tests run the real client on the local host.
import type { DurableClient } from "durable-functions";

export interface FakeInstance {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  customStatus?: unknown;
  input?: unknown;
}

export class FakeDurableClient {
  readonly instances = new Map<string, FakeInstance>();
  readonly started: { name: string; instanceId: string; input: unknown }[] = [];
  readonly raised: { instanceId: string; eventName: string; payload: unknown }[] = [];
  /** The next startNew throws this (once). */
  failNextStart: unknown;
  /** The next raiseEvent throws this (once). */
  failNextRaise: unknown;

  put(instance: FakeInstance): void {
    this.instances.set(instance.instanceId, instance);
  }

  async getStatus(instanceId: string): Promise<FakeInstance> {
    const found = this.instances.get(instanceId);
    if (!found) throw new Error(`getStatus ${instanceId}: HTTP 404 Not Found`);
    return { ...found };
  }

  async getStatusBy(filter: { runtimeStatus?: string[] }): Promise<FakeInstance[]> {
    return [...this.instances.values()]
      .filter((i) => !filter.runtimeStatus || filter.runtimeStatus.includes(i.runtimeStatus))
      .map((i) => ({ ...i }));
  }

  async startNew(name: string, options: { instanceId: string; input?: unknown }): Promise<string> {
    if (this.failNextStart !== undefined) {
      const err = this.failNextStart;
      this.failNextStart = undefined;
      throw err;
    }
    this.started.push({ name, instanceId: options.instanceId, input: options.input });
    this.put({ instanceId: options.instanceId, name, runtimeStatus: "Running", input: options.input });
    return options.instanceId;
  }

  async raiseEvent(instanceId: string, eventName: string, payload: unknown): Promise<void> {
    if (this.failNextRaise !== undefined) {
      const err = this.failNextRaise;
      this.failNextRaise = undefined;
      throw err;
    }
    this.raised.push({ instanceId, eventName, payload });
  }

  asClient(): DurableClient {
    return this as unknown as DurableClient;
  }
}
