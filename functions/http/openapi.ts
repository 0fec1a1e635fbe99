// The OpenAPI 3.1 document of the HTTP API. The job document schema is embedded from shared/spec (JSON Schema
// 2020-12 is OpenAPI 3.1's schema dialect), so validation, the API document and editor completion never drift.
// The policy routes' paths are in openapiPolicyPaths.ts, the operation builders in openapiOperations.ts.
import { jobSchemaJson } from "../../shared/spec";
import { JOB_STATES } from "../../shared/states/job";
import { submitEnvelopeSchema } from "../../shared/spec/jobSchema";
import { scheduleBodySchema } from "../../shared/policies/scheduleSchema";
import { consoleOp, idParam, op } from "./openapiOperations";
import { LEASE_PATHS, REAPER_PATHS, SCHEDULE_PATHS, SCHEDULE_RUN_PATHS } from "./openapiPolicyPaths";

const problemSchema = {
  type: "object",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    problems: {
      type: "array",
      items: { type: "object", properties: { pointer: { type: "string" }, message: { type: "string" } }, required: ["pointer", "message"] },
    },
  },
};

/** A job document (or EMR steps file), or the job wrapped with parameter values and a logical date. */
const jobOrEnvelope = { oneOf: [{ $ref: "#/components/schemas/JobDocument" }, { $ref: "#/components/schemas/SubmitEnvelope" }] };

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "Jobflow", version: "1", description: "Ephemeral HDInsight Spark clusters for batch jobs, with persistent edge VMs." },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        functionKey: { type: "apiKey", in: "header", name: "x-functions-key" },
        // The console's session (docs/console.md): an HttpOnly cookie locally, App Service Authentication in Azure.
        consoleSession: { type: "apiKey", in: "cookie", name: "jobflow_session" },
      },
      schemas: {
        JobDocument: jobSchemaJson(),
        SubmitEnvelope: JSON.parse(JSON.stringify(submitEnvelopeSchema)) as Record<string, unknown>,
        Problem: problemSchema,
        Schedule: JSON.parse(JSON.stringify(scheduleBodySchema)) as Record<string, unknown>,
      },
    },
    paths: {
      "/jobs": {
        post: op(
          "Submit a job (or a bare EMR steps file), optionally wrapped as {job, parameters, logicalDate}",
          {
            202: "Accepted: {id, statusUrl}",
            200: "Same idempotency key: the existing job",
            400: "Every validation problem, with JSON pointers; nothing created",
          },
          { requestBody: { required: true, content: { "application/json": { schema: jobOrEnvelope } } } },
        ),
        get: op(
          "List jobs, optionally by state (reads one index prefix)",
          { 200: "{jobs, continuationToken?}" },
          {
            parameters: [
              { name: "state", in: "query", schema: { type: "string", enum: [...JOB_STATES] } },
              { name: "limit", in: "query", schema: { type: "integer" } },
              { name: "continuationToken", in: "query", schema: { type: "string" } },
            ],
          },
        ),
      },
      "/jobs/validate": {
        post: op(
          "Validate a job document and return its plan; nothing is created",
          { 200: "{valid, plan}", 400: "Every validation problem, with JSON pointers" },
          {
            parameters: [{ name: "name", in: "query", schema: { type: "string" } }],
            requestBody: { required: true, content: { "application/json": { schema: jobOrEnvelope } } },
          },
        ),
      },
      "/jobs/{id}/timeline": {
        get: op(
          "A job's step graph, its cluster's lifecycle times and its milestones",
          { 200: "{graph, cluster, events}", 404: "Unknown job" },
          { parameters: [idParam("id")] },
        ),
      },
      "/jobs/{id}": {
        get: op(
          "Job record: state, steps, attempts, cluster, cost estimate",
          { 200: "The job record", 404: "Unknown job" },
          { parameters: [idParam("id")] },
        ),
      },
      "/jobs/{id}/cancel": {
        post: op(
          "Cancel a job: running batches are killed, teardown runs",
          { 202: "Cancel requested", 404: "Unknown job", 409: "Already finished" },
          { parameters: [idParam("id")] },
        ),
      },
      "/jobs/{id}/repair": {
        post: op(
          "Repair a finished job: a new run re-runs its failed, timed-out, cancelled and skipped steps (or {steps}) and their dependents, keeping the succeeded ones",
          {
            202: "{id, run, steps, duplicate, statusUrl}",
            400: "Unknown step",
            404: "Unknown job",
            409: "The job is running, or nothing to repair",
          },
          {
            parameters: [idParam("id")],
            requestBody: {
              required: false,
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    additionalProperties: false,
                    properties: { steps: { type: "array", items: { type: "string" } } },
                  },
                },
              },
            },
          },
        ),
      },
      "/jobs/{id}/steps/{stepId}/log": {
        get: op(
          "A step attempt's Livy log, from Blob (also after the cluster is gone)",
          { 200: "text/plain", 404: "No log" },
          { parameters: [idParam("id"), idParam("stepId"), { name: "attempt", in: "query", schema: { type: "integer" } }] },
        ),
      },
      "/clusters": { get: op("Clusters in the resource group with their lifecycle and cost so far", { 200: "{clusters}" }) },
      "/clusters/{name}": {
        delete: op(
          "Delete a Jobflow-managed cluster (holders are told first)",
          { 202: "Delete requested", 204: "Does not exist", 409: "Not managed by Jobflow" },
          { parameters: [idParam("name")] },
        ),
      },
      "/edges": {
        get: op("Registered edge VMs, the cluster each is attached to and its last sync (when, result, output tail)", { 200: "{edges}" }),
      },
      "/edges/{name}/attach": {
        post: op(
          "Attach (or switch) an edge VM to a cluster",
          { 202: "Operation started", 400: "Bad body", 404: "Unknown VM or cluster", 409: "Cluster not ready" },
          { parameters: [idParam("name")] },
        ),
      },
      "/edges/{name}/detach": {
        post: op("Detach an edge VM", { 202: "Operation started", 404: "Unknown VM" }, { parameters: [idParam("name")] }),
      },
      "/edges/operations/{id}": {
        get: op("Progress of an edge operation", { 200: "Status", 404: "Unknown" }, { parameters: [idParam("id")] }),
      },
      ...REAPER_PATHS,
      ...LEASE_PATHS,
      ...SCHEDULE_PATHS,
      "/costs": {
        get: op(
          "Cost report: spend in a period by profile, job tag, job or day, with the idle (kept-warm) part",
          { 200: "{from, to, groupBy, currency, prices, totals, groups}", 400: "Every query problem, with JSON pointers" },
          {
            parameters: [
              { name: "from", in: "query", schema: { type: "string", format: "date-time" } },
              { name: "to", in: "query", schema: { type: "string", format: "date-time" } },
              { name: "groupBy", in: "query", schema: { type: "string", pattern: "^(profile|job|day|tag:.+)$", default: "profile" } },
            ],
          },
        ),
      },
      ...SCHEDULE_RUN_PATHS,
      "/health": { get: op("Liveness", { 200: "ok" }) },
      "/console/login": {
        get: {
          summary: "Exchange a one-time login token (?token=) for the console session cookie",
          security: [],
          parameters: [{ name: "token", in: "query", required: true, schema: { type: "string" } }],
          responses: { 303: { description: "Signed in: to /api/console/" }, 401: { description: "Unknown, expired or used token" } },
        },
      },
      "/console/api/session": {
        get: consoleOp("The console session: user, role, CSRF token", { 200: "{user, role, csrfToken, mode}", 401: "No session" }),
      },
      "/console/api/logout": {
        post: consoleOp("End the console session (CSRF token required)", {
          204: "Cookie cleared",
          401: "No session",
          403: "Bad CSRF token",
        }),
      },
      "/console/api/{path}": Object.fromEntries(
        ["get", "post", "put", "patch", "delete"].map((m) => [
          m,
          consoleOp(
            "The API route /{path} for a console session: role checked per route, x-jobflow-csrf on state changes",
            { 200: "As the API route", 401: "No session", 403: "Role or CSRF refused" },
            { parameters: [idParam("path")] },
          ),
        ]),
      ),
      "/console/{path}": {
        get: consoleOp(
          "The console's files (index.html for client routes)",
          { 200: "The file", 401: "Not signed in" },
          { parameters: [idParam("path")] },
        ),
      },
    },
  };
}
