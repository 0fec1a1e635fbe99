// The job document (DESIGN §5) as a JSON Schema 2020-12 object: the single source of truth for validation,
// the document types below (json-schema-to-ts, types only), the OpenAPI document and editor completion.
// Semantic rules a schema cannot say (unique ids, dependsOn, cycles, ActionOnFailure × concurrency, profile
// existence) live in semantic.ts; defaults are applied by normalize.ts and documented in docs/job-spec.md.
import type { FromSchema } from "json-schema-to-ts";
import { overridesSchema, PROFILE_NAME_PATTERN, TAG_VALUE_SCHEMA } from "../profiles/schema";
import { dataSchema } from "./dataSchema";
import { LIMITS, PARAMETER_LIMITS, PARAMETER_NAME_PATTERN } from "./documentLimits";
import { EDGE_NAME_PATTERN, parameterSchema, stepSchema } from "./stepSchema";

export { LIMITS, PARAMETER_NAME_PATTERN, PARAMETER_LIMITS } from "./documentLimits";
export { parameterSchema, stepSchema, STEP_ID_PATTERN, EDGE_NAME_PATTERN, STORAGE_URI_PATTERN } from "./stepSchema";

export const jobSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://jobflow.example/schemas/job.json",
  title: "Jobflow job",
  description: "A batch job: a cluster profile and the Spark steps to run on it (ordered or as a DAG).",
  type: "object",
  additionalProperties: false,
  required: ["name", "steps"],
  properties: {
    $schema: { type: "string", maxLength: 2048, description: "Optional schema URL for editors; ignored." },
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
      "x-hint": "1-64 letters, digits, . _ or -, starting with a letter or digit",
      description: "Job name (appears in records, tags and events).",
    },
    parameters: {
      type: "object",
      maxProperties: PARAMETER_LIMITS.count,
      default: {},
      description:
        "Declared parameters (name → type, default, description, pattern), supplied at submit, by schedules and backfills. Default {}.",
      propertyNames: { pattern: PARAMETER_NAME_PATTERN, "x-hint": "1-64 letters, digits or _, not starting with a digit" },
      additionalProperties: parameterSchema,
    },
    idempotencyKey: {
      type: "string",
      pattern: "^[\\x21-\\x7e]{1,64}$",
      "x-hint": "1-64 printable ASCII characters without spaces",
      description: "Same key ⇒ same job: a retried submission never creates a second job or cluster. Default: none.",
    },
    cluster: {
      type: "object",
      additionalProperties: false,
      default: {},
      description: "Which cluster runs the job. Default: the 'default' profile with the defaults below.",
      properties: {
        profile: {
          type: "string",
          pattern: PROFILE_NAME_PATTERN,
          "x-hint": "a profile name (1-40 lowercase letters, digits or -)",
          default: "default",
          description: "Named cluster profile. Default 'default'.",
        },
        overrides: { ...overridesSchema, default: {} },
        reuse: {
          enum: ["never", "warm"],
          default: "warm",
          description:
            "'never' = a fresh cluster for this job (EMR style); 'warm' = join a warm cluster with the same effective profile, else create one. Default 'warm'.",
        },
        keepWarmMinutes: {
          type: "integer",
          minimum: 0,
          maximum: 10080,
          default: 15,
          description: "Idle minutes after the last job before the cluster is deleted (0 = at once, max 7 days). Default 15.",
        },
        keepWarmPolicy: {
          enum: ["breakEven", "fixed"],
          default: "breakEven",
          description:
            "How long an idle warm cluster is kept: 'breakEven' = until its profile's next known demand if that comes before re-creating would pay off, else as the ad-hoc history says, never longer than keepWarmMinutes (docs/costs.md); 'fixed' = exactly keepWarmMinutes. Default 'breakEven'.",
        },
        maxLifetimeMinutes: {
          type: "integer",
          minimum: 60,
          maximum: 10080,
          default: 720,
          description: "Hard cap on cluster age in minutes (60-10080); the cluster is deleted at this age whatever runs. Default 720.",
        },
      },
    },
    edges: {
      type: "array",
      maxItems: LIMITS.edges,
      uniqueItems: true,
      default: [],
      items: { type: "string", pattern: EDGE_NAME_PATTERN, "x-hint": "a VM name (1-64 letters, digits, _ . -)" },
      description: "Registered edge VMs attached to the cluster for the job's duration. Default [].",
    },
    maxConcurrentSteps: {
      type: "integer",
      minimum: 1,
      maximum: LIMITS.steps,
      default: 1,
      description: "Most steps running at once (1-256). Default 1 (steps run one at a time, like EMR).",
    },
    steps: {
      type: "array",
      minItems: 1,
      maxItems: LIMITS.steps,
      items: stepSchema,
      description: "The steps (1-256). Without dependsOn they start in document order.",
    },
    data: dataSchema,
    notify: {
      type: "object",
      additionalProperties: false,
      default: {},
      description: "Where to report the job's end.",
      properties: {
        webhook: {
          type: "string",
          maxLength: LIMITS.uriLength,
          pattern: "^https?://[^\\s]+$",
          "x-hint": "an https:// URL of a public host",
          description:
            "URL that receives a CloudEvent when the job ends: https to a public address (never loopback, private, link-local, metadata or Jobflow's own host; http only for hosts on the JOBFLOW_WEBHOOK_ALLOW_HOSTS list). Redirects are not followed.",
        },
      },
    },
    tags: {
      type: "object",
      maxProperties: 32,
      default: {},
      description:
        "Free tags recorded with the job and put on clusters it creates. Keys starting with 'jobflow-' are reserved. Default {}.",
      propertyNames: {
        pattern: "^[A-Za-z0-9][A-Za-z0-9 _.:+=@-]{0,127}$",
        "x-hint": "1-128 letters, digits, spaces or _ . : + = @ -, starting with a letter or digit",
      },
      additionalProperties: TAG_VALUE_SCHEMA,
    },
  },
} as const;

