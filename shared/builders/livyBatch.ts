// Step + job data section → Livy `POST /livy/batches` body (CreateBatchRequest, reference/azure-apis.md §2).
// Credentials travel by reference: the body carries placeholders and `secretRefs` says which conf key takes which
// field of which secret. An activity reads the secrets and calls `resolveSecretRefs` right before the POST, so
// orchestration input/output and history never hold a secret value.

import type { LivyBatchRequest as LivyCreateBatchRequest } from "../cloud/livy";
import { JobflowError } from "../errors";
import type { JobSpec, S3aDataAccess, SparkStep } from "../model/job";
import { slugify } from "./clusterName";
import { shortHash } from "./sha256";

/** The Livy 0.7 CreateBatchRequest Jobflow sends (the client's request type, with the batch name required). */
export type LivyBatchBody = LivyCreateBatchRequest & { name: string };

/** Fields of a credentials secret (JSON `{accessKey, secretKey[, sessionToken]}` in Key Vault / local store). */
export type S3aSecretField = "accessKey" | "secretKey" | "sessionToken";

export interface SecretRef {
  /** Key in `body.conf` whose value is the placeholder to replace. */
  confKey: string;
  /** Secret name (Key Vault / local secret store). */
  secret: string;
  field: S3aSecretField;
  /** When the secret lacks this field, the conf key is removed instead of failing (session tokens). */
  optional?: boolean;
}

export interface LivyBatchRequest {
  body: LivyBatchBody;
  secretRefs: SecretRef[];
  /** Things that will probably fail at run time but are not invalid (e.g. s3a:// paths without data.s3a). */
  warnings: string[];
}

export interface BuildLivyBatchOptions {
  jobId: string;
  /** 1-based attempt number (retries of the step get new batch names). */
  attempt: number;
  data: JobSpec["data"];
  /** Jars that put S3A on the classpath (hadoop-aws + aws-java-sdk-bundle matching Hadoop 3.3.4), added when S3A is used. */
  s3aJars?: string[];
}

export const LIVY_BATCH_NAME_MAX_LENGTH = 100;

/** The S3A credentials provider chain: session credentials when the secret has a token, else access/secret keys. */
export const S3A_CREDENTIALS_PROVIDERS =
  "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider,org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";

/** The value a conf key holds until `resolveSecretRefs` fills it in. Never a valid credential. */
export function secretPlaceholder(secret: string, field: S3aSecretField): string {
  return `<secretRef:${secret}#${field}>`;
}

/**
 * `<jobId>-<stepId>-<attempt>`; when longer than LIVY_BATCH_NAME_MAX_LENGTH the id part is shortened and a hash of
 * the full name is kept, so names stay unique and recognisable (YARN shows them as the application name).
 */
export function livyBatchName(jobId: string, stepId: string, attempt: number): string {
  const full = `${jobId}-${stepId}-${attempt}`;
  if (full.length <= LIVY_BATCH_NAME_MAX_LENGTH) return full;
  const tail = `-${shortHash(full, 8)}-${attempt}`;
  return slugify(`${jobId}-${stepId}`, LIVY_BATCH_NAME_MAX_LENGTH - tail.length) + tail;
}

function s3aConf(s3a: S3aDataAccess): LivyBatchRequest {
  const scopes = s3a.buckets.length === 0 ? ["spark.hadoop.fs.s3a."] : s3a.buckets.map((b) => `spark.hadoop.fs.s3a.bucket.${b}.`);
  const conf: Record<string, string> = {};
  const secretRefs: SecretRef[] = [];
  for (const scope of scopes) {
    conf[`${scope}endpoint`] = s3a.endpoint;
    if (s3a.region !== undefined) conf[`${scope}endpoint.region`] = s3a.region;
    conf[`${scope}path.style.access`] = String(s3a.pathStyleAccess);
    conf[`${scope}connection.ssl.enabled`] = String(!s3a.endpoint.toLowerCase().startsWith("http://"));
    conf[`${scope}aws.credentials.provider`] = S3A_CREDENTIALS_PROVIDERS;
    const fields: [string, S3aSecretField, boolean][] = [
      ["access.key", "accessKey", false],
      ["secret.key", "secretKey", false],
      ["session.token", "sessionToken", true],
    ];
    for (const [suffix, field, optional] of fields) {
      const confKey = `${scope}${suffix}`;
      conf[confKey] = secretPlaceholder(s3a.credentialsSecret, field);
      secretRefs.push(optional ? { confKey, secret: s3a.credentialsSecret, field, optional } : { confKey, secret: s3a.credentialsSecret, field });
    }
  }
  return { body: { file: "", name: "", conf }, secretRefs, warnings: [] };
}

