// (e) host.json's durableTask/serviceBus sections, and the jobs queue's delivery settings, checked against the
// documented schemas (Durable Functions 2.x "host.json settings"; Service Bus extension 5.x ServiceBusOptions) and
// the keys the local host (local/host/hostJson.ts) honours.
import { SETTINGS } from "../../../shared/config";
import { findResources, parseObject, type TemplateSet } from "./bicepReader";
import { provisionedAppSettings } from "./infraChecks";

/** extensions.durableTask keys documented for Durable Functions 2.x. */
const DURABLE_KEYS = new Set([
  "hubName", "defaultVersion", "versionMatchStrategy", "versionFailureStrategy", "storageProvider", "tracing",
  "httpSettings", "notifications", "maxConcurrentActivityFunctions", "maxConcurrentOrchestratorFunctions",
  "maxConcurrentEntityFunctions", "extendedSessionsEnabled", "extendedSessionIdleTimeoutInSeconds", "useAppLease",
  "useGracefulShutdown", "maxEntityOperationBatchSize", "storeInputsInOrchestrationHistory",
]);
/** extensions.durableTask.storageProvider keys of the Azure Storage provider (+ `type`). */
const AZURE_STORAGE_PROVIDER_KEYS = new Set([
  "type", "connectionName", "connectionStringName", "controlQueueBatchSize", "controlQueueBufferThreshold",
  "controlQueueVisibilityTimeout", "maxQueuePollingInterval", "partitionCount", "trackingStoreConnectionName",
  "trackingStoreConnectionStringName", "trackingStoreNamePrefix", "useLegacyPartitionManagement",
  "useTablePartitionManagement", "workItemQueueVisibilityTimeout", "fetchLargeMessagesAutomatically",
]);
/** extensions.serviceBus keys of the Service Bus extension 5.x (extension bundle 4.x). */
const SERVICE_BUS_KEYS = new Set([
  "clientRetryOptions", "prefetchCount", "transportType", "webProxy", "autoCompleteMessages",
  "maxAutoLockRenewalDuration", "maxConcurrentCalls", "maxConcurrentSessions", "maxMessageBatchSize",
  "minMessageBatchSize", "maxBatchWaitTime", "sessionIdleTimeout", "enableCrossEntityTransactions",
]);
/** What local/host/hostJson.ts reads: these must be present so local runs match Azure. */
const LOCAL_HOST_HONOURS = ["hubName", "maxConcurrentActivityFunctions", "maxConcurrentOrchestratorFunctions"];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** "hh:mm:ss" -> seconds; undefined when not a TimeSpan. */
export function timeSpanSeconds(v: unknown): number | undefined {
  const m = typeof v === "string" ? /^(\d{2}):(\d{2}):(\d{2})$/.exec(v) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

function intIn(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/** Checks host.json text; `set` (the templates) lets it check that %SETTING% references are provisioned. */
export function checkHostJson(text: string, set?: TemplateSet): string[] {
  let host: unknown;
  try { host = JSON.parse(text); } catch (e) { return [`host.json is not valid JSON: ${(e as Error).message}`]; }
  const problems: string[] = [];
  if (!isObj(host) || host.version !== "2.0") return ["host.json must be an object with version \"2.0\""];
  const ext = isObj(host.extensions) ? host.extensions : {};
  if (!isObj(ext.http) || ext.http.routePrefix !== "api") problems.push("extensions.http.routePrefix must be \"api\" (the API base URL output assumes it)");

  const durable = isObj(ext.durableTask) ? ext.durableTask : undefined;
  if (!durable) return [...problems, "extensions.durableTask is missing"];
  for (const k of Object.keys(durable)) if (!DURABLE_KEYS.has(k)) problems.push(`durableTask.${k} is not a documented Durable Functions 2.x setting`);
  for (const k of LOCAL_HOST_HONOURS) if (!(k in durable)) problems.push(`durableTask.${k} must be set (the local host honours it)`);
  const hub = durable.hubName;
  const hubRef = typeof hub === "string" ? /^%(\w+)%$/.exec(hub)?.[1] : undefined;
  if (hubRef) {
    if (!SETTINGS.some((s) => s.name === hubRef)) problems.push(`durableTask.hubName references %${hubRef}%, which shared/config.ts SETTINGS does not declare`);
    if (set && !provisionedAppSettings(set).settings.has(hubRef)) problems.push(`durableTask.hubName references %${hubRef}%, which the templates do not provision`);
  } else if (typeof hub !== "string" || !/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hub)) {
    problems.push("durableTask.hubName must be %SETTING% or 3-45 letters/digits starting with a letter");
  }
  for (const k of ["maxConcurrentActivityFunctions", "maxConcurrentOrchestratorFunctions"]) {
    if (!intIn(durable[k], 1, 100)) problems.push(`durableTask.${k} must be an integer 1..100`);
  }
  if (durable.extendedSessionsEnabled !== false) problems.push("durableTask.extendedSessionsEnabled must be false");

  const provider = isObj(durable.storageProvider) ? durable.storageProvider : {};
  if (provider.type !== undefined && provider.type !== "AzureStorage") problems.push("storageProvider.type must be AzureStorage (what the templates provision)");
  for (const k of Object.keys(provider)) if (!AZURE_STORAGE_PROVIDER_KEYS.has(k)) problems.push(`storageProvider.${k} is not a documented Azure Storage provider setting`);
  if (provider.connectionName !== undefined && provider.connectionName !== "AzureWebJobsStorage") problems.push("storageProvider.connectionName must be AzureWebJobsStorage (the identity-based connection the templates provision)");
  const polling = timeSpanSeconds(provider.maxQueuePollingInterval);
  if (polling === undefined || polling < 1 || polling > 60) problems.push("storageProvider.maxQueuePollingInterval must be a TimeSpan between 00:00:01 and 00:01:00");
  if (provider.partitionCount !== undefined && !intIn(provider.partitionCount, 1, 16)) problems.push("storageProvider.partitionCount must be 1..16");

  const sb = isObj(ext.serviceBus) ? ext.serviceBus : undefined;
  if (!sb) return [...problems, "extensions.serviceBus is missing"];
  for (const k of Object.keys(sb)) if (!SERVICE_BUS_KEYS.has(k)) problems.push(`serviceBus.${k} is not a Service Bus extension 5.x setting`);
  if (!intIn(sb.maxConcurrentCalls, 1, 64)) problems.push("serviceBus.maxConcurrentCalls must be 1..64");
  if (sb.prefetchCount !== undefined && !intIn(sb.prefetchCount, 0, 100)) problems.push("serviceBus.prefetchCount must be 0..100");
  const renew = timeSpanSeconds(sb.maxAutoLockRenewalDuration);
  if (sb.maxAutoLockRenewalDuration !== undefined && (renew === undefined || renew < 60)) problems.push("serviceBus.maxAutoLockRenewalDuration must be a TimeSpan of at least 00:01:00");
  return problems;
}

/** ISO 8601 duration (PnDTnHnMnS) -> minutes. */
export function isoDurationMinutes(v: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(v);
  if (!m || v === "P" || v.endsWith("T")) return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
}

/** The jobs queue: 10 deliveries then dead-letter, dead-letter on expiry, duplicate detection (10 min..7 days). */
export function checkJobsQueue(set: TemplateSet): string[] {
  const file = "modules/servicebus.bicep";
  const queue = findResources(set, file).find((r) => r.type === "Microsoft.ServiceBus/namespaces/queues" && !r.existing);
  if (!queue) return [`${file}: no Service Bus queue`];
  const props = parseObject(parseObject(`{${queue.body}}`).get("properties") ?? "{}");
  const problems: string[] = [];
  if (props.get("maxDeliveryCount") !== "10") problems.push("jobs queue: maxDeliveryCount must be 10 (the local host emulates 10)");
  if (props.get("deadLetteringOnMessageExpiration") !== "true") problems.push("jobs queue: deadLetteringOnMessageExpiration must be true");
  if (props.get("requiresDuplicateDetection") !== "true") problems.push("jobs queue: requiresDuplicateDetection must be true");
  let windowExpr = props.get("duplicateDetectionHistoryTimeWindow") ?? "";
  if (/^\w+$/.test(windowExpr)) windowExpr = new RegExp(`param\\s+${windowExpr}\\s+string\\s*=\\s*('[^']*')`).exec(set.get(file) ?? "")?.[1] ?? "";
  const minutes = isoDurationMinutes(windowExpr.replace(/'/g, ""));
  if (minutes === undefined || minutes < 10 || minutes > 7 * 1440) problems.push(`jobs queue: duplicateDetectionHistoryTimeWindow must be an ISO duration between PT10M and P7D (got ${windowExpr || "nothing"})`);
  return problems;
}
