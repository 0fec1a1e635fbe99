// In-memory EventPublisher: every published event, in order (`published`).
import type { CloudEvent, EventPublisher } from "../events";
import { CallRecorder } from "./recorder";

export class FakeEventPublisher extends CallRecorder<"publish"> implements EventPublisher {
  readonly published: CloudEvent[] = [];

  async publish(events: CloudEvent[]): Promise<void> {
    this.enter("publish", events);
    this.published.push(...events);
  }

  /** The types of the published events, in order. */
  types(): string[] {
    return this.published.map((e) => e.type);
  }

  reset(): void {
    this.resetCalls();
    this.published.length = 0;
  }
}
