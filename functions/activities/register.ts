// The one place activities are registered with the Functions runtime (df.app.activity). Handlers come from the
// factory (createActivities), built from the composition root's services on first use and rebuilt when the
// services are (tests reset them between host starts). The Durable client binding is added only for the
// activities that talk to the Durable runtime (USES_DURABLE_CLIENT).
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import { ACTIVITY } from "../../shared/workflow/activities";
import type { ActivityName } from "../../shared/workflow/activityContracts";
import { appClock } from "../runtime/appClock";
import { services, type Services } from "../runtime/services";
import { submitJob } from "../submit";
import type { ActivityDeps, ActivityHandlers, ActivityInvocation } from "./activityDeps";
import { createActivities } from "./createActivities";

/** Activities whose handler calls invocation.durableClient(). */
export const USES_DURABLE_CLIENT: readonly ActivityName[] = [
  ACTIVITY.saveJobRecord,
  ACTIVITY.raiseEventTo,
  ACTIVITY.findEndedHolders,
  ACTIVITY.ensureClusterOrchestration,
  ACTIVITY.findWarmCluster,
  ACTIVITY.acquireCluster,
  ACTIVITY.startWebhookDelivery,
  ACTIVITY.runScheduleOccurrence,
  ACTIVITY.submitScheduleRun,
  ACTIVITY.getWarmupClaim,
  ACTIVITY.clusterSideEffects,
];

/** The clock of the running app, read at each use (the embedded runtime registers its virtual clock at start). */
const currentClock: ActivityDeps["clock"] = {
  nowMs: () => appClock().nowMs(),
  now: () => appClock().now(),
  sleep: (durationInMs, options) => appClock().sleep(durationInMs, options),
};

/** Production dependencies: the real clients, built once by the composition root. */
export function activityDepsFrom(s: Services): ActivityDeps {
  return {
    config: s.config,
    clock: currentClock,
    // Lazy on purpose: a client whose setting is missing fails on its first use, not when activities are built.
    get clusters() {
      return s.cloud.clusters;
    },
    get runCommands() {
      return s.cloud.runCommands;
    },
    get blobs() {
      return s.cloud.blobs;
    },
    get secrets() {
      return s.cloud.secrets;
    },
    get events() {
      return s.cloud.events;
    },
    retailPrices: s.retailPrices,
    livy: s.livy,
    gateway: s.gateway,
    profiles: s.profiles,
    profile: s.profile,
    submitJob,
  };
}

const built = new WeakMap<Services, ActivityHandlers>();

function handlers(): ActivityHandlers {
  const s = services();
  let h = built.get(s);
  if (!h) built.set(s, (h = createActivities(activityDepsFrom(s))));
  return h;
}

const clientInput = df.input.durableClient();

function register<N extends ActivityName>(name: N): void {
  const withClient = USES_DURABLE_CLIENT.includes(name);
  df.app.activity(name, {
    ...(withClient ? { extraInputs: [clientInput] } : {}),
    handler: (input: unknown, context: InvocationContext) => {
      const invocation: ActivityInvocation = { durableClient: () => df.getClient(context) };
      const handler = handlers()[name] as (input: unknown, invocation: ActivityInvocation) => Promise<unknown>;
      return handler(input, invocation);
    },
  });
}

export function registerActivities(): void {
  for (const name of Object.values(ACTIVITY)) register(name);
}
