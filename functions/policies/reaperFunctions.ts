// The reaper's timer (NCRONTAB from JOBFLOW_REAPER_SCHEDULE, every 5 minutes by default): one run with the
// setting's dry run, then the purge of expired signed-request replay markers. Its HTTP routes (a manual run, the
// audit listing) are built from RouteDeps in reaperRoutes.ts.
import * as df from "durable-functions";
import type { Timer } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { SETTINGS, type SettingSpec } from "../../shared/config";
import { appClock } from "../runtime/appClock";
import { services } from "../runtime/services";
import { runReaper } from "./reaper";
import { reaperDepsFrom } from "./reaperDeps";
import { purgeReplayMarkers } from "./signedRequests";

const DEFAULT_SCHEDULE = (SETTINGS as readonly SettingSpec[]).find((x) => x.name === "JOBFLOW_REAPER_SCHEDULE")?.default ?? "0 */5 * * * *";

df.app.client.timer("reaperTimer", {
  // A `%SETTING%` binding expression fails to index when the app setting is missing; the declared default applies then.
  schedule: process.env.JOBFLOW_REAPER_SCHEDULE ? "%JOBFLOW_REAPER_SCHEDULE%" : DEFAULT_SCHEDULE,
  handler: async (_timer: Timer, client: DurableClient): Promise<void> => {
    const s = services();
    await runReaper(reaperDepsFrom(s), client, { dryRun: s.config.reaperDryRun });
    await purgeReplayMarkers({ config: s.config, blobs: s.cloud.blobs }, appClock().nowMs());
  },
});
