// Activities built through the factory (functions/activities/createActivities.ts) on the in-memory cloud fakes
// (shared/cloud/fake): `call(name, input)` runs one handler as the Functions runtime would, typed by its contract.
import type { DurableClient } from "durable-functions";
import { createActivities } from "../../../functions/activities/createActivities";
import type { ActivityDeps } from "../../../functions/activities/activityDeps";
import { namedProfile } from "../../../functions/runtime/services";
import type { SubmitOptions, SubmitResult } from "../../../functions/submit";
import { createFakeCloud } from "../../../shared/cloud/fake";
import { loadConfig } from "../../../shared/config";
import { profileCatalog } from "../../../shared/profiles";
import type { ActivityInput, ActivityName, ActivityReturn } from "../../../shared/workflow/activityContracts";
import { FakeDurableClient } from "../../support/fakeDurableClient";
import type { JobRecord } from "../../../shared/workflow/jobRecord";

export const GATEWAY_PASSWORD = "Gw-Canary-Passw0rd!";
export const SSH_PASSWORD = "Ssh-Canary-Passw0rd!";
export const S3_SECRET_KEY = "S3-Canary-SecretKey/abc+123";
export const EDGE_VM = "dss-edge-01";

export function activityHarness(env: Record<string, string> = {}) {
  const cloud = createFakeCloud({
    edgeVms: [EDGE_VM],
    secrets: {
      "cluster-gateway-password": GATEWAY_PASSWORD,
      "cluster-ssh-password": SSH_PASSWORD,
      "s3-readonly": JSON.stringify({ accessKey: "AKIACANARY", secretKey: S3_SECRET_KEY }),
      "jobflow-notify": "notify-canary-hmac-secret",
    },
  });
  const config = loadConfig({ JOBFLOW_TARGET: "local", JOBFLOW_EDGE_VMS: EDGE_VM, JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake", ...env });
  const catalog = profileCatalog();
  const submitted: { body: unknown; options?: SubmitOptions }[] = [];
  let nextSubmit: SubmitResult | undefined;
  /** Reads of the profile catalog by the activities (a job's profile is resolved once, at submit). */
  const profileReads: string[] = [];
  const deps: ActivityDeps = {
    config,
    clock: cloud.clock,
    clusters: cloud.clusters,
    runCommands: cloud.runCommands,
    blobs: cloud.blobs,
    secrets: cloud.secrets,
    events: cloud.events,
    retailPrices: cloud.retailPrices,
    livy: async (clusterName) => cloud.livy(clusterName),
    gateway: async (clusterName) => cloud.gateway(clusterName),
    profiles: async () => (profileReads.push("catalog"), catalog),
    profile: async (name) => (profileReads.push(name), namedProfile(catalog, name, config)),
    submitJob: async (_client: DurableClient, body: unknown, options?: SubmitOptions) => {
      submitted.push({ body, ...(options ? { options } : {}) });
      const result = nextSubmit ?? { ok: true as const, jobId: `job-${submitted.length}`, duplicate: false };
      nextSubmit = undefined;
      return result as SubmitResult;
    },
  };
  const durable = new FakeDurableClient();
  const activities = createActivities(deps);
  const call = <N extends ActivityName>(name: N, input: ActivityInput<N>): Promise<ActivityReturn<N>> =>
    activities[name](input, { durableClient: () => durable.asClient() });
  return {
    cloud,
    config,
    deps,
    durable,
    call,
    submitted,
    profileReads,
    /** The next submitJob answers this (once). */
    answerNextSubmit: (result: SubmitResult) => void (nextSubmit = result),
  };
}

/** A minimal job record ("nightly", job-1, no steps) for the activities that save or read one. */
export function testJobRecord(state: JobRecord["state"] = "succeeded"): JobRecord {
  return {
    id: "job-1",
    name: "nightly",
    state,
    submittedAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    source: "jobflow",
    cluster: { profile: "default", reuse: "never" },
    edges: [],
    steps: [],
    tags: {},
  };
}
