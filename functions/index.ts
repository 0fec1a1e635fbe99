// The app's entry point (package.json "main" → dist/functions/index.js): importing a module registers its functions.
import "./runtime/enableSourceMaps"; // first: source maps apply to modules loaded after it (it loads none itself)
import "./runtime/telemetryBoot"; // then, before any instrumented module: spans, metrics and structured logs (docs/operations.md)
import { registerSecretScrubbing } from "./runtime/secretScrub";
import "../orchestrations";
import { registerActivities } from "./activities/register";
import { registerHttpRoutes } from "./http/register";
import "./queue/jobsQueue";
import "./policies/reaperFunctions";
import "./policies/jobNotify";

// Every HTTP route of functions/http, from the factories (http/routes.ts), registered in one place.
registerHttpRoutes();

// Every activity, from the factory (activities/createActivities.ts), registered in one place.
registerActivities();

// Every invocation's error (and activity result) is scrubbed of the secret values it read.
registerSecretScrubbing();
