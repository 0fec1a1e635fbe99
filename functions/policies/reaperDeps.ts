// The reaper's dependencies from the app's services (the composition root): its timer (reaperFunctions.ts) and its
// HTTP routes (reaperRoutes.ts, through RouteDeps) build them here. No registrations: importing this file has no
// side effects.
import { appClock } from "../runtime/appClock";
import type { Services } from "../runtime/services";
import type { ReaperDeps } from "./reaper";

export function reaperDepsFrom(s: Services): ReaperDeps {
  return {
    config: s.config,
    clock: appClock(),
    clusters: s.cloud.clusters,
    secrets: s.cloud.secrets,
    blobs: s.cloud.blobs,
    events: s.cloud.events,
    gatewayLogin: async (clusterName, profileName) => {
      const login = await s.gatewayLogins.login(clusterName, profileName);
      return { username: login.username, password: login.password };
    },
    livyWith: (clusterName, credentials) => s.cloud.livy(clusterName, credentials),
    gatewayWith: (clusterName, credentials) => s.cloud.gateway(clusterName, credentials),
  };
}
