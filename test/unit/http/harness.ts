// HTTP routes built through their factories (functions/http/routes.ts) on the in-memory fakes: the stores over the
// fake blob store, the fake clusters and clock of shared/cloud/fake, support/fakeDurableClient.ts for the Durable
// client. `call(name, request)` runs one handler with a real @azure/functions HttpRequest, as the runtime would.
// The integration tests (test/integration/jobs/*, console/*) stay the proof over real HTTP on the local host.
import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { RouteDeps } from "../../../functions/http/routeDeps";
import { API_ROUTE_SPECS, createApiRoutes, type ApiRouteName } from "../../../functions/http/routes";
import { CostStore } from "../../../functions/store/costStore";
import { EdgeStore } from "../../../functions/store/edgeStore";
import { JobStore } from "../../../functions/store/jobStore";
import { ScheduleStore } from "../../../functions/policies/scheduleStore";
import type { SubmitOptions, SubmitResult } from "../../../functions/submit";
import { createFakeCloud } from "../../../shared/cloud/fake";
import { loadConfig } from "../../../shared/config";
import { profileCatalog } from "../../../shared/profiles";
import { FakeDurableClient } from "../../support/fakeDurableClient";
import { fakeReaperDeps } from "../policies/reaperFixtures";

export const EDGE_VM = "dss-edge-01";

export interface RouteCall {
  /** The path under /api, e.g. "jobs/j1/cancel" (the route's params are matched from it). */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** `settings`: extra app settings for the configuration; `secrets`: the fake secret store's initial values. */
export function routeHarness(options: { settings?: Record<string, string>; secrets?: Record<string, string> } = {}) {
  const cloud = createFakeCloud({ edgeVms: [EDGE_VM], secrets: options.secrets });
  const config = loadConfig({
    JOBFLOW_TARGET: "local",
    JOBFLOW_EDGE_VMS: EDGE_VM,
    JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake",
    ...options.settings,
  });
  const catalog = profileCatalog();
  const submitted: { body: unknown; options?: SubmitOptions }[] = [];
  let nextSubmit: SubmitResult | undefined;
  const deps: RouteDeps = {
    config,
    clock: cloud.clock,
    jobs: new JobStore(cloud.blobs, config.containers.jobs),
    edges: new EdgeStore(cloud.blobs, config.containers.jobs),
    costs: new CostStore(cloud.blobs, config.containers.jobs),
    clusters: cloud.clusters,
    blobs: cloud.blobs,
    secrets: cloud.secrets,
    schedules: new ScheduleStore(cloud.blobs, config.containers.jobs),
    events: cloud.events,
    reaper: fakeReaperDeps(cloud, config),
    profiles: async () => catalog,
    submitJob: async (_client: DurableClient, body: unknown, options?: SubmitOptions) => {
      submitted.push({ body, ...(options ? { options } : {}) });
      const result = nextSubmit ?? { ok: true as const, jobId: `job-${submitted.length}`, duplicate: false };
      nextSubmit = undefined;
      return result;
    },
  };
  const durable = new FakeDurableClient();
  const routes = createApiRoutes(deps);

  async function call(name: ApiRouteName, request: RouteCall): Promise<RouteAnswer> {
    const spec = API_ROUTE_SPECS[name];
    const params = matchParams(spec.route, request.path);
    if (!params) throw new Error(`path '${request.path}' does not match route '${spec.route}' of ${name}`);
    const url = new URL(`https://jobflow.test/api/${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const body = request.body === undefined ? undefined : typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    const req = new HttpRequest({
      method: spec.methods[0],
      url: url.toString(),
      params,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(body !== undefined ? { body: { string: body } } : {}),
    });
    const response: HttpResponseInit = await routes[name](req, durable.asClient(), new InvocationContext());
    const text = typeof response.body === "string" ? response.body : "";
    const headers = (response.headers ?? {}) as Record<string, string>;
    const json = /json/.test(headers["content-type"] ?? "") && text ? (JSON.parse(text) as unknown) : text;
    return { status: response.status ?? 200, headers, body: json };
  }

  return {
    cloud,
    config,
    deps,
    durable,
    call,
    submitted,
    /** The next submitJob answers this (once). */
    answerNextSubmit: (result: SubmitResult) => void (nextSubmit = result),
  };
}

function matchParams(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/");
  const have = path.split("/");
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const param = /^\{(\w+)\}$/.exec(want[i] as string);
    if (param) params[param[1] as string] = decodeURIComponent(have[i] as string);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}
