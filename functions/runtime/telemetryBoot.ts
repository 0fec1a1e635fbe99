// Imported first by the app's entry point: telemetry and its invocation hooks are in place before any function is
// registered or any Azure SDK client is built (telemetry.ts, telemetryHooks.ts).
import { installTelemetryHooks } from "./telemetryHooks";

installTelemetryHooks();
