// The gateway's control endpoint (/_sandbox/gateway/...): scenario settings, fault injection, inspection of
// batches (conf secrets redacted unless ?reveal=true) and YARN apps, injected YARN apps, reset.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxComponentDeps } from "../contracts";
import { applicationId, batchStatusAt } from "./batchModel";
import { retainMs, type GatewayContext } from "./context";
import { isRecord, sendJson, splitPath } from "./httpUtil";
import { redactConf } from "./livyRequest";
import { defaultScenario, mergeScenario, parseFault } from "./scenario";
import type { InjectedApp, YarnFinalStatus } from "./state";
import { yarnApps } from "./yarn";

export interface ControlDeps {
  ctx: GatewayContext;
  lookupCluster: SandboxComponentDeps["lookupCluster"];
  reset(): Promise<void>;
}

function bad(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: { code: "BadRequest", message } });
}

/** Serves one control request; `body` is the parsed JSON body (undefined when empty). */
export async function handleControl(
  d: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  subPath: string,
  body: unknown,
): Promise<void> {
  const { ctx } = d;
  const method = (req.method ?? "GET").toUpperCase();
  const { segments, query } = splitPath(subPath);
  const [what, id, action] = segments;
  try {
    if (what === undefined && method === "GET") {
      return sendJson(res, 200, { scenario: ctx.state.scenario, faults: ctx.state.faults });
    }
    if (what === "scenario") {
      if (method === "GET") return sendJson(res, 200, ctx.state.scenario);
      if (method === "DELETE") ctx.state.scenario = { ...defaultScenario, rules: [] };
      else if (method === "PUT" || method === "POST" || method === "PATCH")
        ctx.state.scenario = mergeScenario(ctx.state.scenario, body ?? {});
      else return bad(res, `${method} not supported on scenario`);
      ctx.changed();
      return sendJson(res, 200, ctx.state.scenario);
    }
    if (what === "faults") {
      if (method === "GET") return sendJson(res, 200, { faults: ctx.state.faults });
      if (method === "DELETE") ctx.state.faults = [];
      else if (method === "POST") ctx.state.faults.push(parseFault(body));
      else return bad(res, `${method} not supported on faults`);
      ctx.changed();
      return sendJson(res, method === "POST" ? 201 : 200, { faults: ctx.state.faults });
    }
    if (what === "holds") {
      if (method === "GET" && id === undefined) return sendJson(res, 200, { held: ctx.holds.held() });
      if (method === "POST" && id === "release") return sendJson(res, 200, { released: ctx.holds.releaseAll() });
      return bad(res, `${method} not supported on holds`);
    }
    if (what === "batches" && method === "GET") return listBatches(ctx, res, query);
    if (what === "yarn-apps") return yarnAppsControl(d, res, method, id, action, query, body);
    if (what === "failover" && method === "POST") return failover(d, res, body);
    if (what === "reset" && method === "POST") {
      await d.reset();
      return sendJson(res, 200, { reset: true });
    }
    return sendJson(res, 404, { error: { code: "NotFound", message: `no gateway control route ${method} ${subPath}` } });
  } catch (e) {
    return bad(res, (e as Error).message);
  }
}

function listBatches(ctx: GatewayContext, res: ServerResponse, query: URLSearchParams): void {
  const reveal = query.get("reveal") === "true";
  const only = query.get("cluster");
  const now = ctx.clock.nowMs();
  const batches = Object.entries(ctx.state.clusters)
    .filter(([name]) => only === null || name === only)
    .flatMap(([, c]) => c.batches)
    .map((b) => {
      const s = batchStatusAt(b, now, retainMs(ctx));
      return {
        cluster: b.cluster,
        id: b.id,
        state: s.state,
        appId: applicationId(b.yarnEpochMs, b.appSeq),
        appStarted: s.appStartedAtMs !== undefined,
        visibleToLivy: s.visibleToLivy,
        deletedThroughLivy: b.livyDeletedAtMs !== undefined,
        owner: b.owner,
        submittedAt: new Date(b.submittedAtMs).toISOString(),
        finishedAt: s.finishedAtMs === undefined ? null : new Date(s.finishedAtMs).toISOString(),
        plannedOutcome: b.outcome,
        plannedDurationSeconds: b.durationMs / 1000,
        request: { ...b.request, conf: reveal ? b.request.conf : redactConf(b.request.conf) },
      };
    });
  sendJson(res, 200, { batches });
}

