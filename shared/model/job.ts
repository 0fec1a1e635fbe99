// The normalized job: what the validator/normalizer (shared/spec) produces from a job document or an EMR steps
// file after defaults are applied. Builders, orchestrations and the job record consume this shape.
// The *document* types are derived from the JSON Schema in shared/spec (single source of truth for input);
// this file is the domain model every later stage relies on.

export type ActionOnFailure = "TERMINATE_CLUSTER" | "CANCEL_AND_WAIT" | "CONTINUE";
export type ReusePolicy = "never" | "warm";

export interface SparkStep {
  id: string;
  /** Display name (EMR `Name`); defaults to id. */
  name: string;
  type: "spark";
  /** abfs(s)://, wasb(s)://, s3a:// (s3:// and s3n:// are rewritten to s3a:// on import). */
  file: string;
  className?: string;
  args: string[];
  jars: string[];
  pyFiles: string[];
  files: string[];
  archives: string[];
  /** Spark configuration (spark.*). Never holds secrets: credentials travel by reference (data section). */
  conf: Record<string, string>;
  driverMemory?: string;
  driverCores?: number;
  executorMemory?: string;
  executorCores?: number;
  numExecutors?: number;
  queue?: string;
  dependsOn: string[];
  actionOnFailure: ActionOnFailure;
  /** Extra attempts after the first failure (0 = run once). */
  retries: number;
  /** Per attempt; undefined = no step timeout (the cluster max lifetime still applies). */
  timeoutMinutes?: number;
}

export type Step = SparkStep;

export interface ClusterRequest {
  /** Name of a cluster profile (shared/profiles). */
  profile: string;
  /** Validated per-job overrides of the profile (see ProfileOverrides). */
  overrides: ProfileOverrides;
  reuse: ReusePolicy;
  /** Idle time after the last job before the cluster is deleted; 0 = delete at once. */
  keepWarmMinutes: number;
  /** How an idle warm cluster is kept (shared/workflow/keepWarmRule.ts); absent = "breakEven". */
  keepWarmPolicy?: "breakEven" | "fixed";
  /** Hard cap on cluster age; the cluster is deleted at this age whatever runs on it. */
  maxLifetimeMinutes: number;
}

export interface ProfileOverrides {
  workerCount?: number;
  workerVmSize?: string;
  headVmSize?: string;
  autoscale?: { minInstanceCount: number; maxInstanceCount: number } | null;
  location?: string;
  tags?: Record<string, string>;
}

export interface AdlsDataAccess {
  /** Extra ADLS Gen2 accounts read through the cluster's user-assigned managed identity. */
  accounts: { name: string; fileSystem?: string }[];
}

/** How S3A authenticates: see docs/job-spec.md "S3A". */
export type S3aCredentialsKind = "keys" | "session" | "anonymous" | "assumedRole";

export interface S3aAssumedRole {
  /** arn:aws:iam::<account>:role/<name>, assumed with the base keys of credentialsSecret. */
  roleArn: string;
  sessionName?: string;
  /** 15-720 minutes (STS AssumeRole DurationSeconds). Default: S3A's (1 h). */
  sessionDurationMinutes?: number;
  stsEndpoint?: string;
  stsRegion?: string;
}

export interface S3aDataAccess {
  endpoint: string;
  region?: string;
  pathStyleAccess: boolean;
  /** Credential shape; absent = "keys" (access/secret keys, session token when the secret has one). */
  credentials?: S3aCredentialsKind;
  /**
   * Name of a secret (Key Vault / local secret store) holding {accessKey, secretKey[, sessionToken]}. Absent only
   * for anonymous access.
   */
  credentialsSecret?: string;
  /** Set when credentials = "assumedRole". */
  assumedRole?: S3aAssumedRole;
  /** Optional per-bucket scope; empty = all buckets. */
  buckets: string[];
}

export interface JobSpec {
  name: string;
  idempotencyKey?: string;
  cluster: ClusterRequest;
  /** Names of registered edge VMs attached for the job's duration. */
  edges: string[];
  maxConcurrentSteps: number;
  steps: Step[];
  data: { adls?: AdlsDataAccess; s3a?: S3aDataAccess };
  notify: { webhook?: string };
  tags: Record<string, string>;
  /** Where the document came from: a Jobflow job document or a bare EMR steps file. */
  source: "jobflow" | "emr-api" | "emr-cli";
  /** The parameter values the document was rendered with (shared/templates); absent when it has none. */
  parameters?: Record<string, string>;
}
