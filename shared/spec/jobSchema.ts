// The job document (DESIGN §5) as a JSON Schema 2020-12 object: the single source of truth for validation,
// the document types below (json-schema-to-ts, types only), the OpenAPI document and editor completion.
// Semantic rules a schema cannot say (unique ids, dependsOn, cycles, ActionOnFailure × concurrency, profile
// existence) live in semantic.ts; defaults are applied by normalize.ts and documented in docs/job-spec.md.
import type { FromSchema } from "json-schema-to-ts";
import { overridesSchema, PROFILE_NAME_PATTERN, TAG_VALUE_SCHEMA } from "../profiles/schema";

export const LIMITS = {
  documentBytes: 256 * 1024,
  nestingDepth: 32,
  steps: 256,
  args: 256,
  argLength: 4096,
  listItems: 64,
  uriLength: 2048,
  confEntries: 128,
  confValueLength: 4096,
  edges: 16,
} as const;

/** Parameter names: usable as `{{ params.NAME }}` (Airflow's spelling). */
export const PARAMETER_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";
export const PARAMETER_LIMITS = { count: 64, valueLength: 1024, patternLength: 256, descriptionLength: 1024 } as const;

/** One declared parameter of a job (docs/job-spec.md, Parameters and templates). */
export const parameterSchema = {
  type: "object",
  additionalProperties: false,
  description: "A job parameter, referenced as {{ params.NAME }} in name, file, args, conf values, pyFiles, jars, files and archives.",
  properties: {
    type: {
      enum: ["string", "integer", "number", "boolean"],
      default: "string",
      description: "Type of the value (values are rendered as text). Default string.",
    },
    default: {
      type: ["string", "integer", "number", "boolean"],
      description: "Value when none is supplied. Default: none (a value must be supplied).",
    },
    description: {
      type: "string",
      maxLength: PARAMETER_LIMITS.descriptionLength,
      description: "What the parameter means (shown by plan).",
    },
    pattern: {
      type: "string",
      minLength: 1,
      maxLength: PARAMETER_LIMITS.patternLength,
      description:
        "Regular expression the whole value must match (anchored; nested quantifiers such as (a+)+ are refused). Default: any value.",
    },
  },
} as const;

export const STEP_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
export const EDGE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
/** Storage URIs a step may name. s3:// and s3n:// are accepted and rewritten to s3a:// (no S3 FS but S3A on HDInsight). */
export const STORAGE_URI_PATTERN = "^(abfss?|wasbs?|s3a?|s3n|hdfs)://[^\\s]+$";

const storageUri = {
  type: "string",
  minLength: 1,
  maxLength: LIMITS.uriLength,
  pattern: STORAGE_URI_PATTERN,
  "x-hint": "a storage URI starting with abfss://, abfs://, wasbs://, wasb://, s3a://, s3://, s3n:// or hdfs://",
} as const;

const uriList = (what: string) =>
  ({
    type: "array",
    maxItems: LIMITS.listItems,
    items: storageUri,
    default: [],
    description: `${what} Default [].`,
  }) as const;

const memory = (what: string) =>
  ({
    type: "string",
    pattern: "^[1-9][0-9]{0,6}[kmgtKMGT][bB]?$",
    "x-hint": "a Spark memory size such as 512m or 4g",
    description: `${what} memory (Spark size, e.g. 4g). Default: the cluster's Spark default.`,
  }) as const;

const cores = (what: string) =>
  ({ type: "integer", minimum: 1, maximum: 64, description: `${what} cores (1-64). Default: the cluster's Spark default.` }) as const;

