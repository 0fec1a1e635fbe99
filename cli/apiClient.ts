// The HTTP client of the remote commands: one method per route of functions/http/*.ts. Non-2xx answers become an
// ApiError carrying the problem+json body (title, detail, every problem with its JSON pointer).
import type { Problem } from "../shared/errors";
import type { CostReport } from "../shared/cost/report";
import type { JobRecord, JobState } from "../shared/workflow/jobRecord";
import type { ApiTarget } from "./api";

export interface SubmitAccepted {
  id: string;
  statusUrl: string;
  /** True when a job with the same idempotency key existed already (HTTP 200 instead of 202). */
  duplicate?: boolean;
}

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  submittedAt: string;
  endedAt?: string;
  cluster?: string;
}

export interface ClusterRow {
  name: string;
  managed: boolean;
  provisioningState: string;
  clusterState: string;
  clusterVersion?: string;
  createdDate?: string;
  tags: Record<string, string>;
  /** The cluster orchestration's custom status (phase, holders, …), null when none runs. */
  lifecycle: unknown;
}

export interface EdgeRow {
  name: string;
  attachedTo: string | null;
  updatedAt: string | null;
  requestedBy: string | null;
}

export interface EdgeOperationStarted {
  vm: string;
  mode: "attach" | "detach" | "switch";
  cluster: string | null;
  operationId: string;
  statusUrl: string;
}

export interface EdgeOperationStatus {
  id: string;
  /** Durable runtime status: Pending, Running, Completed, Failed, Terminated, … */
  runtimeStatus: string;
  progress: unknown;
  result: { ok?: boolean; message?: string; exitCode?: number; clusterName?: string } | null;
}

/** A non-2xx answer of the API (or no answer at all: status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly problems: Problem[];
  constructor(status: number, title: string, detail?: string, problems: Problem[] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problems = problems;
  }
}

/** Supplies bearer tokens (Entra ID). */
export interface TokenSource {
  /** Returns a valid access token, refreshing it when it is about to expire. */
  getToken(): Promise<string>;
}

export interface JobflowApiOptions {
  /** Bearer tokens for `auth.kind === "entra"` targets (default: DefaultAzureCredential for the target's scope). */
  tokens?: TokenSource;
  /** Per-request timeout (default 30 s). */
  requestTimeoutInMs?: number;
}

export class JobflowApi {
  private tokens: TokenSource | undefined;
  private readonly requestTimeoutInMs: number;

  constructor(
    readonly target: ApiTarget,
    options: JobflowApiOptions = {},
  ) {
    this.tokens = options.tokens;
    this.requestTimeoutInMs = options.requestTimeoutInMs ?? 30_000;
  }

  /** POST /api/jobs with the file's text as is (job document or bare EMR steps file). */
  submitJob(documentText: string): Promise<SubmitAccepted> {
    return this.json("POST", "/jobs", { body: documentText });
  }

  /** GET /api/jobs/{id}: the job record (a bare `{id, state: "queued"}` before the first record is written). */
  getJob(id: string): Promise<JobRecord> {
    return this.json("GET", `/jobs/${enc(id)}`);
  }

  /** GET /api/jobs[?state=], following continuation tokens. */
  async listJobs(state?: string): Promise<JobSummary[]> {
    return this.allPages<JobSummary>("/jobs", "jobs", state ? { state } : {});
  }

  /** POST /api/jobs/{id}/cancel. */
  cancelJob(id: string): Promise<{ id: string; cancelRequested: boolean; statusUrl: string }> {
    return this.json("POST", `/jobs/${enc(id)}/cancel`);
  }

  /** POST /api/jobs/{id}/repair: a new run re-running the failed/timed-out/cancelled/skipped (or the named) steps. */
  repairJob(id: string, steps?: string[]): Promise<{ id: string; run: number; steps: string[]; duplicate: boolean; statusUrl: string }> {
    return this.json("POST", `/jobs/${enc(id)}/repair`, { body: JSON.stringify(steps ? { steps } : {}) });
  }

  /** GET /api/jobs/{id}/steps/{stepId}/log[?attempt=N]: the copied Livy log as text. */
  async getStepLog(id: string, stepId: string, attempt?: number): Promise<string> {
    const query = attempt === undefined ? "" : `?attempt=${attempt}`;
    const res = await this.send("GET", `/jobs/${enc(id)}/steps/${enc(stepId)}/log${query}`);
    return res.text();
  }

  /** GET /api/clusters, following continuation tokens. */
  listClusters(): Promise<ClusterRow[]> {
    return this.allPages<ClusterRow>("/clusters", "clusters", {});
  }

