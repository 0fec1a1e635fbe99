// The seam through which the embedded runtime (local/, `npm start` and the integration tests) hands the app what
// Azure provides implicitly: the clock everything agrees on (virtual there) and the events topic (the local host's
// in-process topic instead of Service Bus). A process-wide symbol, not a module variable, so it survives the host
// reloading the app's modules; in Azure nothing registers and the app uses the wall clock and Service Bus.
import type { Clock } from "../../shared/clock";
import type { EventPublisher } from "../../shared/cloud/events";
import type { EmbeddedTelemetry } from "./telemetry";

export interface EmbeddedRuntime {
  clock?: Clock;
  events?: EventPublisher;
  /** In-process span processors / metric readers (tests); see telemetry.ts. */
  telemetry?: EmbeddedTelemetry;
}

const KEY = Symbol.for("jobflow.embeddedRuntime");
type WithRuntime = { [KEY]?: EmbeddedRuntime };

export function embeddedRuntime(): EmbeddedRuntime | undefined {
  return (globalThis as WithRuntime)[KEY];
}

export function registerEmbeddedRuntime(runtime: EmbeddedRuntime | undefined): void {
  (globalThis as WithRuntime)[KEY] = runtime;
}
