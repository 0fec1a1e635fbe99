// The reaper's registrations: the timer (NCRONTAB from JOBFLOW_REAPER_SCHEDULE, every 5 minutes by default), a
// manual run (`POST /reaper/run`, dry run on request — the setting's dry run always wins) and the audit listing
// (`GET /reaper/decisions`, newest first, paged).
import * as df from "durable-functions";
import type { HttpRequest, Timer } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { SETTINGS, type SettingSpec } from "../../shared/config";
import { appClock } from "../runtime/appClock";
import { services, type Services } from "../runtime/services";
import { json, page } from "../http/problem";
import { auditStoreOf, runReaper, type ReaperDeps } from "./reaper";
import { purgeReplayMarkers } from "./signedRequests";
import { apiRoute } from "../http/apiRoute";

/** The reaper's dependencies from the app's services (the composition root). */
function reaperDeps(s: Services = services()): ReaperDeps {
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

const DEFAULT_SCHEDULE = (SETTINGS as readonly SettingSpec[]).find((x) => x.name === "JOBFLOW_REAPER_SCHEDULE")?.default ?? "0 */5 * * * *";

df.app.client.timer("reaperTimer", {
  // A `%SETTING%` binding expression fails to index when the app setting is missing; the declared default applies then.
  schedule: process.env.JOBFLOW_REAPER_SCHEDULE ? "%JOBFLOW_REAPER_SCHEDULE%" : DEFAULT_SCHEDULE,
  handler: async (_timer: Timer, client: DurableClient): Promise<void> => {
    await runReaper(reaperDeps(), client, { dryRun: services().config.reaperDryRun });
    const s = services();
    await purgeReplayMarkers({ config: s.config, blobs: s.cloud.blobs }, appClock().nowMs());
  },
});

apiRoute("reaperRun", { route: "reaper/run", methods: ["POST"] }, async (request: HttpRequest, client: DurableClient) => {
  const body = (await request.json().catch(() => ({}))) as { dryRun?: unknown };
  const result = await runReaper(reaperDeps(), client, { dryRun: services().config.reaperDryRun || body?.dryRun === true });
  return json(200, result);
});

apiRoute("reaperDecisions", { route: "reaper/decisions", methods: ["GET"] }, async (request: HttpRequest) => {
  const audit = auditStoreOf(reaperDeps());
  const names = await audit.names(request.query.get("cluster") ?? undefined);
  const { items, continuationToken } = page(names, request.query);
  const decisions = await audit.get(items);
  return json(200, continuationToken ? { decisions, continuationToken } : { decisions });
});
