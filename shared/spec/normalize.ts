// From a valid job document to the normalized JobSpec: every default applied (docs/job-spec.md lists them),
// s3:// and s3n:// rewritten to s3a://, fresh objects (the result shares nothing with the input).
import type { JobSpec, SparkStep } from "../model/job";
import { concurrentPeers } from "./graph";
import type { JobDocument, StepDocument } from "./jobSchema";
import { toS3a } from "./uris";

export const DEFAULTS = {
  profile: "default",
  reuse: "warm",
  keepWarmMinutes: 15,
  maxLifetimeMinutes: 720,
  maxConcurrentSteps: 1,
  retries: 0,
  /** For a step that cannot overlap another one. */
  actionOnFailure: "CANCEL_AND_WAIT",
  /** For a step that may run at the same time as another one (the only action that is valid there). */
  actionOnFailureWhenConcurrent: "CONTINUE",
} as const;

const copyRecord = (r: Record<string, string> | undefined): Record<string, string> => Object.fromEntries(Object.entries(r ?? {}));

function normalizeStep(s: StepDocument, overlaps: boolean): SparkStep {
  const step: SparkStep = {
    id: s.id,
    name: s.name ?? s.id,
    type: "spark",
    file: toS3a(s.file),
    args: [...(s.args ?? [])],
    jars: (s.jars ?? []).map(toS3a),
    pyFiles: (s.pyFiles ?? []).map(toS3a),
    files: (s.files ?? []).map(toS3a),
    archives: (s.archives ?? []).map(toS3a),
    conf: copyRecord(s.conf),
    dependsOn: [...(s.dependsOn ?? [])],
    actionOnFailure: s.actionOnFailure ?? (overlaps ? DEFAULTS.actionOnFailureWhenConcurrent : DEFAULTS.actionOnFailure),
    retries: s.retries ?? DEFAULTS.retries,
  };
  // Optional fields stay absent (not undefined) so records and JSON output stay minimal.
  if (s.className !== undefined) step.className = s.className;
  if (s.driverMemory !== undefined) step.driverMemory = s.driverMemory;
  if (s.driverCores !== undefined) step.driverCores = s.driverCores;
  if (s.executorMemory !== undefined) step.executorMemory = s.executorMemory;
  if (s.executorCores !== undefined) step.executorCores = s.executorCores;
  if (s.numExecutors !== undefined) step.numExecutors = s.numExecutors;
  if (s.queue !== undefined) step.queue = s.queue;
  if (s.timeoutMinutes !== undefined) step.timeoutMinutes = s.timeoutMinutes;
  return step;
}

/** Applies defaults to a document that passed schema and semantic validation. */
export function normalizeJob(doc: JobDocument, source: JobSpec["source"] = "jobflow"): JobSpec {
  const maxConcurrentSteps = doc.maxConcurrentSteps ?? DEFAULTS.maxConcurrentSteps;
  const peers = concurrentPeers(
    doc.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn ?? [] })),
    maxConcurrentSteps,
  );
  const cluster = doc.cluster ?? {};
  const overrides = cluster.overrides ?? {};
  const job: JobSpec = {
    name: doc.name,
    cluster: {
      profile: cluster.profile ?? DEFAULTS.profile,
      overrides: structuredClone(overrides) as JobSpec["cluster"]["overrides"],
      reuse: cluster.reuse ?? DEFAULTS.reuse,
      keepWarmMinutes: cluster.keepWarmMinutes ?? DEFAULTS.keepWarmMinutes,
      maxLifetimeMinutes: cluster.maxLifetimeMinutes ?? DEFAULTS.maxLifetimeMinutes,
      ...(cluster.keepWarmPolicy ? { keepWarmPolicy: cluster.keepWarmPolicy } : {}),
    },
    edges: [...(doc.edges ?? [])],
    maxConcurrentSteps,
    steps: doc.steps.map((s) => normalizeStep(s, (peers.get(s.id) ?? []).length > 0)),
    data: {},
    notify: {},
    tags: copyRecord(doc.tags),
    source,
  };
  if (doc.idempotencyKey !== undefined) job.idempotencyKey = doc.idempotencyKey;
  const adls = doc.data?.adls;
  if (adls)
    job.data.adls = {
      accounts: adls.accounts.map((a) => (a.fileSystem === undefined ? { name: a.name } : { name: a.name, fileSystem: a.fileSystem })),
    };
  const s3a = doc.data?.s3a;
  if (s3a) {
    job.data.s3a = { endpoint: s3a.endpoint, pathStyleAccess: s3a.pathStyleAccess ?? false, buckets: [...(s3a.buckets ?? [])] };
    if (s3a.credentialsSecret !== undefined) job.data.s3a.credentialsSecret = s3a.credentialsSecret;
    if (s3a.region !== undefined) job.data.s3a.region = s3a.region;
    if (s3a.credentials !== undefined) job.data.s3a.credentials = s3a.credentials;
    if (s3a.assumedRole !== undefined) job.data.s3a.assumedRole = { ...s3a.assumedRole };
  }
  if (doc.notify?.webhook !== undefined) job.notify.webhook = doc.notify.webhook;
  return job;
}
