// The one submit path shared by POST /jobs and the `jobs` queue: validate (nothing is created on a problem),
// derive the job id (idempotency key, else the queue message id, else random), and start the job orchestration
// unless an instance with that id exists already — so retried posts and duplicate deliveries never create a
// second job or cluster. Round trips: a keyed submit reads the instance status once, then starts it; an unkeyed
// one (random id) only starts it. Built from SubmitDeps (createSubmitJob): the HTTP routes get theirs once from
// the composition root (functions/http/routeDeps.ts); `submitJob` is the same path over the app's services for
// the queue trigger and the activities.
import { createHash, randomUUID } from "node:crypto";
import type { DurableClient } from "durable-functions";
import type { Problem } from "../shared/errors";
import { effectiveProfile, type ProfileCatalog } from "../shared/profiles";
import { placeholderValuesFromConfig, type PlaceholderValues } from "../shared/profiles/placeholders";
import type { JobSpec } from "../shared/model/job";
import { parseJobText, validateJobDocument } from "../shared/spec";
import { jobSecurityOptions } from "../shared/security/jobPolicy";
import { airflowRunId, type RunContext } from "../shared/templates/builtins";
import type { SuppliedValue } from "../shared/templates/parameters";
import { ORCHESTRATION } from "../shared/workflow/activities";
import type { JobRunInput } from "../shared/workflow/jobRunInput";
import type { Clock } from "../shared/clock";
import type { JobflowConfig } from "../shared/config";
import { appClock } from "./runtime/appClock";
import { services } from "./runtime/services";

export type SubmitResult = { ok: true; jobId: string; duplicate: boolean } | { ok: false; problems: Problem[] };

/** What the submit path reads: the configuration, the profile catalog (loaded once) and "now" (submittedAt). */
export interface SubmitDeps {
  config: JobflowConfig;
  profiles(): Promise<ProfileCatalog>;
  clock: Pick<Clock, "now">;
}

export type SubmitJob = (client: DurableClient, body: string | unknown, options?: SubmitOptions) => Promise<SubmitResult>;

export function jobIdFor(key: string): string {
  return `j-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

export interface SubmitOptions {
  /** Queue message id: the idempotency fallback for queue deliveries. */
  messageId?: string;
  /** File-ish name given to a bare EMR steps file. */
  emrJobName?: string;
  /** Parameter values (a schedule's, a backfill's); the body's own envelope values take precedence. */
  parameters?: Record<string, SuppliedValue>;
  /**
   * What kind of run this is and its logical time (the built-ins ds, ts, data_interval_*). Default: a manual run
   * whose logical date is the body's `logicalDate`, else the submission time.
   */
  run?: { kind: "manual" | "scheduled" | "backfill"; logicalDate?: string; dataIntervalEnd?: string };
  /** A schedule's warm-up held for this run: the job joins its cluster (issue 13). */
  warmup?: JobRunInput["warmup"];
}

/** The run context of the templates' built-ins; the job id derives from the document's key, else `fallbackKey`. */
export function templateRun(kind: SubmitOptions["run"], submittedAt: string, fallbackKey: string) {
  return (request: { idempotencyKey?: string; logicalDate?: string }): RunContext => {
    const logicalDate = kind?.logicalDate ?? request.logicalDate ?? submittedAt;
    return {
      logicalDate,
      dataIntervalEnd: kind?.dataIntervalEnd ?? logicalDate,
      runId: airflowRunId(kind?.kind ?? "manual", logicalDate),
      jobId: jobIdFor(request.idempotencyKey ?? fallbackKey),
    };
  };
}

type Effective = ReturnType<typeof effectiveProfile>;
const effectiveCache = new WeakMap<object, Map<string, Effective>>();
const EFFECTIVE_CACHE_SIZE = 256;

/**
 * effectiveProfile (overrides, placeholders, profile hash: about a millisecond of CPU) memoised per profile
 * catalog and cluster section: most submits repeat a handful of cluster sections. The catalog is loaded once per
 * services instance and the placeholder values come from the same config, so the key is complete. Entries are
 * deep-frozen and shared (a copy per submit cost more than the lookup saved): readers only read them, and the
 * orchestration input is a JSON copy anyway.
 */
function effectiveProfileCached(cluster: JobSpec["cluster"], catalog: ProfileCatalog, values: () => PlaceholderValues): Effective {
  let cache = effectiveCache.get(catalog);
  if (!cache) effectiveCache.set(catalog, (cache = new Map()));
  const key = JSON.stringify(cluster);
  const hit = cache.get(key);
  if (hit) return hit;
  const eff = deepFreeze(effectiveProfile({ cluster }, catalog, values()));
  if (cache.size >= EFFECTIVE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, eff);
  return eff;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The submit path over the app's services, looked up per call (the queue trigger, the activities). */
export function submitJob(client: DurableClient, body: string | unknown, options: SubmitOptions = {}): Promise<SubmitResult> {
  const s = services();
  return createSubmitJob({ config: s.config, profiles: s.profiles, clock: appClock() })(client, body, options);
}

/** The submit path over `deps`, built once (the HTTP routes: routeDeps.ts). */
export function createSubmitJob(deps: SubmitDeps): SubmitJob {
  return (client, body, options = {}) => submitWith(deps, client, body, options);
}

async function submitWith(s: SubmitDeps, client: DurableClient, body: string | unknown, options: SubmitOptions): Promise<SubmitResult> {
  const profiles = await s.profiles();
  const submittedAt = s.clock.now().toISOString();
  const fallbackKey = options.messageId ?? randomUUID();
  // Templates are rendered here (in the trigger or the activity that calls this), never in orchestration code.
  const run = templateRun(options.run, submittedAt, fallbackKey);
  const validateOptions = {
    profiles,
    knownEdges: s.config.edgeVms,
    emrJobName: options.emrJobName,
    ...jobSecurityOptions(s.config, profiles),
    parameters: options.parameters,
    run,
  };
  const result = typeof body === "string" ? parseJobText(body, validateOptions) : validateJobDocument(body, validateOptions);
  if (!result.ok) return { ok: false, problems: result.problems };
  const job = result.job;
  const eff = effectiveProfileCached(job.cluster, profiles, () => placeholderValuesFromConfig(s.config));
  if (!eff.ok) return { ok: false, problems: eff.problems };

  const key = job.idempotencyKey ?? options.messageId;
  const jobId = jobIdFor(job.idempotencyKey ?? fallbackKey);
  // Only a keyed submit can meet an existing instance: a fresh random id skips the status read (one round trip).
  if (key && (await client.getStatus(jobId).catch(() => undefined))) return { ok: true, jobId, duplicate: true };

  const p = eff.profile;
  const input: JobRunInput = {
    jobId,
    job,
    submittedAt,
    profileHash: eff.hash,
    profile: p,
    nodes: { head: p.headNode, worker: p.workerNode, zookeeper: p.zookeeperNode },
  };
  if (options.warmup && job.cluster.reuse === "warm") input.warmup = options.warmup;
  try {
    await client.startNew(ORCHESTRATION.jobRun, { instanceId: jobId, input });
  } catch (err) {
    // A concurrent submit with the same key won the race: same job, not a second one.
    if (await client.getStatus(jobId).catch(() => undefined)) return { ok: true, jobId, duplicate: true };
    throw err;
  }
  return { ok: true, jobId, duplicate: false };
}
