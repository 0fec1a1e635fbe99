// The clock activities read for policy decisions (warm-cluster expiry, idle ages). Production: the wall clock.
// The embedded runtime registers its virtual clock here before loading the app, so activities and the durable
// timers of orchestrations agree on "now". (SAS expiry keeps using real time: Azurite checks it against its own.)
import { systemClock, type Clock } from "../../shared/clock";

let clock: Clock = systemClock;

export function appClock(): Clock {
  return clock;
}

export function registerAppClock(c: Clock): void {
  clock = c;
}
