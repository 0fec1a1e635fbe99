// The submit path built from its dependencies (functions/submit.ts createSubmitJob), as the HTTP routes get it
// once from the composition root: validation before anything starts, the job id from the idempotency key, one
// status read for a keyed submit and none for an unkeyed one, the clock's "now" as submittedAt, and a lost start
// race answered as a duplicate. The Durable client is the in-memory fake; test/integration/jobs/submitPaths.test.ts
// runs the same path over real HTTP on the local host.
import { describe, expect, it } from "vitest";
import { createSubmitJob, jobIdFor, type SubmitDeps } from "../../../functions/submit";
import { loadConfig } from "../../../shared/config";
import { profileCatalog } from "../../../shared/profiles";
import type { JobRunInput } from "../../../shared/workflow/jobRunInput";
import { FakeDurableClient } from "../../support/fakeDurableClient";

const NOW = "2026-03-01T08:00:00.000Z";

function setup(): { deps: SubmitDeps; client: FakeDurableClient; statusReads: string[]; profileLoads: () => number } {
  const catalog = profileCatalog();
  let loads = 0;
  const deps: SubmitDeps = {
    config: loadConfig({ JOBFLOW_TARGET: "local", JOBFLOW_EDGE_VMS: "dss-edge-01", JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake" }),
    profiles: async () => {
      loads++;
      return catalog;
    },
    clock: { now: () => new Date(NOW) },
  };
  const client = new FakeDurableClient();
  const statusReads: string[] = [];
  const getStatus = client.getStatus.bind(client);
  client.getStatus = async (id: string) => {
    statusReads.push(id);
    return getStatus(id);
  };
  return { deps, client, statusReads, profileLoads: () => loads };
}

const job = (extra: Record<string, unknown> = {}) => ({
  name: "nightly",
  cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
  steps: [{ id: "s", file: "abfss://code@jobflowlake.dfs.core.windows.net/s.py" }],
  ...extra,
});

describe("createSubmitJob", () => {
  it("starts the job orchestration with the clock's now, the effective profile and no status read when unkeyed", async () => {
    const { deps, client, statusReads, profileLoads } = setup();
    const result = await createSubmitJob(deps)(client.asClient(), JSON.stringify(job()));
    expect(result).toMatchObject({ ok: true, duplicate: false });
    expect(client.started).toHaveLength(1);
    const input = client.started[0].input as JobRunInput;
    expect(client.started[0].instanceId).toBe(input.jobId);
    expect(input.submittedAt).toBe(NOW);
    expect(input.job.name).toBe("nightly");
    expect(input.profileHash).toMatch(/\S/);
    expect(statusReads).toEqual([]);
    expect(profileLoads()).toBe(1);
  });

  it("derives the id from the idempotency key and answers a second submit as a duplicate without starting it", async () => {
    const { deps, client, statusReads } = setup();
    const submit = createSubmitJob(deps);
    const body = JSON.stringify(job({ idempotencyKey: "nightly-2026-03-01" }));
    const first = await submit(client.asClient(), body);
    const second = await submit(client.asClient(), body);
    const id = jobIdFor("nightly-2026-03-01");
    expect(first).toEqual({ ok: true, jobId: id, duplicate: false });
    expect(second).toEqual({ ok: true, jobId: id, duplicate: true });
    expect(client.started.map((s) => s.instanceId)).toEqual([id]);
    expect(statusReads).toEqual([id, id]);
  });

  it("refuses an invalid document with its problems and starts nothing", async () => {
    const { deps, client } = setup();
    const result = await createSubmitJob(deps)(client.asClient(), JSON.stringify({ name: "x", steps: [] }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((p) => typeof p.pointer === "string")).toBe(true);
    expect(client.started).toEqual([]);
  });

  it("answers a start lost to a concurrent submit of the same key as that job, not an error", async () => {
    const { deps, client } = setup();
    const id = jobIdFor("raced");
    // The status read before the start finds nothing; the start then fails because the other submit won.
    client.failNextStart = new Error("HTTP 409 Conflict");
    const getStatus = client.getStatus.bind(client);
    let reads = 0;
    client.getStatus = async (instanceId: string) => {
      if (++reads === 2) client.put({ instanceId: id, name: "jobRun", runtimeStatus: "Running" });
      return getStatus(instanceId);
    };
    const result = await createSubmitJob(deps)(client.asClient(), JSON.stringify(job({ idempotencyKey: "raced" })));
    expect(result).toEqual({ ok: true, jobId: id, duplicate: true });
  });
});
