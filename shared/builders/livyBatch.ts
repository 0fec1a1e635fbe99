// Step + job data section → Livy `POST /livy/batches` body (CreateBatchRequest, reference/azure-apis.md §2).
// Credentials travel by reference: the body carries placeholders and `secretRefs` says which conf key takes which
// field of which secret. An activity reads the secrets and calls `resolveSecretRefs` right before the POST, so
// orchestration input/output and history never hold a secret value.

import type { LivyBatchRequest as LivyCreateBatchRequest } from "../cloud/livy";
import { JobflowError } from "../errors";
import type { JobSpec, SparkStep } from "../model/job";
import type { S3aProfileSettings } from "../model/profile";
import { s3aBatchParts } from "../s3a/batchParts";
import { secretPlaceholder, type S3aSecretField, type SecretRef } from "../s3a/credentials";
import { slugify } from "./clusterName";
import { shortHash } from "./sha256";

/** The Livy 0.7 CreateBatchRequest Jobflow sends (the client's request type, with the batch name required). */
export type LivyBatchBody = LivyCreateBatchRequest & { name: string };

export type { S3aSecretField, SecretRef } from "../s3a/credentials";
export { S3A_CREDENTIALS_PROVIDERS, secretPlaceholder } from "../s3a/credentials";

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
  /** The cluster profile's name and S3A settings: a step that touches s3a:// gets its connector and committer. */
  profile: { name: string; s3a?: S3aProfileSettings };
}

export const LIVY_BATCH_NAME_MAX_LENGTH = 100;

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

/**
 * The batch for one attempt of a step. ADLS Gen2 needs no conf: the cluster reaches its storage accounts through
 * its user-assigned identity (storageProfile). A step that touches s3a:// (shared/s3a/touches.ts) gets the
 * profile's S3A connector and committer and the job's `data.s3a` conf, credentials as placeholders listed in
 * `secretRefs`; other steps get none of it. Step conf cannot override the generated data.s3a keys.
 */
export function buildLivyBatch(step: SparkStep, options: BuildLivyBatchOptions): LivyBatchRequest {
  if (!Number.isInteger(options.attempt) || options.attempt < 1) {
    throw new JobflowError("ValidationError", `attempt must be a positive integer (got ${options.attempt})`);
  }
  const s3a = s3aBatchParts(step, options.data, options.profile);
  for (const key of Object.keys(step.conf)) {
    if (s3a?.generatedKeys.includes(key)) {
      throw new JobflowError("ValidationError", `step ${step.id}: conf ${key} is generated from the job's data.s3a section`);
    }
  }
  const conf = { ...step.conf, ...(s3a?.conf ?? {}) };
  const jars = [...step.jars];
  for (const jar of s3a?.jars ?? []) if (!jars.includes(jar)) jars.push(jar);
  const warnings = [...(s3a?.warnings ?? [])];

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
