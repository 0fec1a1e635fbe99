// Shared set-up of the reaper's unit tests (reaperRun.test.ts, and the routes' harness test/unit/http/harness.ts):
// its dependencies over the in-memory cloud fakes, and a Jobflow cluster whose job is gone (an orphan to reap).
import type { ReaperDeps } from "../../../functions/policies/reaper";
import type { FakeCloud } from "../../../shared/cloud/fake";
import type { JobflowConfig } from "../../../shared/config";

/** The reaper's dependencies over the cloud fakes (a fixed gateway login: the fakes accept any). */
export function fakeReaperDeps(cloud: FakeCloud, config: JobflowConfig): ReaperDeps {
  return {
    config,
    clock: cloud.clock,
    clusters: cloud.clusters,
    secrets: cloud.secrets,
    blobs: cloud.blobs,
    events: cloud.events,
    gatewayLogin: async () => ({ username: "admin", password: "fake-gateway-password" }),
    livyWith: (name) => cloud.livy(name),
    gatewayWith: (name) => cloud.gateway(name),
  };
}

/** Puts a Jobflow-managed cluster created 2 h ago (idle 15 min, expiring in 10 h) whose job `j-1` is gone. */
export function putOrphanCluster(cloud: FakeCloud, name: string): void {
  const at = (minutes: number): string => new Date(cloud.clock.nowMs() + minutes * 60_000).toISOString();
  cloud.clusters.put({
    name,
    createdDate: at(-125),
    tags: {
      "jobflow-managed": "true",
      "jobflow-job": "j-1",
      "jobflow-created-at": at(-120),
      "jobflow-idle-minutes": "15",
      "jobflow-expires-at": at(600),
      "jobflow-profile": "abc",
    },
  });
}
