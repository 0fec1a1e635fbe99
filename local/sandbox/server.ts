// The sandbox's HTTPS front door. For ARM paths it does what ARM does before a resource provider sees a request:
// authenticate the bearer token, require api-version, apply fault injection, charge the throttling buckets and
// stamp the x-ms-ratelimit-remaining-* headers. It also mounts the gateway (/gateway/{cluster}/…), Key Vault
// (/keyvault/…) and the control API (/_sandbox/…), and records every request in the request log.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { authenticate } from "./auth";
import { ArmError, isArmError, parseJsonBody, readBody, requestBaseUrl, sendArmError, sendJson, type Headers } from "./http";
import type { ArmReply, ArmRequest } from "./armTypes";
import type { FaultTable, ActiveFault } from "./faults";
import type { RequestLog, RequestComponent } from "./requestLog";
import type { ArmOperationKind, TokenBuckets } from "./throttling";
import type { SandboxComponent } from "./contracts";
import type { VirtualClock } from "../clock/virtualClock";
import { handleRetailPrices } from "./prices/retailPrices";

export type ArmRouteHandler = (req: ArmRequest) => ArmReply | undefined | Promise<ArmReply | undefined>;
export type ControlHandler = (req: IncomingMessage, res: ServerResponse, subPath: string, body: unknown) => Promise<ArmReply | "handled">;

export interface FrontDoorDeps {
  clock: VirtualClock;
  faults: FaultTable;
  throttle: TokenBuckets;
  log: RequestLog;
  fallbackBaseUrl(): string;
  /** Tried in order; the first reply wins. */
  armRoutes: ArmRouteHandler[];
  /** Resource id of the VM whose Compute "Update VM" budget this request spends, if any. */
  updateVmTarget(req: ArmRequest): string | undefined;
  control: ControlHandler;
  realSeconds(virtualSeconds: number): number;
  components(): { gateway?: SandboxComponent; keyvault?: SandboxComponent };
  /** Resolves when the state changes made so far are on disk: replies to writes wait for it (write-ahead). */
  durable?(): Promise<void>;
}

export function createRequestHandler(deps: FrontDoorDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendArmError(res, new ArmError(500, "InternalServerError", `Sandbox error: ${(e as Error).message}`));
      else res.destroy();
    });
  };
}

