// One step of a job document (a Spark application run as a Livy batch) and one declared parameter, as JSON Schema
// 2020-12 parts of jobSchema.ts (kept apart so each file stays readable; jobSchema.ts re-exports them).
import { LIMITS, PARAMETER_LIMITS } from "./documentLimits";

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
