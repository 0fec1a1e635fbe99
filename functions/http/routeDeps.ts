// What the HTTP routes are built from (createApiRoutes and friends, routes.ts): the stores and cloud clients they
// read, the clock, the configuration and the submit path. Production passes the composition root's services once
// (register.ts, routeDepsFrom(services())); unit tests pass stores over the in-memory fakes of shared/cloud/fake/
// (test/unit/http/harness.ts). Route handlers never call services() nor read a global clock: what they use arrives
// here, and the Durable client of the invocation arrives as an argument.
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { Clock } from "../../shared/clock";
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { EventPublisher } from "../../shared/cloud/events";
import type { HDInsightClusters } from "../../shared/cloud/clusters";
import type { JobflowConfig } from "../../shared/config";
import type { ProfileCatalog } from "../../shared/profiles";
import type { Services } from "../runtime/services";
import type { CostStore } from "../store/costStore";
import type { EdgeStore } from "../store/edgeStore";
import type { JobStore } from "../store/jobStore";
import type { ScheduleStore } from "../policies/scheduleStore";
import type { ReaperDeps } from "../policies/reaper";
import { reaperDepsFrom } from "../policies/reaperDeps";
import { createSubmitJob, type SubmitOptions, type SubmitResult } from "../submit";

export interface RouteDeps {
  config: JobflowConfig;
  /** "Now" for cancel requests, repairs, edge operation ids, the cost report's period and template built-ins. */
  clock: Clock;
  jobs: JobStore;
  edges: EdgeStore;
  /** Cluster ledgers and the price book (the cost read side, store/costReader.ts). */
  costs: CostStore;
  clusters: HDInsightClusters;
  blobs: JobflowBlobStore;
  /** Signed requests' caller secrets (compute leases, functions/policies/signedRequests.ts). */
  secrets: SecretStore;
  /** Schedule records (functions/policies/scheduleStore.ts). */
  schedules: ScheduleStore;
  /** Where the schedule routes publish their events (jobflow.schedule.*). */
  events: EventPublisher;
  /** What a reaper run reads and acts with (POST /reaper/run, GET /reaper/decisions; policies/reaper.ts). */
  reaper: ReaperDeps;
  /** The profile catalog (loaded once). */
  profiles(): Promise<ProfileCatalog>;
  /** The POST /jobs path (functions/submit.ts). */
  submitJob(client: DurableClient, body: unknown, options?: SubmitOptions): Promise<SubmitResult>;
}

/** An HTTP handler: the request, the invocation's Durable client, the invocation context. */
export type RouteHandler = (request: HttpRequest, client: DurableClient, context: InvocationContext) => Promise<HttpResponseInit>;

/** Where a route is served: its template under /api and its methods. */
export interface RouteSpec {
  route: string;
  methods: HttpMethod[];
}

/** Production dependencies from the composition root; the cloud clients stay lazy (built on first use). */
export function routeDepsFrom(s: Services): RouteDeps {
  // Read at each use: the embedded runtime registers its virtual clock at start (Services.clock is a getter).
  const clock: Clock = {
    nowMs: () => s.clock.nowMs(),
    now: () => s.clock.now(),
    sleep: (durationInMs, options) => s.clock.sleep(durationInMs, options),
  };
  return {
    config: s.config,
    clock,
    jobs: s.jobs,
    edges: s.edges,
    costs: s.costs,
    get clusters() {
      return s.cloud.clusters;
    },
    get blobs() {
      return s.cloud.blobs;
    },
    get secrets() {
      return s.cloud.secrets;
    },
    get schedules() {
      return s.schedules;
    },
    get events() {
      return s.cloud.events;
    },
    get reaper() {
      return reaperDepsFrom(s);
    },
    profiles: s.profiles,
    submitJob: createSubmitJob({ config: s.config, profiles: s.profiles, clock }),
  };
}
