// Livy 0.7 batch REST as HDInsight's gateway exposes it at /livy/batches (see apache/incubator-livy
// SessionServlet, BatchSessionServlet, CsrfFilter): POST, GET list/one, /state, /log, DELETE.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxClusterView } from "../contracts";
import { batchLogAt, batchStatusAt, type StoredBatch } from "./batchModel";
import { retainMs, type GatewayContext } from "./context";
import { intParam, readBodyText, sendJson, sendText } from "./httpUtil";
import { LivyBadRequest, parseCreateBatchRequest, type CreateBatchRequest } from "./livyRequest";
import { takeFault, type BatchOutcome, type GatewayScenario, type GatewayFault } from "./scenario";
import { classpathFailure, type ClasspathFailure } from "./sparkSubmit";

/** Spark conf keys a batch can carry to script its own behaviour in the sandbox. */
export const sandboxConfKeys = {
  durationSeconds: "spark.jobflow.sandbox.durationSeconds",
  startingSeconds: "spark.jobflow.sandbox.startingSeconds",
  outcome: "spark.jobflow.sandbox.outcome",
  logLines: "spark.jobflow.sandbox.logLines",
} as const;

/** Methods Livy's CsrfFilter lets through without `X-Requested-By`. */
const csrfSafeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export interface LivyRequest {
  req: IncomingMessage;
  res: ServerResponse;
  view: SandboxClusterView;
  owner: string;
  /** Path segments after /livy/batches. */
  rest: string[];
  query: URLSearchParams;
}

function jettyError(res: ServerResponse, status: number, message: string): void {
  const html =
    `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n` +
    `<title>Error ${status} ${message}</title>\n</head>\n<body><h2>HTTP ERROR ${status}</h2>\n<p>Problem accessing /batches. ` +
    `Reason:\n<pre>    ${message}</pre></p>\n</body>\n</html>\n`;
  sendText(res, status, html, { "content-type": "text/html;charset=utf-8" });
}

/** Serves one request under /livy/batches for a running cluster whose caller is authenticated. */
export async function handleLivy(ctx: GatewayContext, r: LivyRequest): Promise<void> {
  const method = (r.req.method ?? "GET").toUpperCase();
  if (!csrfSafeMethods.has(method) && r.req.headers["x-requested-by"] === undefined) {
    return jettyError(r.res, 400, "Missing Required Header for CSRF protection.");
  }
  if (takeFault(ctx.state.faults, "livy500", r.view.name)) {
    ctx.changed();
    return jettyError(r.res, 500, "Server Error (injected by the sandbox)");
  }
  const [idText, leaf, ...extra] = r.rest;
  if (idText === undefined) {
    if (method === "GET") return listBatches(ctx, r);
    if (method === "POST") return createBatch(ctx, r);
    return jettyError(r.res, 405, "Method Not Allowed");
  }
  if (extra.length > 0 || !/^\d+$/.test(idText)) return sendJson(r.res, 404, { msg: `Session '${idText}' not found.` });
  const id = Number(idText);
  const cluster = ctx.clusterState(r.view);
  const batch = cluster.batches.find((b) => b.id === id);
  const status = batch ? batchStatusAt(batch, ctx.clock.nowMs(), retainMs(ctx)) : undefined;
  if (!batch || !status?.visibleToLivy) return sendJson(r.res, 404, { msg: `Session '${id}' not found.` });
  if (method === "DELETE" && leaf === undefined) {
    const now = ctx.clock.nowMs();
    if (status.finishedAtMs === undefined) batch.killedAtMs = now;
    batch.livyDeletedAtMs = now;
    ctx.changed();
    return sendJson(r.res, 200, { msg: "deleted" });
  }
  if (method !== "GET") return jettyError(r.res, 405, "Method Not Allowed");
  if (leaf === undefined) return sendJson(r.res, 200, batchView(ctx, batch));
  if (leaf === "state") return sendJson(r.res, 200, { id, state: status.state });
  if (leaf === "log") return sendLog(ctx, r, batch);
  return sendJson(r.res, 404, { msg: "Requested resource not found." });
}

/** Livy's BatchSessionView: the last 10 log lines, appInfo once the YARN app exists. */
export function batchView(ctx: GatewayContext, batch: StoredBatch): Record<string, unknown> {
  const now = ctx.clock.nowMs();
  const status = batchStatusAt(batch, now, retainMs(ctx));
  const log = batchLogAt(batch, status, now, ctx.state.scenario.activeNodes);
  const appId = status.appId;
  const host = `${batch.cluster}.azurehdinsight.net`;
  return {
    id: batch.id,
    name: batch.request.name ?? null,
    owner: batch.owner,
    proxyUser: batch.request.proxyUser ?? null,
    state: status.state,
    appId,
    appInfo: {
      driverLogUrl: appId
        ? `http://wn0-${batch.cluster}.internal.cloudapp.net:30060/node/containerlogs/container_e01_${appId.slice(12)}_01_000001/livy`
        : null,
      sparkUiUrl: appId ? `https://${host}/yarnui/hn/proxy/${appId}/` : null,
    },
    log: log.slice(Math.max(0, log.length - 10)),
  };
}