async function handle(deps: FrontDoorDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "https://127.0.0.1");
  const path = decodeURIComponent(url.pathname);
  const method = (req.method ?? "GET").toUpperCase();
  if (url.pathname === "/api/retail/prices") {
    // The public Retail Prices API: no authentication, not ARM (no api-version, no throttling buckets).
    const status = await handleRetailPrices(req, res, deps.fallbackBaseUrl());
    return deps.log.add({
      atMs: deps.clock.nowMs(),
      component: "prices",
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      status,
    });
  }
  const gw = /^\/gateway\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (gw)
    return mountComponent(deps, "gateway", res, (c) =>
      (c.handle as GatewayHandle)(req, res, decodeURIComponent(gw[1]), (gw[2] ?? "/") + url.search),
    );
  if (url.pathname === "/keyvault" || url.pathname.startsWith("/keyvault/")) {
    const sub = url.pathname.slice("/keyvault".length) || "/";
    return mountComponent(deps, "keyvault", res, (c) => (c.handle as PlainHandle)(req, res, sub + url.search));
  }
  let principal: string | undefined;
  const component: RequestComponent = path.startsWith("/_sandbox/") ? "control" : "arm";
  const log = (status: number, note?: string): void =>
    deps.log.add({
      atMs: deps.clock.nowMs(),
      component,
      method,
      path,
      status,
      ...(principal ? { principal } : {}),
      ...(note ? { note } : {}),
    });
  const ids: Headers = { "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID() };
  try {
    principal = authenticate(req);
    const body = parseJsonBody(await readBody(req));
    if (component === "control") {
      const reply = await deps.control(req, res, path.slice("/_sandbox/".length), body);
      if (reply === "handled") return log(res.statusCode, "delegated");
      if (method !== "GET" && method !== "HEAD") await deps.durable?.();
      sendJson(res, reply.status, reply.body, reply.headers);
      return log(reply.status);
    }
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion)
      throw new ArmError(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    const armReq: ArmRequest = {
      method,
      path,
      query: url.searchParams,
      body,
      principal,
      baseUrl: requestBaseUrl(req, deps.fallbackBaseUrl()),
      apiVersion,
    };

    const fault = deps.faults.take(method, path);
    if (fault) return await answerFault(res, fault, ids, log);

    const limitHeaders = chargeBudgets(deps, armReq);
    for (const route of deps.armRoutes) {
      const reply = await route(armReq);
      if (!reply) continue;
      // What a write's reply acknowledges is saved first (one file write shared with concurrent requests' saves).
      if (method !== "GET" && method !== "HEAD") await deps.durable?.();
      sendJson(res, reply.status, reply.body, { ...ids, ...limitHeaders, ...reply.headers });
      return log(reply.status);
    }
    throw new ArmError(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
  } catch (e) {
    if (!isArmError(e)) throw e;
    sendArmError(res, e, ids);
    log(e.status, e.code === "SubscriptionRequestsThrottled" || e.code === "TooManyRequests" ? "throttled" : undefined);
  }
}

type GatewayHandle = (req: IncomingMessage, res: ServerResponse, cluster: string, subPath: string) => Promise<void>;
type PlainHandle = (req: IncomingMessage, res: ServerResponse, subPath: string) => Promise<void>;

async function mountComponent(
  deps: FrontDoorDeps,
  name: "gateway" | "keyvault",
  res: ServerResponse,
  call: (c: SandboxComponent) => Promise<void>,
): Promise<void> {
  const component = deps.components()[name];
  if (!component) return sendJson(res, 404, { error: { code: "NotFound", message: `The sandbox's ${name} component is not installed.` } });
  await call(component);
}

function operationKind(method: string): ArmOperationKind {
  if (method === "GET" || method === "HEAD") return "reads";
  return method === "DELETE" ? "deletes" : "writes";
}

/** Charges ARM's subscription+principal bucket (and Compute's per-VM one); throws 429 when a bucket is empty. */
function chargeBudgets(deps: FrontDoorDeps, req: ArmRequest): Headers {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(req.path)?.[1] ?? "-";
  const kind = operationKind(req.method);
  const arm = deps.throttle.takeArm(subscriptionId, req.principal, kind);
  const headers: Headers = { [`x-ms-ratelimit-remaining-subscription-${kind}`]: arm.remaining };
  if (!arm.allowed) {
    const wait = deps.realSeconds(arm.retryAfterSeconds ?? 1);
    throw new ArmError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of '${kind.slice(0, -1)}' requests for subscription '${subscriptionId}' actor '${req.principal}' exceeded. Please try again after '${wait}' seconds after additional tokens are available.`,
      undefined,
      { ...headers, "retry-after": wait },
    );
  }
  const vm = deps.updateVmTarget(req);
  if (vm) {
    const perVm = deps.throttle.takeUpdateVm(vm);
    headers["x-ms-ratelimit-remaining-resource"] = `Microsoft.Compute/UpdateVMPerVM;${perVm.remaining}`;
    if (!perVm.allowed) {
      const wait = deps.realSeconds(perVm.retryAfterSeconds ?? 1);
      throw new ArmError(
        429,
        "TooManyRequests",
        `The request is being throttled as the limit has been reached for operation type - 'Update VM' for this virtual machine. Please try again after '${wait}' seconds.`,
        undefined,
        { ...headers, "retry-after": wait },
      );
    }
  }
  return headers;
}

async function answerFault(res: ServerResponse, fault: ActiveFault, ids: Headers, log: (s: number, n?: string) => void): Promise<void> {
  if (fault.kind === "timeout") {
    log(0, "fault:timeout");
    await new Promise((r) => setTimeout(r, fault.hangMs));
    res.destroy();
    return;
  }
  const headers: Headers = { ...ids };
  if (fault.retryAfterSeconds !== null) headers["retry-after"] = fault.retryAfterSeconds;
  const code = fault.status === 429 ? "TooManyRequests" : fault.status === 503 ? "ServiceUnavailable" : "InternalServerError";
  sendArmError(res, new ArmError(fault.status, code, `Injected fault (${fault.kind}) from the sandbox.`), headers);
  log(fault.status, `fault:${fault.kind}`);
}
