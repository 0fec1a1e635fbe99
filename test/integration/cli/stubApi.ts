// A small stand-in for Jobflow's HTTP API (functions/http/*.ts), for testing the CLI's own logic over real HTTP:
// function-key auth, problem+json errors, pagination, and scripted job lives (each GET of a job returns the next
// record of its script). Job documents choose their script by name: "ok" → succeeded, "partial" → completed with
// failures, "bad" → failed; "invalid" gets a 400 naming two problems. A bare EMR steps file (an array) is "emr".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { scriptedLife } from "../../unit/cli/jobRecords";

export interface StubRequest {
  method: string;
  url: string;
  key?: string;
  authorization?: string;
  body: string;
}

export interface StubApi {
  url: string;
  key: string;
  requests: StubRequest[];
  /** Creates (or moves) the job of that script name to its last record, as if it had run to the end. */
  finishedJob(name: keyof typeof FINAL): string;
  close(): Promise<void>;
}

const FINAL = { ok: "succeeded", partial: "completedWithFailures", bad: "failed", emr: "succeeded" } as const;

function send(res: ServerResponse, status: number, body?: unknown, type = "application/json"): void {
  res.writeHead(status, body === undefined ? {} : { "content-type": type });
  res.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
}

function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail?: string,
  problems?: { pointer: string; message: string }[],
): void {
  send(res, status, { type: "about:blank", title, status, detail, problems }, "application/problem+json");
}

