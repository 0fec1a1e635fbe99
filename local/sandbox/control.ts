// The control API under /_sandbox/ (bearer-protected like ARM): clock, scenario settings, fault injection,
// throttling switch, request log, reset, cluster faults, VM inspection/faults; /_sandbox/gateway/… and
// /_sandbox/keyvault/… are delegated to those components' own control handlers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { VirtualClock } from "../clock/virtualClock";
import type { ArmReply, ScenarioSettings } from "./armTypes";
import { ArmError } from "./http";
import type { FaultSpec, FaultTable } from "./faults";
import type { RequestLog } from "./requestLog";
import type { ThrottlingOptions, TokenBuckets } from "./throttling";
import type { ClusterStore } from "./hdinsight/clusterStore";
import type { SandboxComponent } from "./contracts";
import { isObject } from "./hdinsight/validate";

export interface ControlDeps {
  clock: VirtualClock;
  settings: ScenarioSettings;
  saveSettings(): void;
  faults: FaultTable;
  throttle: TokenBuckets;
  log: RequestLog;
  clusters: ClusterStore;
  /** Handles /_sandbox/vms/…; undefined when the path is not a VM one. */
  vmControl(method: string, subPath: string, query: URLSearchParams, body: unknown): Promise<ArmReply | undefined>;
  reset(): Promise<void>;
  components(): { gateway?: SandboxComponent; keyvault?: SandboxComponent };
}

export function createControlHandler(deps: ControlDeps) {
  return async (req: IncomingMessage, res: ServerResponse, subPath: string, body: unknown): Promise<ArmReply | "handled"> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const [head, ...rest] = subPath.split("/");
    const tail = rest.join("/");
    switch (head) {
      case "gateway":
      case "keyvault": {
        const component = deps.components()[head];
        if (!component) throw new ArmError(404, "NotFound", `The sandbox's ${head} component is not installed.`);
        await component.control(req, res, `/${tail}${url.search}`, body);
        return "handled";
      }
      case "clock":
        return clock(deps, method, body);
      case "settings":
        return settings(deps, method, body);
      case "faults":
        return faults(deps, method, body);
      case "throttling":
        if (method === "POST" || method === "PUT") deps.throttle.configure(asObject(body) as ThrottlingOptions);
        return { status: 200, body: deps.throttle.describe() };
      case "requests":
        if (method === "DELETE") {
          deps.log.clear();
          return { status: 204 };
        }
        return {
          status: 200,
          body: {
            value: deps.log.list({
              sinceSeq: Number(url.searchParams.get("since") ?? 0),
              component: url.searchParams.get("component") ?? undefined,
            }),
          },
        };
      case "reset":
        requireMethod(method, "POST");
        await deps.reset();
        return { status: 204 };
      case "clusters":
        return clusterFault(deps, method, rest, body);
      case "vms": {
        const reply = await deps.vmControl(method, tail, url.searchParams, body);
        if (reply) return reply;
        break;
      }
    }
    throw new ArmError(404, "NotFound", `Unknown control endpoint '/_sandbox/${subPath}'.`);
  };
}

async function clock(deps: ControlDeps, method: string, body: unknown): Promise<ArmReply> {
  if (method === "POST") {
    if (deps.clock.mode !== "manual")
      throw new ArmError(409, "Conflict", "The sandbox clock is scaled; it can only be advanced in manual mode.");
    const b = asObject(body);
    if (typeof b.advanceByMs === "number") await deps.clock.advanceBy(b.advanceByMs);
    else if (typeof b.toMs === "number") await deps.clock.advanceTo(b.toMs);
    else if (b.toNextTimer === true) await deps.clock.jumpToNextTimer();
    else throw new ArmError(400, "InvalidRequestContent", "Send { advanceByMs } or { toMs } or { toNextTimer: true }.");
  }
  const nowMs = deps.clock.nowMs();
  return {
    status: 200,
    body: {
      nowMs,
      now: new Date(nowMs).toISOString(),
      mode: deps.clock.mode,
      speed: deps.clock.speed,
      nextTimerAtMs: deps.clock.nextTimerAtMs() ?? null,
    },
  };
}

function settings(deps: ControlDeps, method: string, body: unknown): ArmReply {
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    const b = asObject(body);
    for (const key of ["provisioningDurationMs", "deleteDurationMs", "pageSize", "lroRetryAfterSeconds"] as const) {
      if (b[key] === undefined) continue;
      const v = b[key];
      if (typeof v !== "number" || !(v >= 0) || (key === "pageSize" && v < 1))
        throw new ArmError(400, "InvalidRequestContent", `${key} must be a non-negative number.`);
      deps.settings[key] = v;
    }
    if (typeof b.defaultLocation === "string") deps.settings.defaultLocation = b.defaultLocation;
    deps.saveSettings();
  }
  return { status: 200, body: deps.settings };
}

function faults(deps: ControlDeps, method: string, body: unknown): ArmReply {
  if (method === "DELETE") {
    deps.faults.clear();
    return { status: 204 };
  }
  if (method === "POST") {
    try {
      return { status: 201, body: deps.faults.add(asObject(body) as unknown as FaultSpec) };
    } catch (e) {
      throw new ArmError(400, "InvalidRequestContent", (e as Error).message);
    }
  }
  return { status: 200, body: { value: deps.faults.list() } };
}

/** POST /_sandbox/clusters/{name}/fail {code?, message?} · POST /_sandbox/clusters/{name}/vanish */
function clusterFault(deps: ControlDeps, method: string, rest: string[], body: unknown): ArmReply {
  requireMethod(method, "POST");
  const [name, action] = rest;
  if (!name || (action !== "fail" && action !== "vanish"))
    throw new ArmError(404, "NotFound", "Use /_sandbox/clusters/{name}/fail or /vanish.");
  const c = deps.clusters.findByName(name);
  if (action === "vanish") {
    if (!c) throw new ArmError(404, "ResourceNotFound", `No cluster named '${name}'.`);
    deps.clusters.vanish(c);
    return { status: 204 };
  }
  const b = asObject(body);
  const failure = {
    code: typeof b.code === "string" ? b.code : "InternalServerError",
    message:
      typeof b.message === "string" ? b.message : "Cluster provisioning failed: an internal error occurred (injected by the sandbox).",
  };
  if (c && deps.clusters.statusOf(c).provisioningState === "InProgress") {
    c.timeline.failAtMs = deps.clock.nowMs();
    c.timeline.failure = failure;
    deps.clusters.changed(c);
    return { status: 200, body: { applied: "now" } };
  }
  // Not created yet (or already past provisioning): fail its next create.
  deps.clusters.pendingFailures[name.toLowerCase()] = failure;
  deps.clusters.save();
  return { status: 202, body: { applied: "nextCreate" } };
}

function requireMethod(method: string, expected: string): void {
  if (method !== expected) throw new ArmError(405, "MethodNotAllowed", `Use ${expected}.`);
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isObject(body)) throw new ArmError(400, "InvalidRequestContent", "A JSON object body is required.");
  return body;
}