export const stepSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "file"],
  description: "One Spark application, submitted as a Livy batch.",
  properties: {
    id: {
      type: "string",
      pattern: STEP_ID_PATTERN,
      "x-hint": "1-64 letters, digits, _ or -, starting with a letter or digit",
      description: "Unique id of the step within the job.",
    },
    name: { type: "string", minLength: 1, maxLength: 256, description: "Display name (EMR `Name`). Default: the id." },
    type: { const: "spark", default: "spark", description: "Step type; only spark (a Livy batch) exists. Default spark." },
    file: { ...storageUri, description: "The application: a .py file or a .jar (with className)." },
    className: {
      type: "string",
      maxLength: 256,
      pattern: "^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*$",
      "x-hint": "a Java class name such as com.example.Main",
      description: "Main class of a jar application.",
    },
    args: {
      type: "array",
      maxItems: LIMITS.args,
      default: [],
      description: "Application arguments, passed as is. Default [].",
      items: { type: "string", maxLength: LIMITS.argLength },
    },
    jars: uriList("Extra jars on the driver and executor class path."),
    pyFiles: uriList("Extra .py/.zip/.egg files on the PYTHONPATH."),
    files: uriList("Files placed in the working directory of each executor."),
    archives: {
      ...uriList("Archives extracted into the working directory of each executor (`#alias` allowed)."),
    },
    conf: {
      type: "object",
      maxProperties: LIMITS.confEntries,
      default: {},
      description: "Spark configuration (spark.* keys). Never put credentials here: they travel by reference (data section). Default {}.",
      propertyNames: { pattern: "^spark\\.[A-Za-z0-9_.-]{1,200}$", "x-hint": "spark.* names of letters, digits, _ . -" },
      additionalProperties: { type: "string", maxLength: LIMITS.confValueLength },
    },
    driverMemory: memory("Driver"),
    driverCores: cores("Driver"),
    executorMemory: memory("Executor"),
    executorCores: cores("Executor"),
    numExecutors: {
      type: "integer",
      minimum: 1,
      maximum: 1000,
      description: "Number of executors (1-1000). Default: the cluster's Spark default (dynamic allocation).",
    },
    queue: {
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,64}$",
      "x-hint": "a YARN queue name",
      description: "YARN queue. Default: the cluster's default queue.",
    },
    dependsOn: {
      type: "array",
      maxItems: LIMITS.steps,
      uniqueItems: true,
      default: [],
      items: { type: "string", pattern: STEP_ID_PATTERN, "x-hint": "a step id" },
      description: "Ids of steps that must complete successfully before this one starts. Default [] (start when a slot is free).",
    },
    actionOnFailure: {
      enum: ["TERMINATE_CLUSTER", "CANCEL_AND_WAIT", "CONTINUE"],
      description:
        "What a failure (after retries) does: TERMINATE_CLUSTER = job fails, remaining steps cancelled, cluster released and deleted unless another job holds it; CANCEL_AND_WAIT = job fails, remaining steps cancelled, cluster kept per keep-warm policy; CONTINUE = go on, job ends completed with failures. Default CANCEL_AND_WAIT, or CONTINUE for a step that may run at the same time as another.",
    },
    retries: { type: "integer", minimum: 0, maximum: 10, default: 0, description: "Extra attempts after a failure (0-10). Default 0." },
    timeoutMinutes: {
      type: "integer",
      minimum: 1,
      maximum: 10080,
      description: "Limit per attempt, in minutes (1-10080). Default: none (the cluster's max lifetime still applies).",
    },
  },
} as const;

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
    data: {
      type: "object",
      additionalProperties: false,
      default: {},
      description: "Data access beyond the cluster's primary storage. Credentials by reference only.",
      properties: {
        adls: {
          type: "object",
          additionalProperties: false,
          required: ["accounts"],
          description: "Extra ADLS Gen2 accounts read with the cluster's managed identity.",
          properties: {
            accounts: {
              type: "array",
              minItems: 1,
              maxItems: 16,
              description: "Accounts (the identity needs Storage Blob Data Reader or better).",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["name"],
                properties: {
                  name: {
                    type: "string",
                    pattern: "^[a-z0-9]{3,24}$",
                    "x-hint": "a storage account name (3-24 lowercase letters or digits)",
                    description: "Storage account name.",
                  },
                  fileSystem: {
                    type: "string",
                    pattern: "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$",
                    "x-hint": "a container name",
                    description: "Limit to one file system. Default: all.",
                  },
                },
              },
            },
          },
        },
        s3a: {
          type: "object",
          additionalProperties: false,
          required: ["endpoint"],
          description: "S3-compatible storage read and written through Hadoop S3A (docs/job-spec.md, S3A).",
          properties: {
            endpoint: {
              type: "string",
              maxLength: LIMITS.uriLength,
              pattern: "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
              "x-hint": "an https:// endpoint URL without path",
              description: "S3 endpoint URL.",
            },
            region: {
              type: "string",
              pattern: "^[a-z0-9-]{1,32}$",
              "x-hint": "a region name such as eu-west-1",
              description: "Signing region. Default: S3A's default.",
            },
            pathStyleAccess: {
              type: "boolean",
              default: false,
              description: "Path-style bucket addressing (most non-AWS S3 services). Default false.",
            },
            credentials: {
              enum: ["keys", "session", "anonymous", "assumedRole"],
              description:
                "keys = access/secret keys (+ session token when the secret has one); session = session credentials (token required); anonymous = public buckets, no secret; assumedRole = STS AssumeRole of assumedRole.roleArn with the secret's keys. Default keys.",
            },
            credentialsSecret: {
              type: "string",
              pattern: "^[0-9A-Za-z-]{1,127}$",
              "x-hint": "a Key Vault secret name (letters, digits, -)",
              description: "Secret holding {accessKey, secretKey[, sessionToken]}. Required unless credentials is anonymous.",
            },
            assumedRole: {
              type: "object",
              additionalProperties: false,
              required: ["roleArn"],
              description: "The role to assume (credentials = assumedRole only).",
              properties: {
                roleArn: {
                  type: "string",
                  pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$",
                  "x-hint": "an IAM role ARN such as arn:aws:iam::123456789012:role/reader",
                  description: "ARN of the IAM role.",
                },
                sessionName: {
                  type: "string",
                  pattern: "^[\\w+=,.@-]{2,64}$",
                  "x-hint": "2-64 letters, digits or _ + = , . @ -",
                  description: "STS role session name. Default: S3A's generated name.",
                },
                sessionDurationMinutes: {
                  type: "integer",
                  minimum: 15,
                  maximum: 720,
                  description: "Session length in minutes (15-720). Default: S3A's (60).",
                },
                stsEndpoint: {
                  type: "string",
                  maxLength: LIMITS.uriLength,
                  pattern: "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
                  "x-hint": "an https:// STS endpoint URL",
                  description: "STS endpoint. Default: the global endpoint.",
                },
                stsRegion: {
                  type: "string",
                  pattern: "^[a-z0-9-]{1,32}$",
                  "x-hint": "a region name such as eu-west-1",
                  description: "Signing region of stsEndpoint.",
                },
              },
            },
            buckets: {
              type: "array",
              maxItems: 64,
              uniqueItems: true,
              default: [],
              items: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", "x-hint": "an S3 bucket name" },
              description: "Buckets the credentials apply to; every s3a:// path must use one of them. Default [] = all buckets.",
            },
          },
        },
      },
    },
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
