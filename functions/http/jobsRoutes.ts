// HTTP API: jobs (DESIGN §6) — submit, list, get, cancel and a step's log, built from RouteDeps (routes.ts lists
// where each is served; every route needs a function key, apiRoute.ts).
import type { HttpRequest } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { JOB_STATES, JOB_TERMINAL_STATES, type JobRecord, type JobState } from "../../shared/workflow/jobRecord";
import { EVENT, clusterInstanceId } from "../../shared/workflow/activities";
import { logBlob } from "../store/jobStore";
import { liveLedgers, withCost, withCosts } from "../store/costReader";
import { json, page, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

const STATES: readonly JobState[] = JOB_STATES;
const MAX_BODY_BYTES = 256 * 1024;

function statusUrl(request: HttpRequest, jobId: string): string {
  const u = new URL(request.url);
  return `${u.origin}/api/jobs/${jobId}`;
}

async function readJob(
  deps: RouteDeps,
  client: DurableClient,
  jobId: string,
): Promise<JobRecord | { id: string; state: string } | undefined> {
  const record = await deps.jobs.get(jobId);
  if (record) return withCost(deps, record, liveLedgers(client));
  // Accepted but the orchestration has not written its first record yet.
  const status = await client.getStatus(jobId).catch(() => undefined);
  return status ? { id: jobId, state: "queued" } : undefined;
}

/**
 * A finished job whose cluster is still being deleted says so (`cluster.teardown`), with the delete failures if
 * any: the job's own record was final when it released the cluster, the cluster's orchestration knows the rest.
 */
async function withTeardown(client: DurableClient, job: JobRecord): Promise<JobRecord & { cluster: { teardown?: unknown } }> {
  if (!job.cluster.name || !(JOB_TERMINAL_STATES as readonly string[]).includes(job.state)) return job;
  const status = await client.getStatus(clusterInstanceId(job.cluster.name)).catch(() => undefined);
  const lifecycle = (status?.customStatus ?? {}) as {
    phase?: string;
    teardown?: { deleteAttempts?: number; deleteFailures?: number; lastDeleteError?: string };
  };
  if (lifecycle.phase !== "deleting") return job;
  return { ...job, cluster: { ...job.cluster, teardown: { state: "pending", ...lifecycle.teardown } } };
}

type JobsHandlers = Pick<ApiHandlers, "jobsSubmit" | "jobsList" | "jobsGet" | "jobsCancel" | "jobsStepLog">;

export function jobsRoutes(deps: RouteDeps): JobsHandlers {
  const jobsSubmit = async (request: HttpRequest, client: DurableClient) => {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Job document too large", `at most ${MAX_BODY_BYTES} bytes`);
    const result = await deps.submitJob(client, text);
    if (!result.ok)
      return problem(400, "Invalid job document", `${result.problems.length} problem(s); nothing was created`, result.problems);
    const url = statusUrl(request, result.jobId);
    return json(result.duplicate ? 200 : 202, { id: result.jobId, statusUrl: url, duplicate: result.duplicate }, { location: url });
  };

  const jobsList = async (request: HttpRequest, client: DurableClient) => {
    // `state` is one state or a comma-separated list (repeated parameters arrive joined by commas); empty = all.
    const states = (request.query.get("state") ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const unknown = states.filter((x) => !STATES.includes(x as JobState));
    if (unknown.length > 0) {
      return problem(
        400,
        "Invalid query",
        undefined,
        unknown.map((x) => ({ pointer: "/query/state", message: `'${x}' is not a job state; use one of ${STATES.join(", ")}` })),
      );
    }
    const limit = request.query.get("limit");
    if (limit !== null && !/^[1-9][0-9]*$/.test(limit))
      return problem(400, "Invalid query", undefined, [{ pointer: "/query/limit", message: "must be a positive integer (at most 500)" }]);
    const jobs = deps.jobs;
    // Only the index prefixes of the wanted states are listed, and only this page's records are read (see
    // functions/store/jobStore.ts); a record whose state moved on since its marker was listed is left out.
    const entries = await jobs.list(states as JobState[]);
    const { items, continuationToken } = page(entries, request.query);
    const records = await withCosts(
      deps,
      (await Promise.all(items.map((e) => jobs.get(e.jobId)))).filter(
        (r): r is JobRecord => !!r && (states.length === 0 || states.includes(r.state)),
      ),
      liveLedgers(client),
    );
    const body: Record<string, unknown> = {
      jobs: records.map((r) => ({
        id: r.id,
        name: r.name,
        state: r.state,
        submittedAt: r.submittedAt,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        cluster: r.cluster.name,
        profile: r.cluster.profile,
        tags: r.tags,
        estimatedCost: r.estimatedCost,
        updatedAt: r.updatedAt,
      })),
    };
    if (continuationToken) body.continuationToken = continuationToken;
    return json(200, body);
  };

  const jobsGet = async (request: HttpRequest, client: DurableClient) => {
    const job = await readJob(deps, client, request.params.id);
    if (!job) return problem(404, "Not found", `no job '${request.params.id}'`);
    return json(200, "cluster" in job ? await withTeardown(client, job) : job);
  };

  const jobsCancel = async (request: HttpRequest, client: DurableClient) => {
    const id = request.params.id;
    const job = await readJob(deps, client, id);
    if (!job) return problem(404, "Not found", `no job '${id}'`);
    if ((JOB_TERMINAL_STATES as readonly string[]).includes(job.state))
      return problem(409, "Job already finished", `job '${id}' is ${job.state}`);
    await client.raiseEvent(id, EVENT.cancel, { requestedAt: deps.clock.now().toISOString() });
    return json(202, { id, cancelRequested: true, statusUrl: statusUrl(request, id) });
  };

  const jobsStepLog = async (request: HttpRequest) => {
    const record = await deps.jobs.get(request.params.id);
    const step = record?.steps.find((x) => x.id === request.params.stepId);
    if (!record || !step) return problem(404, "Not found", `no step '${request.params.stepId}' in job '${request.params.id}'`);
    const wanted = Number(request.query.get("attempt") ?? step.attempts.length);
    const attempt = step.attempts.find((a) => a.attempt === wanted);
    if (!attempt?.logBlob)
      return problem(404, "No log yet", `step '${step.id}' attempt ${wanted} has no copied log (it is copied when the attempt ends)`);
    const text = await deps.blobs.getText(deps.config.containers.logs, attempt.logBlob ?? logBlob(record.id, step.id, wanted));
    if (text === undefined) return problem(404, "Log missing", attempt.logBlob);
    return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: text };
  };

  return { jobsSubmit, jobsList, jobsGet, jobsCancel, jobsStepLog };
}