/** Starts the stub on 127.0.0.1 (ephemeral port). `acceptBearer` lets a request in with that bearer token instead of a key. */
export async function startStubApi(options: { acceptBearer?: string } = {}): Promise<StubApi> {
  const key = "stub-function-key";
  const requests: StubRequest[] = [];
  const scripts = new Map<string, { records: JobRecord[]; next: number }>();
  const edgeOps = new Map<string, number>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += chunk;
    const record: StubRequest = { method: req.method ?? "", url: req.url ?? "", body };
    if (typeof req.headers["x-functions-key"] === "string") record.key = req.headers["x-functions-key"];
    if (req.headers.authorization) record.authorization = req.headers.authorization;
    requests.push(record);
    const bearerOk = options.acceptBearer !== undefined && record.authorization === `Bearer ${options.acceptBearer}`;
    if (record.key !== key && !bearerOk) return problem(res, 401, "Unauthorized", "a function key is required");

    const u = new URL(record.url, "http://stub");
    const parts = u.pathname.split("/").filter(Boolean).map(decodeURIComponent); // ["api", ...]
    const route = `${record.method} /${parts.slice(1).join("/")}`;
    const [, first, id, third, stepId] = parts;

    if (route === "POST /jobs") {
      let doc: unknown;
      try {
        doc = JSON.parse(body);
      } catch {
        return problem(res, 400, "Invalid job document", "1 problem(s); nothing was created", [{ pointer: "", message: "not JSON" }]);
      }
      const name = Array.isArray(doc) ? "emr" : String((doc as { name?: unknown }).name);
      if (!(name in FINAL)) {
        return problem(res, 400, "Invalid job document", "2 problem(s); nothing was created", [
          { pointer: "/steps/0/file", message: "must have required property 'file'" },
          { pointer: "/cluster/profile", message: "unknown profile 'huge' (known: default, spark-small)" },
        ]);
      }
      const jobId = `j-${name}`;
      const duplicate = scripts.has(jobId);
      if (!duplicate) scripts.set(jobId, { records: scriptedLife(jobId, FINAL[name as keyof typeof FINAL]), next: 0 });
      return send(res, duplicate ? 200 : 202, { id: jobId, statusUrl: `http://stub/api/jobs/${jobId}`, duplicate });
    }
    if (first === "jobs" && id !== undefined) {
      const script = scripts.get(id);
      if (!script) return problem(res, 404, "Not found", `no job '${id}'`);
      if (record.method === "GET" && third === undefined) {
        const r = script.records[Math.min(script.next++, script.records.length - 1)];
        return send(res, 200, r);
      }
      if (route === `POST /jobs/${id}/cancel`)
        return send(res, 202, { id, cancelRequested: true, statusUrl: `http://stub/api/jobs/${id}` });
      if (record.method === "GET" && third === "steps" && parts[5] === "log") {
        const last = script.records[script.records.length - 1];
        const step = last.steps.find((s) => s.id === stepId);
        const attempt = Number(u.searchParams.get("attempt") ?? step?.attempts.length);
        if (!step?.attempts.find((a) => a.attempt === attempt))
          return problem(res, 404, "No log yet", `step '${stepId}' attempt ${attempt} has no copied log`);
        return send(res, 200, `log of ${stepId} attempt ${attempt}\nline 2\n`, "text/plain; charset=utf-8");
      }
    }
    if (route === "GET /jobs") {
      const state = u.searchParams.get("state");
      const jobs = [...scripts.values()]
        .map((s) => s.records[Math.min(Math.max(0, s.next - 1), s.records.length - 1)])
        .filter((r) => !state || r.state === state)
        .map((r) => ({ id: r.id, name: r.name, state: r.state, submittedAt: r.submittedAt, endedAt: r.endedAt, cluster: r.cluster.name }));
      return send(res, 200, { jobs });
    }
    if (route === "GET /clusters") {
      // Two pages, to check that the CLI follows continuation tokens.
      const rows = [
        {
          name: "jf-j-ok",
          managed: true,
          provisioningState: "Succeeded",
          clusterState: "Running",
          createdDate: "2026-11-21T02:01:00Z",
          tags: { "jobflow-managed": "true", "jobflow-expires-at": "2026-11-21T14:01:00Z" },
          lifecycle: { phase: "ready", holders: ["j-ok"] },
        },
        { name: "hand-made", managed: false, provisioningState: "Succeeded", clusterState: "Running", tags: {}, lifecycle: null },
      ];
      const token = u.searchParams.get("continuationToken");
      return send(res, 200, token === "1" ? { clusters: [rows[1]] } : { clusters: [rows[0]], continuationToken: "1" });
    }
    if (record.method === "DELETE" && first === "clusters" && id !== undefined) {
      if (id === "gone") return send(res, 204);
      if (id === "hand-made")
        return problem(
          res,
          409,
          "Not managed by Jobflow",
          "cluster 'hand-made' has no jobflow-managed=true tag; Jobflow deletes only its own clusters",
        );
      return send(res, 202, { name: id, deleteRequested: true });
    }
    if (route === "GET /edges") {
      return send(res, 200, {
        edges: [
          { name: "dss-edge-01", attachedTo: "jf-j-ok", updatedAt: "2026-11-21T02:22:00Z", requestedBy: "api" },
          { name: "jupyter-edge-01", attachedTo: null, updatedAt: null, requestedBy: null },
        ],
      });
    }
    if (record.method === "POST" && first === "edges" && (third === "attach" || third === "detach")) {
      if (id !== "dss-edge-01") return problem(res, 404, "Unknown edge VM", `'${id}' is not a registered edge VM (dss-edge-01)`);
      const cluster = third === "attach" ? (JSON.parse(body) as { cluster: string }).cluster : null;
      const operationId = `edge-${id}-${third}`;
      edgeOps.set(operationId, 0);
      return send(res, 202, {
        vm: id,
        mode: third === "attach" ? "switch" : "detach",
        cluster,
        operationId,
        statusUrl: `http://stub/api/edges/operations/${operationId}`,
      });
    }
    if (record.method === "GET" && first === "edges" && id === "operations" && third !== undefined) {
      const n = edgeOps.get(third) ?? 0;
      edgeOps.set(third, n + 1);
      const phases = ["starting", "running", "done"];
      const phase = phases[Math.min(n, 2)];
      return send(res, 200, {
        id: third,
        runtimeStatus: phase === "done" ? "Completed" : "Running",
        progress: { phase },
        result:
          phase === "done" ? { vm: "dss-edge-01", ok: true, mode: "switch", exitCode: 0, message: "edge configured for jf-j-ok" } : null,
      });
    }
    return problem(res, 404, "Not found", `no route ${route}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => problem(res, 500, "Internal error", String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    finishedJob: (name) => {
      const jobId = `j-${name}`;
      const records = scriptedLife(jobId, FINAL[name]);
      scripts.set(jobId, { records, next: records.length - 1 });
      return jobId;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
