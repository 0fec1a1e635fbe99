// The per-cluster HDInsight gateway emulator: Livy batches, Ambari client configs and YARN RM REST behind HTTP Basic
// auth with the cluster's gateway credentials. The ARM side mounts it at /gateway/{cluster}/… and its control
// endpoint at /_sandbox/gateway/…; see README.md beside this file for the knobs.
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  ControlRequestHandler,
  GatewayRequestHandler,
  SandboxClusterView,
  SandboxComponent,
  SandboxComponentDeps,
  SandboxComponentFactory,
} from "../contracts";
import { handleAmbari } from "./ambari";
import type { GatewayContext } from "./context";
import { handleControl } from "./control";
import { parseBasicAuth, sendJson, sendText, splitPath } from "./httpUtil";
import { handleLivy } from "./livy";
import { RequestHolds } from "./holds";
import { takeFault } from "./scenario";
import { emptyGatewayState, GatewayStateFile, loadGatewayState, type ClusterGatewayState } from "./state";
import { handleYarn } from "./yarn";

export { sandboxConfKeys } from "./livy";
export type { GatewayScenario, GatewayFault, BatchRule, BatchOutcome } from "./scenario";

/** The gateway component, with the handler types narrowed to the gateway's signature. */
export interface SandboxGateway extends SandboxComponent {
  /** Serves /gateway/{clusterName}{subPath} as the cluster's public HTTPS endpoint would. */
  handle: GatewayRequestHandler;
  /** Serves /_sandbox/gateway{subPath}: scenario, faults, inspection, injected YARN apps, reset. */
  control: ControlRequestHandler;
  /** Forgets the cluster's batches and YARN apps (called by the ARM side when it deletes the cluster). */
  onClusterDeleted(clusterName: string): void;
}

/** The page Azure's gateway answers with when the cluster's head nodes do not answer (HDInsight's 502). */
const badGatewayPage =
  "<html><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></head>" +
  "<body><h2>502 - Web server received an invalid response while acting as a gateway or proxy server.</h2></body></html>";

/** Creates the gateway, loading any state persisted in `deps.dataDir`. */
export function createGateway(deps: SandboxComponentDeps): SandboxGateway {
  const file = new GatewayStateFile(deps.dataDir);
  const state = loadGatewayState(deps.dataDir);
  let saveScheduled = false;
  const ctx: GatewayContext = {
    state,
    clock: deps.clock,
    holds: new RequestHolds(),
    changed() {
      if (saveScheduled) return;
      saveScheduled = true;
      setImmediate(() => {
        saveScheduled = false;
        // A failed background save is retried by the next change or the explicit save() at shutdown.
        file.save(state).catch(() => undefined);
      });
    },
    clusterState(view: SandboxClusterView): ClusterGatewayState {
      const existing = state.clusters[view.name];
      // A cluster recreated under the same name is a new YARN instance: start from scratch.
      if (existing && (view.runningSinceMs === undefined || existing.yarnEpochMs === view.runningSinceMs)) return existing;
      const fresh: ClusterGatewayState = {
        yarnEpochMs: view.runningSinceMs ?? deps.clock.nowMs(),
        nextBatchId: 0,
        nextAppSeq: 1,
        batches: [],
        injectedApps: [],
      };
      state.clusters[view.name] = fresh;
      ctx.changed();
      return fresh;
    },
  };

  async function reset(): Promise<void> {
    ctx.holds.releaseAll();
    const empty = emptyGatewayState();
    state.scenario = empty.scenario;
    state.faults = empty.faults;
    state.clusters = empty.clusters;
    await file.save(state);
  }

  async function route(req: IncomingMessage, res: ServerResponse, clusterName: string, subPath: string): Promise<void> {
    const view = deps.lookupCluster(clusterName);
    if (!view || view.state === "deleted") {
      return sendJson(res, 404, { code: "ClusterNotFound", message: `No cluster ${clusterName} behind this gateway.` });
    }
    if (view.state !== "running") return sendText(res, 502, badGatewayPage, { "content-type": "text/html" });
    const creds = parseBasicAuth(req.headers.authorization);
    if (!creds || creds.username !== view.gatewayUsername || creds.password !== view.gatewayPassword) {
      return sendText(res, 401, "Unauthorized", { "www-authenticate": 'Basic realm="HDInsight"' });
    }
    if (takeFault(state.faults, "gateway502", view.name)) {
      ctx.changed();
      return sendText(res, 502, badGatewayPage, { "content-type": "text/html" });
    }
    const throttled = takeFault(state.faults, "gateway429", view.name);
    if (throttled) {
      ctx.changed();
      const retryAfter = throttled.retryAfterSeconds ?? null;
      return sendJson(
        res,
        429,
        { msg: "Too many requests (injected by the sandbox)." },
        retryAfter === null ? {} : { "retry-after": String(retryAfter) },
      );
    }
    const { segments, query } = splitPath(subPath);
    const method = (req.method ?? "GET").toUpperCase();
    const [s0, s1, s2, s3, ...rest] = segments;
    if (s0 === "livy" && s1 === "batches") {
      return handleLivy(ctx, { req, res, view, owner: creds.username, rest: segments.slice(2), query });
    }
    if (s0 === "api" && s1 === "v1") {
      const host = req.headers.host ?? "127.0.0.1";
      return handleAmbari(ctx, res, view, method, segments.slice(2), query, `https://${host}/gateway/${encodeURIComponent(clusterName)}`);
    }
    if (s0 === "yarnui" && s1 === "ws" && s2 === "v1" && s3 === "cluster") {
      if (method !== "GET")
        return sendJson(res, 405, { RemoteException: { exception: "WebApplicationException", message: "Method Not Allowed" } });
      return handleYarn(ctx, res, ctx.clusterState(view), rest, query);
    }
    return sendText(res, 404, "Not Found");
  }

  const handle: GatewayRequestHandler = async (req, res, clusterName, subPath) => {
    try {
      await route(req, res, clusterName, subPath);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { msg: `sandbox gateway error: ${(e as Error).message}` });
      else res.destroy(e as Error);
    } finally {
      // The path only (no query): nothing a caller put in a query string ends up in the request log.
      deps.logRequest({
        method: req.method ?? "GET",
        path: `/gateway/${clusterName}${splitPath(subPath).path}`,
        status: res.statusCode,
        component: "gateway",
      });
    }
  };

  return {
    handle,
    control: (req, res, subPath, body) => handleControl({ ctx, lookupCluster: deps.lookupCluster, reset }, req, res, subPath, body),
    onClusterDeleted(clusterName: string): void {
      if (!state.clusters[clusterName]) return;
      delete state.clusters[clusterName];
      ctx.changed();
    },
    save: () => file.save(state),
    reset,
  };
}

/** The factory the ARM side loads by convention (see contracts.ts SandboxComponentFactory). */
export const createGatewayComponent: SandboxComponentFactory = (deps) => createGateway(deps);
