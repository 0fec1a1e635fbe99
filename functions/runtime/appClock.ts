// The clock activities read for policy decisions (warm-cluster expiry, idle ages, record times). Production: the
// wall clock. The embedded runtime registers its virtual clock (functions/runtime/embedded.ts), so activities and
// the durable timers of orchestrations agree on "now". SAS expiry keeps real time: Azurite checks it with its own.
import { systemClock, type Clock } from "../../shared/clock";
import { embeddedRuntime } from "./embedded";

export function appClock(): Clock {
  return embeddedRuntime()?.clock ?? systemClock;
}