function usesS3a(step: SparkStep): boolean {
  const paths = [step.file, ...step.jars, ...step.pyFiles, ...step.files, ...step.archives, ...step.args];
  return paths.some((p) => p.toLowerCase().startsWith("s3a://"));
}

/**
 * The batch for one attempt of a step. ADLS Gen2 needs no conf: the cluster reaches its storage accounts through
 * its user-assigned identity (storageProfile). S3A conf is added when the job has a `data.s3a` section, with
 * credentials as placeholders listed in `secretRefs`. Step conf cannot override the generated S3A keys.
 */
export function buildLivyBatch(step: SparkStep, options: BuildLivyBatchOptions): LivyBatchRequest {
  if (!Number.isInteger(options.attempt) || options.attempt < 1) {
    throw new JobflowError("ValidationError", `attempt must be a positive integer (got ${options.attempt})`);
  }
  const s3a = options.data.s3a ? s3aConf(options.data.s3a) : undefined;
  for (const key of Object.keys(step.conf)) {
    if (s3a && key in (s3a.body.conf ?? {})) {
      throw new JobflowError("ValidationError", `step ${step.id}: conf ${key} is generated from the job's data.s3a section`);
    }
  }
  const conf = { ...step.conf, ...(s3a?.body.conf ?? {}) };
  const jars = [...step.jars];
  if (s3a && (options.s3aJars ?? []).length > 0) for (const jar of options.s3aJars ?? []) if (!jars.includes(jar)) jars.push(jar);
  const warnings: string[] = [];
  if (!s3a && usesS3a(step)) {
    warnings.push(`step ${step.id}: uses s3a:// paths but the job has no data.s3a section (the cluster's own S3A settings apply)`);
  }

  const body: LivyBatchBody = { file: step.file, name: livyBatchName(options.jobId, step.id, options.attempt) };
  if (step.className !== undefined) body.className = step.className;
  if (step.args.length > 0) body.args = [...step.args];
  if (jars.length > 0) body.jars = jars;
  if (step.pyFiles.length > 0) body.pyFiles = [...step.pyFiles];
  if (step.files.length > 0) body.files = [...step.files];
  if (step.archives.length > 0) body.archives = [...step.archives];
  if (Object.keys(conf).length > 0) body.conf = conf;
  if (step.driverMemory !== undefined) body.driverMemory = step.driverMemory;
  if (step.driverCores !== undefined) body.driverCores = step.driverCores;
  if (step.executorMemory !== undefined) body.executorMemory = step.executorMemory;
  if (step.executorCores !== undefined) body.executorCores = step.executorCores;
  if (step.numExecutors !== undefined) body.numExecutors = step.numExecutors;
  if (step.queue !== undefined) body.queue = step.queue;
  return { body, secretRefs: s3a?.secretRefs ?? [], warnings };
}

/** Secret values by secret name, then field. */
export type SecretValues = Record<string, Partial<Record<S3aSecretField, string>>>;

/**
 * A copy of `body` with every placeholder replaced by its secret value (pure; call it inside the activity that
 * submits). Throws ValidationError when a required value is missing or a ref does not point at its placeholder,
 * so a body with a placeholder is never sent. The error message names secrets and fields, never values.
 */
export function resolveSecretRefs(body: LivyBatchBody, secretRefs: SecretRef[], values: SecretValues): LivyBatchBody {
  if (body.conf === undefined && secretRefs.length === 0) return { ...body };
  const conf = { ...(body.conf ?? {}) };
  for (const ref of secretRefs) {
    if (conf[ref.confKey] !== secretPlaceholder(ref.secret, ref.field)) {
      throw new JobflowError("ValidationError", `secret ref ${ref.confKey} does not point at its placeholder`);
    }
    const value = values[ref.secret]?.[ref.field];
    if (value === undefined || value === "") {
      if (ref.optional) {
        delete conf[ref.confKey];
        continue;
      }
      throw new JobflowError("ValidationError", `secret ${ref.secret} has no field ${ref.field} (needed for ${ref.confKey})`);
    }
    conf[ref.confKey] = value;
  }
  const leftover = Object.keys(conf).filter((k) => conf[k].startsWith("<secretRef:"));
  if (leftover.length > 0) throw new JobflowError("ValidationError", `unresolved secret placeholders: ${leftover.join(", ")}`);
  return { ...body, conf };
}