async function yarnAppsControl(
  d: ControlDeps,
  res: ServerResponse,
  method: string,
  appId: string | undefined,
  action: string | undefined,
  query: URLSearchParams,
  body: unknown,
): Promise<void> {
  const { ctx } = d;
  if (method === "GET" && appId === undefined) {
    const only = query.get("cluster");
    const now = ctx.clock.nowMs();
    const apps = Object.entries(ctx.state.clusters)
      .filter(([name]) => only === null || name === only)
      .flatMap(([name, c]) => yarnApps(ctx, c, now).map((a) => ({ cluster: name, ...a })));
    return sendJson(res, 200, { apps });
  }
  if (method === "POST" && appId === undefined) {
    if (!isRecord(body) || typeof body.cluster !== "string" || typeof body.name !== "string") {
      return bad(res, "body needs cluster and name (strings)");
    }
    const view = d.lookupCluster(body.cluster);
    if (!view) return sendJson(res, 404, { error: { code: "ClusterNotFound", message: `no cluster ${body.cluster}` } });
    const state = body.state ?? "RUNNING";
    if (state !== "RUNNING" && state !== "ACCEPTED") return bad(res, "state must be RUNNING or ACCEPTED");
    const duration = body.durationSeconds;
    if (duration !== undefined && (typeof duration !== "number" || !(duration > 0))) return bad(res, "durationSeconds must be > 0");
    const cluster = ctx.clusterState(view);
    const now = ctx.clock.nowMs();
    const app: InjectedApp = {
      seq: cluster.nextAppSeq++,
      name: body.name,
      applicationType: typeof body.applicationType === "string" ? body.applicationType : "SPARK",
      user: typeof body.user === "string" ? body.user : "hive",
      queue: typeof body.queue === "string" ? body.queue : "default",
      initialState: state,
      startedAtMs: now,
    };
    if (typeof duration === "number") app.plannedEndMs = now + duration * 1000;
    cluster.injectedApps.push(app);
    ctx.changed();
    return sendJson(res, 201, { cluster: view.name, id: applicationId(cluster.yarnEpochMs, app.seq) });
  }
  if (method === "POST" && appId !== undefined && action === "finish") {
    for (const cluster of Object.values(ctx.state.clusters)) {
      const app = cluster.injectedApps.find((a) => applicationId(cluster.yarnEpochMs, a.seq) === appId);
      if (!app) continue;
      const finalStatus = isRecord(body) && body.finalStatus !== undefined ? body.finalStatus : "SUCCEEDED";
      if (finalStatus !== "SUCCEEDED" && finalStatus !== "FAILED" && finalStatus !== "KILLED") {
        return bad(res, "finalStatus must be SUCCEEDED, FAILED or KILLED");
      }
      if (app.finishedAtMs === undefined) {
        app.finishedAtMs = ctx.clock.nowMs();
        app.finalStatus = finalStatus as YarnFinalStatus;
        ctx.changed();
      }
      return sendJson(res, 200, { id: appId, finalStatus: app.finalStatus });
    }
    return sendJson(res, 404, { error: { code: "NotFound", message: `no injected app ${appId}` } });
  }
  return bad(res, `${method} not supported on yarn-apps`);
}

/** `{cluster, to?}`: moves the active NameNode/ResourceManager (and headnodehost) to the other head node, or `to`. */
function failover(d: ControlDeps, res: ServerResponse, body: unknown): void {
  if (!isRecord(body) || typeof body.cluster !== "string") return bad(res, "body needs cluster (string)");
  if (body.to !== undefined && body.to !== "hn0" && body.to !== "hn1") return bad(res, 'to must be "hn0" or "hn1"');
  const view = d.lookupCluster(body.cluster);
  if (!view) return sendJson(res, 404, { error: { code: "ClusterNotFound", message: `no cluster ${body.cluster}` } });
  const cluster = d.ctx.clusterState(view);
  const current = cluster.activeHeadnode ?? "hn0";
  cluster.activeHeadnode = (body.to as "hn0" | "hn1" | undefined) ?? (current === "hn0" ? "hn1" : "hn0");
  d.ctx.changed();
  sendJson(res, 200, { cluster: view.name, activeHeadnode: cluster.activeHeadnode });
}