function listBatches(ctx: GatewayContext, r: LivyRequest): void {
  const from = intParam(r.query, "from") ?? 0;
  const size = intParam(r.query, "size") ?? 100;
  if (Number.isNaN(from) || Number.isNaN(size)) return jettyError(r.res, 400, "from and size must be integers");
  const now = ctx.clock.nowMs();
  const visible = ctx
    .clusterState(r.view)
    .batches.filter((b) => batchStatusAt(b, now, retainMs(ctx)).visibleToLivy)
    .sort((a, b) => a.id - b.id);
  const page = visible.slice(Math.max(0, from), Math.max(0, from + size));
  sendJson(r.res, 200, { from, total: visible.length, sessions: page.map((b) => batchView(ctx, b)) });
}

function sendLog(ctx: GatewayContext, r: LivyRequest, batch: StoredBatch): void {
  const now = ctx.clock.nowMs();
  const lines = batchLogAt(batch, batchStatusAt(batch, now, retainMs(ctx)), now, ctx.state.scenario.activeNodes);
  let size = intParam(r.query, "size") ?? 100;
  let from = intParam(r.query, "from") ?? -1;
  if (Number.isNaN(from) || Number.isNaN(size)) return jettyError(r.res, 400, "from and size must be integers");
  // SessionServlet.serializeLogs: negative size = everything; no/negative from = the tail of `size` lines.
  if (size < 0) size = lines.length;
  if (from < 0) from = Math.max(0, lines.length - size);
  sendJson(r.res, 200, { id: batch.id, from, total: lines.length, log: lines.slice(from, from + size) });
}

async function createBatch(ctx: GatewayContext, r: LivyRequest): Promise<void> {
  let request: CreateBatchRequest;
  let plan: BatchPlan;
  try {
    request = parseCreateBatchRequest(await readBodyText(r.req));
    plan = planBatch(ctx.state.scenario, ctx.state.faults, r.view.name, request, r.view.clusterVersion);
  } catch (e) {
    if ((e as Error).name === "LivyBadRequest") return sendJson(r.res, 400, { msg: (e as Error).message });
    throw e;
  }
  if (takeFault(ctx.state.faults, "livySubmitHold", r.view.name, request.file)) {
    ctx.changed();
    await ctx.holds.hold();
  }
  const cluster = ctx.clusterState(r.view);
  const batch: StoredBatch = {
    cluster: r.view.name,
    id: cluster.nextBatchId++,
    request,
    owner: r.owner,
    submittedAtMs: ctx.clock.nowMs(),
    ...plan,
    appSeq: cluster.nextAppSeq++,
    yarnEpochMs: cluster.yarnEpochMs,
  };
  cluster.batches.push(batch);
  ctx.changed();
  sendJson(r.res, 201, batchView(ctx, batch), { location: `/batches/${batch.id}` });
}

interface BatchPlan {
  startingMs: number;
  durationMs: number;
  outcome: BatchOutcome;
  logLines: number;
  failure?: ClasspathFailure;
}

/** A driver that cannot load S3A dies this many virtual seconds after its YARN application starts. */
const CLASSPATH_FAILURE_AFTER_MS = 15_000;

function confNumber(conf: Record<string, string>, key: string, allowZero: boolean): number | undefined {
  const raw = conf[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new LivyBadRequest(`sandbox: conf ${key} must be a ${allowZero ? "non-negative" : "positive"} number, got "${raw}"`);
  }
  return n;
}

/**
 * How the batch will behave. A batch whose S3A class path is broken (sparkSubmit.ts) dies like Spark would,
 * whatever else it asks for. Otherwise precedence: an injected batchOutcome fault, then the batch's own
 * spark.jobflow.sandbox.* conf, then the first scenario rule matching its file, then scenario defaults.
 */
export function planBatch(
  scenario: GatewayScenario,
  faults: GatewayFault[],
  cluster: string,
  request: CreateBatchRequest,
  clusterVersion = "5.1",
): BatchPlan {
  const conf = request.conf ?? {};
  const rule = scenario.rules.find((x) => new RegExp(x.filePattern).test(request.file));
  const confOutcome = conf[sandboxConfKeys.outcome];
  if (confOutcome !== undefined && confOutcome !== "success" && confOutcome !== "dead") {
    throw new LivyBadRequest(`sandbox: conf ${sandboxConfKeys.outcome} must be success or dead, got "${confOutcome}"`);
  }
  const durationSeconds =
    confNumber(conf, sandboxConfKeys.durationSeconds, false) ?? rule?.durationSeconds ?? scenario.defaultDurationSeconds;
  const startingSeconds = Math.min(
    confNumber(conf, sandboxConfKeys.startingSeconds, true) ?? scenario.startingSeconds,
    durationSeconds / 2,
  );
  const logLines = Math.floor(confNumber(conf, sandboxConfKeys.logLines, true) ?? rule?.logLines ?? scenario.defaultLogLines);
  const fault = takeFault(faults, "batchOutcome", cluster, request.file);
  const outcome: BatchOutcome = fault?.outcome ?? (confOutcome as BatchOutcome | undefined) ?? rule?.outcome ?? scenario.defaultOutcome;
  const startingMs = Math.round(startingSeconds * 1000);
  const durationMs = Math.round(durationSeconds * 1000);
  const failure = classpathFailure(request, clusterVersion);
  if (failure)
    return {
      startingMs,
      durationMs: Math.min(durationMs, startingMs + CLASSPATH_FAILURE_AFTER_MS),
      outcome: "dead",
      logLines: Math.min(logLines, 1),
      failure,
    };
  return { startingMs, durationMs, outcome, logLines };
}