/** Parameter values as supplied (POST /api/jobs envelope, schedules, backfills, `-p NAME=value`). */
export const parameterValuesSchema = {
  type: "object",
  maxProperties: PARAMETER_LIMITS.count,
  description: "Parameter values by name; a job that declares parameters accepts only those, a file that declares none takes any.",
  propertyNames: { pattern: PARAMETER_NAME_PATTERN, "x-hint": "1-64 letters, digits or _, not starting with a digit" },
  additionalProperties: { type: ["string", "integer", "number", "boolean"] },
} as const;

/** POST /api/jobs (and the jobs queue) with parameter values: the job (document or EMR steps file) wrapped. */
export const submitEnvelopeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["job"],
  description: "A job submitted with parameter values: {job, parameters, logicalDate}.",
  properties: {
    job: { description: "A Jobflow job document or a bare EMR steps file (list or {Steps})." },
    parameters: parameterValuesSchema,
    logicalDate: {
      type: "string",
      maxLength: 64,
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$",
      "x-hint": "an ISO 8601 date or UTC/offset time, e.g. 2026-12-06 or 2026-12-06T00:00:00Z",
      description: "The run's logical date for the built-ins (ds, ts, …). Default: the submission time.",
    },
  },
} as const;

/** The job document as users write it (before defaults). */
export type JobDocument = FromSchema<typeof jobSchema, { keepDefaultedPropertiesOptional: true }>;
/** One step of a job document (before defaults). */
export type StepDocument = FromSchema<typeof stepSchema, { keepDefaultedPropertiesOptional: true }>;

/** The job schema as plain JSON (a deep copy), for the OpenAPI document and `jobflow schema`. */
export function jobSchemaJson(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(jobSchema)) as Record<string, unknown>;
}
