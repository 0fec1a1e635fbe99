// The app's entry point (package.json "main" → dist/functions/index.js): importing a module registers its functions.
import "./runtime/enableSourceMaps"; // first: source maps apply to modules loaded after it (it loads none itself)
import "./runtime/telemetryBoot"; // then, before any instrumented module: spans, metrics and structured logs (docs/operations.md)
import { registerSecretScrubbing } from "./runtime/secretScrub";
import "../orchestrations";
import { registerActivities } from "./activities/register";
import "./http/jobsRoutes";
import "./http/repairRoute";
import "./http/clusterRoutes";
import "./http/metaRoutes";
import "./http/validateRoute";
import "./http/jobTimelineRoute";
import "./http/costsRoute";
import "./http/consoleRoutes";
import "./queue/jobsQueue";
import "./policies/leaseRoutes";
import "./policies/scheduleRoutes";
import "./policies/scheduleRunRoutes";
import "./policies/reaperFunctions";
import "./policies/jobNotify";

// Every activity, from the factory (activities/createActivities.ts), registered in one place.
registerActivities();

// Every invocation's error (and activity result) is scrubbed of the secret values it read.
registerSecretScrubbing();
