// The activity dispatcher: activity work items queued FIFO and run at most `maxConcurrentActivities` at a time
// (the extension's maxConcurrentActivityFunctions). Separate from engineCore.ts because it is a queue with a
// concurrency limit and nothing else: what an activity does and where its completion goes is the engine's
// (`run`), and the engine's idle tracking sees each run (`track`).
import type { Scheduled } from "./shim";
import { JsonText } from "./payloadJson";

export interface ActivityWork {
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
  name: string;
  input: unknown;
}

/**
 * What an activity is sent: string inputs as they are (the SDK already JSON-encoded them), others as the JSON text
 * just written into their TaskScheduled event (the same `JSON.stringify`, done once).
 */
export function activityInput(item: Scheduled): unknown {
  if (typeof item.input === "string" || item.input === undefined || item.inputJson === null || item.inputJson === undefined)
    return item.input;
  return new JsonText(item.inputJson);
}

export class ActivityPool {
  private readonly queue: ActivityWork[] = [];
  private running = 0;
  private stopped = false;

  constructor(
    private readonly maxActivities: number,
    /** Runs one work item (never rejects for a user error: a failure is a TaskFailed completion). */
    private readonly run: (work: ActivityWork) => Promise<void>,
    /** Hands each run to the engine's idle tracking. */
    private readonly track: (work: Promise<unknown>) => void,
  ) {
    if (!(maxActivities >= 1)) throw new Error("maxConcurrentActivities must be >= 1");
  }

  /** Work queued and not started yet (kept after stop(): it is all in the store for the next start). */
  get queued(): number {
    return this.queue.length;
  }

  enqueue(work: ActivityWork): void {
    this.queue.push(work);
    this.pump();
  }

  /** No new work item starts after this; running ones finish. */
  stop(): void {
    this.stopped = true;
  }

  private pump(): void {
    while (!this.stopped && this.running < this.maxActivities && this.queue.length > 0) {
      const work = this.queue.shift() as ActivityWork;
      this.running++;
      this.track(
        this.run(work).finally(() => {
          this.running--;
          this.pump();
        }),
      );
    }
  }
}
