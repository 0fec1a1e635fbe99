// The OpenAPI paths of the policy routes (functions/policies/): the reaper, compute leases, schedules and a
// schedule's runs and backfills — one table per route module, spread by openapi.ts into the document's paths.
import { idParam, op } from "./openapiOperations";

/** functions/policies/reaperRoutes.ts */
export const REAPER_PATHS: Record<string, unknown> = {
  "/reaper/run": { post: op("Run the reaper now (dry run when JOBFLOW_REAPER_DRY_RUN is true)", { 202: "Run started" }) },
  "/reaper/decisions": {
    get: op(
      "Reaper decisions, newest first, with their evidence",
      { 200: "{decisions, continuationToken?}" },
      {
        parameters: [
          { name: "cluster", in: "query", schema: { type: "string" } },
          { name: "limit", in: "query", schema: { type: "integer" } },
          { name: "continuationToken", in: "query", schema: { type: "string" } },
        ],
      },
    ),
  },
};

/** functions/policies/leaseRoutes.ts */
export const LEASE_PATHS: Record<string, unknown> = {
  "/compute-requests": {
    post: op("Lease a cluster for a while (HMAC-signed: x-jobflow-caller, x-jobflow-timestamp, x-jobflow-signature)", {
      202: "{leaseId}",
      400: "Invalid request",
      401: "Bad or stale signature",
      403: "Unknown caller",
      409: "Replayed request",
    }),
    get: op("Leases", { 200: "{leases}" }),
  },
  "/compute-requests/{id}": { get: op("A lease", { 200: "The lease", 404: "Unknown" }, { parameters: [idParam("id")] }) },
  "/compute-requests/{id}/renew": {
    post: op("Extend a lease (HMAC-signed)", { 202: "Renewed", 404: "Unknown", 409: "Already ended" }, { parameters: [idParam("id")] }),
  },
  "/compute-requests/{id}/release": {
    post: op("End a lease (HMAC-signed)", { 202: "Released", 404: "Unknown" }, { parameters: [idParam("id")] }),
  },
};

/** functions/policies/scheduleRoutes.ts */
export const SCHEDULE_PATHS: Record<string, unknown> = {
  "/schedules": {
    post: op(
      "Create a schedule {cron, timezone, job, parameters?, warmup?, warmupLeadMinutes?}",
      { 201: "{id}", 400: "Every problem, with JSON pointers" },
      { requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Schedule" } } } } },
    ),
    get: op("Schedules", { 200: "{schedules}" }),
  },
  "/schedules/{id}": {
    get: op(
      "A schedule, its recent occurrences, its warm-up setting {enabled, why, leadMinutes, nextWarmupAt} and its warm-ups [{fireAt, clusterName, startedAt, created, state: holding|used|wasted, readyAt, jobId, reason, leadBasis, cost}]",
      { 200: "The schedule", 404: "Unknown" },
      { parameters: [idParam("id")] },
    ),
    delete: op("Delete a schedule", { 202: "Deleted", 404: "Unknown" }, { parameters: [idParam("id")] }),
  },
  "/schedules/{id}/pause": { post: op("Pause a schedule", { 202: "Paused", 404: "Unknown" }, { parameters: [idParam("id")] }) },
  "/schedules/{id}/resume": { post: op("Resume a schedule", { 202: "Resumed", 404: "Unknown" }, { parameters: [idParam("id")] }) },
};

/** functions/policies/scheduleRunRoutes.ts */
export const SCHEDULE_RUN_PATHS: Record<string, unknown> = {
  "/schedules/{id}/run": {
    post: op(
      "Fire a schedule now: one manual run ({parameters?} over the schedule's values)",
      { 202: "{scheduleId, jobId, statusUrl}", 400: "Invalid values or job", 404: "Unknown" },
      { parameters: [idParam("id")] },
    ),
  },
  "/schedules/{id}/backfill": {
    post: op(
      "Backfill a schedule: one run per logical date between from and to ({from, to, maxConcurrent?, parameters?}); the same backfill again creates nothing",
      {
        202: "{backfillId, runs, statusUrl}",
        200: "The same backfill exists: {backfillId, duplicate: true}",
        400: "Every problem, with JSON pointers",
        404: "Unknown",
      },
      { parameters: [idParam("id")] },
    ),
  },
  "/schedules/{id}/backfills/{backfillId}": {
    get: op(
      "A backfill's progress: {state, runs: [{logicalDate, jobId, state, duplicate?}]}",
      { 200: "The backfill", 404: "Unknown" },
      { parameters: [idParam("id"), idParam("backfillId")] },
    ),
  },
};