  /** GET /api/costs: the cost report of a period (docs/costs.md). */
  costs(query: { from?: string; to?: string; groupBy: string }): Promise<CostReport> {
    const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === "string"));
    return this.json<CostReport>("GET", `/costs?${q.toString()}`);
  }

  /** DELETE /api/clusters/{name}: 202 when a delete was requested, 204 when there was nothing to delete. */
  async deleteCluster(name: string): Promise<{ name: string; deleteRequested: boolean }> {
    const res = await this.send("DELETE", `/clusters/${enc(name)}`);
    if (res.status === 204) return { name, deleteRequested: false };
    const body = (await readJson(res)) as { deleteRequested?: boolean } | undefined;
    return { name, deleteRequested: body?.deleteRequested ?? true };
  }

  /** GET /api/edges. */
  async listEdges(): Promise<EdgeRow[]> {
    return (await this.json<{ edges: EdgeRow[] }>("GET", "/edges")).edges;
  }

  /** POST /api/edges/{name}/attach {cluster}. */
  attachEdge(name: string, cluster: string): Promise<EdgeOperationStarted> {
    return this.json("POST", `/edges/${enc(name)}/attach`, { body: JSON.stringify({ cluster }), contentType: "application/json" });
  }

  /** POST /api/edges/{name}/detach. */
  detachEdge(name: string): Promise<EdgeOperationStarted> {
    return this.json("POST", `/edges/${enc(name)}/detach`);
  }

  /** GET /api/edges/operations/{id}. */
  getEdgeOperation(operationId: string): Promise<EdgeOperationStatus> {
    return this.json("GET", `/edges/operations/${enc(operationId)}`);
  }

  private async allPages<T>(path: string, field: string, query: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let pageNo = 0; pageNo < 1000; pageNo++) {
      const q = new URLSearchParams({ ...query, limit: "500" });
      if (token) q.set("continuationToken", token);
      const body = await this.json<Record<string, unknown>>("GET", `${path}?${q}`);
      items.push(...((body[field] as T[] | undefined) ?? []));
      token = typeof body.continuationToken === "string" ? body.continuationToken : undefined;
      if (!token) break;
    }
    return items;
  }

  private async json<T>(method: string, path: string, init: { body?: string; contentType?: string } = {}): Promise<T> {
    const res = await this.send(method, path, init);
    return (await readJson(res)) as T;
  }

  private async send(method: string, path: string, init: { body?: string; contentType?: string } = {}): Promise<Response> {
    const url = `${this.target.baseUrl}/api${path}`;
    const headers: Record<string, string> = { accept: "application/json, application/problem+json, text/plain" };
    if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
    if (this.target.auth.kind === "functionKey") headers["x-functions-key"] = this.target.auth.key;
    else headers.authorization = `Bearer ${await this.tokenSource(this.target.auth.scope).getToken()}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: init.body, signal: AbortSignal.timeout(this.requestTimeoutInMs) });
    } catch (err) {
      throw new ApiError(0, `cannot reach ${this.target.baseUrl}`, unreachableHint(this.target, err));
    }
    if (res.ok) return res;
    throw await errorFromResponse(res);
  }

  private tokenSource(scope: string): TokenSource {
    this.tokens ??= entraTokenSource(scope);
    return this.tokens;
  }
}

const enc = encodeURIComponent;

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, "unexpected answer", `expected JSON from ${res.url}, got: ${text.slice(0, 200)}`);
  }
}

/** Turns a non-2xx response into an ApiError, reading problem+json when the body is one. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  let body: { title?: unknown; detail?: unknown; problems?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const problems = Array.isArray(body?.problems) ? (body.problems as unknown[]).filter(isProblem) : [];
  const title = typeof body?.title === "string" ? body.title : `HTTP ${res.status} ${res.statusText}`.trim();
  const detail = typeof body?.detail === "string" ? body.detail : body ? undefined : text.trim().slice(0, 500) || undefined;
  const hint = res.status === 401 || res.status === 403 ? " (check JOBFLOW_KEY, or your Entra ID sign-in and JOBFLOW_SCOPE)" : "";
  return new ApiError(res.status, title + hint, detail, problems);
}

function isProblem(p: unknown): p is Problem {
  return typeof p === "object" && p !== null && typeof (p as Problem).pointer === "string" && typeof (p as Problem).message === "string";
}

function unreachableHint(target: ApiTarget, err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  return target.source.kind === "discovery"
    ? `${why}; is \`npm start\` still running? (found ${target.source.file})`
    : `${why}; check JOBFLOW_URL`;
}

/** Bearer tokens from DefaultAzureCredential (az login, managed identity, environment, …), cached until near expiry. */
export function entraTokenSource(scope: string): TokenSource {
  let cached: { token: string; expiresOnTimestamp: number } | undefined;
  let credential: { getToken(scope: string): Promise<{ token: string; expiresOnTimestamp: number } | null> } | undefined;
  return {
    async getToken() {
      // Two minutes of margin so a token never expires in flight. (Wall time is right here: it is the token's.)
      if (cached && cached.expiresOnTimestamp - 120_000 > Date.now()) return cached.token;
      // Loaded on demand: @azure/identity is large and most invocations use a function key.
      const { DefaultAzureCredential } = await import("@azure/identity");
      credential ??= new DefaultAzureCredential();
      let token: { token: string; expiresOnTimestamp: number } | null;
      try {
        token = await credential.getToken(scope);
      } catch (err) {
        throw new ApiError(401, "Entra ID sign-in failed", `${(err as Error).message}; run \`az login\` or set JOBFLOW_KEY`);
      }
      if (!token)
        throw new ApiError(401, "Entra ID sign-in failed", `no token for scope ${scope}; run \`az login\` or set AZURE_* credentials`);
      cached = token;
      return token.token;
    },
  };
}
