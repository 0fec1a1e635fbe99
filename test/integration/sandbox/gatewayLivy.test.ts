// Livy 0.7 batches through the sandbox gateway, spoken over real HTTPS with basic auth, on the virtual clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runningCluster, startGatewayHarness, type GatewayHarness, type HarnessResponse } from "../../support/gatewayHarness";

const auth = { username: "admin", password: "Sandbox-Pa55word!" };
const csrf = { "x-requested-by": "jobflow", "content-type": "application/json" };
const clusterStartMs = Date.parse("2026-11-21T09:40:00Z");

interface BatchBody {
  id: number;
  name: string | null;
  state: string;
  appId: string | null;
  appInfo: { driverLogUrl: string | null; sparkUiUrl: string | null };
  log: string[];
}

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.gateway.reset();
  h.clusters.clear();
  h.clusters.set("jf-sales", runningCluster("jf-sales", clusterStartMs));
});

function submit(body: unknown, cluster = "jf-sales"): Promise<HarnessResponse> {
  return h.request("POST", `/gateway/${cluster}/livy/batches`, { basic: auth, headers: csrf, body: JSON.stringify(body) });
}
function get(path: string, cluster = "jf-sales"): Promise<HarnessResponse> {
  return h.request("GET", `/gateway/${cluster}${path}`, { basic: auth });
}
async function state(id: number): Promise<string> {
  return (await get(`/livy/batches/${id}/state`)).json<{ state: string }>().state;
}
async function control(method: string, path: string, body?: unknown): Promise<HarnessResponse> {
  return h.request(method, `/_sandbox/gateway${path}`, body === undefined ? {} : { body: JSON.stringify(body) });
}

describe("gateway authentication and availability", () => {
  it("refuses requests without or with wrong basic credentials, with a Basic challenge", async () => {
    const none = await h.request("GET", "/gateway/jf-sales/livy/batches");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Basic /);
    const wrong = await h.request("GET", "/gateway/jf-sales/livy/batches", { basic: { username: "admin", password: "nope" } });
    expect(wrong.status).toBe(401);
  });

  it("answers 404 for an unknown cluster and 502 while a cluster is not running", async () => {
    expect((await get("/livy/batches", "jf-none")).status).toBe(404);
    h.clusters.set("jf-new", { ...runningCluster("jf-new", clusterStartMs), state: "provisioning" });
    expect((await get("/livy/batches", "jf-new")).status).toBe(502);
  });

  it("injects gateway 502s for the next N requests to one cluster, then recovers", async () => {
    expect((await control("POST", "/faults", { kind: "gateway502", cluster: "jf-sales", count: 2 })).status).toBe(201);
    expect((await get("/livy/batches")).status).toBe(502);
    expect((await get("/livy/batches")).status).toBe(502);
    expect((await get("/livy/batches")).status).toBe(200);
  });

  it("injects Livy 500s without creating a batch", async () => {
    await control("POST", "/faults", { kind: "livy500", count: 1 });
    expect((await submit({ file: "abfss://code@acct.dfs.core.windows.net/a.py" })).status).toBe(500);
    expect((await get("/livy/batches")).json<{ total: number }>().total).toBe(0);
  });
});

describe("Livy POST /batches validation", () => {
  it("requires X-Requested-By on POST and DELETE (Livy's CSRF filter)", async () => {
    const post = await h.request("POST", "/gateway/jf-sales/livy/batches", {
      basic: auth,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file: "abfss://c@a.dfs.core.windows.net/x.py" }),
    });
    expect(post.status).toBe(400);
    expect(post.text()).toContain("Missing Required Header for CSRF protection.");
    const id = (await submit({ file: "abfss://c@a.dfs.core.windows.net/x.py" })).json<BatchBody>().id;
    const del = await h.request("DELETE", `/gateway/jf-sales/livy/batches/${id}`, { basic: auth });
    expect(del.status).toBe(400);
    expect(await state(id)).toBe("starting");
  });

  it("refuses bodies Livy would refuse", async () => {
    const cases: Array<[unknown, string]> = [
      [{ className: "a.B" }, "File is required."],
      [{ file: "x.py", args: "--date 2026" }, 'Field "args" must be a list of strings.'],
      [{ file: "x.py", numExecutors: "4" }, 'Field "numExecutors" must be an int.'],
      [{ file: "x.py", env: { A: "1" } }, 'Unrecognized field "env"'],
      [{ file: "x.py", conf: { "spark.jobflow.sandbox.outcome": "maybe" } }, "spark.jobflow.sandbox.outcome"],
    ];
    for (const [body, message] of cases) {
      const res = await submit(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json<{ msg: string }>().msg).toContain(message);
    }
    expect((await get("/livy/batches")).json<{ total: number }>().total).toBe(0);
  });
});

describe("Livy batch lifecycle on the virtual clock", () => {
  it("follows a batch from starting through running to success", async () => {
    const res = await submit({ file: "abfss://code@acct.dfs.core.windows.net/ingest.py", name: "ingest", args: ["--date", "2026-11-21"] });
    expect(res.status).toBe(201);
    const created = res.json<BatchBody>();
    expect(res.headers.location).toBe(`/batches/${created.id}`);
    expect(created).toMatchObject({
      id: 0,
      name: "ingest",
      state: "starting",
      appId: null,
      appInfo: { driverLogUrl: null, sparkUiUrl: null },
    });
    expect(created.log[0]).toBe("stdout: ");

    await h.clock.advanceBy(11_000);
    const running = (await get(`/livy/batches/${created.id}`)).json<BatchBody>();
    expect(running.state).toBe("running");
    expect(running.appId).toBe(`application_${clusterStartMs}_0001`);
    expect(running.appInfo.sparkUiUrl).toContain(running.appId);

    await h.clock.advanceBy(110_000);
    expect(await state(created.id)).toBe("success");
    const log = (await get(`/livy/batches/${created.id}/log?from=0&size=-1`)).json<{ log: string[] }>().log;
    expect(log.filter((l) => l.startsWith("sandbox: "))).toHaveLength(20);
    expect(log).toContain("\nstderr: ");
    expect(log.some((l) => l.includes("final status: SUCCEEDED"))).toBe(true);
    expect(log.some((l) => l.includes("ingest.py --date 2026-11-21"))).toBe(true);
  });

  it("ends in dead when the batch's conf says so, with the failure in the log", async () => {
    const id = (
      await submit({
        file: "abfss://code@acct.dfs.core.windows.net/fail.py",
        conf: {
          "spark.jobflow.sandbox.outcome": "dead",
          "spark.jobflow.sandbox.durationSeconds": "30",
          "spark.jobflow.sandbox.logLines": "3",
        },
      })
    ).json<BatchBody>().id;
    await h.clock.advanceBy(29_000);
    expect(await state(id)).toBe("running");
    await h.clock.advanceBy(1_000);
    expect(await state(id)).toBe("dead");
    const log = (await get(`/livy/batches/${id}/log?size=-1`)).json<{ log: string[] }>().log;
    expect(log.filter((l) => l.startsWith("sandbox: "))).toHaveLength(3);
    expect(log.at(-1)).toBe("User application exited with status 1");
  });

  it("scripts outcomes by file-name rules and by one-shot outcome faults", async () => {
    await control("PUT", "/scenario", { rules: [{ filePattern: "broken", outcome: "dead", durationSeconds: 20 }] });
    await control("POST", "/faults", { kind: "batchOutcome", outcome: "dead", filePattern: "once\\.py$" });
    const broken = (await submit({ file: "abfss://c@a.dfs.core.windows.net/broken.py" })).json<BatchBody>().id;
    const once = (await submit({ file: "abfss://c@a.dfs.core.windows.net/once.py" })).json<BatchBody>().id;
    const again = (await submit({ file: "abfss://c@a.dfs.core.windows.net/once.py" })).json<BatchBody>().id;
    await h.clock.advanceBy(20_000);
    expect(await state(broken)).toBe("dead");
    await h.clock.advanceBy(100_000);
    expect(await state(once)).toBe("dead");
    expect(await state(again)).toBe("success");
  });

  it("pages the log with from/size like Livy, and the log grows while the batch runs", async () => {
    const id = (
      await submit({ file: "abfss://c@a.dfs.core.windows.net/x.py", conf: { "spark.jobflow.sandbox.logLines": "40" } })
    ).json<BatchBody>().id;
    await h.clock.advanceBy(30_000);
    const early = (await get(`/livy/batches/${id}/log`)).json<{ total: number }>().total;
    await h.clock.advanceBy(60_000);
    const later = (await get(`/livy/batches/${id}/log`)).json<{ id: number; from: number; total: number; log: string[] }>();
    expect(later.total).toBeGreaterThan(early);
    // No `from`: the tail of `size` (default 100) lines, starting at 0 when the log is shorter.
    expect(later).toMatchObject({ id, from: 0 });
    const tail = (await get(`/livy/batches/${id}/log?size=5`)).json<{ from: number; log: string[] }>();
    expect(tail.from).toBe(later.total - 5);
    expect(tail.log).toEqual(later.log.slice(-5));
    const page = (await get(`/livy/batches/${id}/log?from=2&size=3`)).json<{ from: number; log: string[] }>();
    expect(page).toMatchObject({ from: 2, log: later.log.slice(2, 5) });
    const batch = (await get(`/livy/batches/${id}`)).json<BatchBody>();
    expect(batch.log).toEqual(later.log.slice(-10));
  });

  it("DELETE kills a running batch: Livy forgets it, YARN reports it KILLED", async () => {
    const id = (await submit({ file: "abfss://c@a.dfs.core.windows.net/long.py" })).json<BatchBody>().id;
    await h.clock.advanceBy(20_000);
    const del = await h.request("DELETE", `/gateway/jf-sales/livy/batches/${id}`, { basic: auth, headers: csrf });
    expect(del.status).toBe(200);
    expect(del.json()).toEqual({ msg: "deleted" });
    expect((await get(`/livy/batches/${id}`)).status).toBe(404);
    const inspected = (await control("GET", "/batches?cluster=jf-sales")).json<{ batches: Array<{ id: number; state: string }> }>();
    expect(inspected.batches.find((b) => b.id === id)?.state).toBe("killed");
    const apps = (await get("/yarnui/ws/v1/cluster/apps?states=KILLED")).json<{ apps: { app: Array<{ finalStatus: string }> } }>();
    expect(apps.apps.app.map((a) => a.finalStatus)).toEqual(["KILLED"]);
  });

  it("forgets finished batches after the retention time (404), and lists only what it remembers", async () => {
    const done = (
      await submit({ file: "abfss://c@a.dfs.core.windows.net/a.py", conf: { "spark.jobflow.sandbox.durationSeconds": "60" } })
    ).json<BatchBody>().id;
    await h.clock.advanceBy(60_000 + 599_000);
    const late = (await submit({ file: "abfss://c@a.dfs.core.windows.net/b.py" })).json<BatchBody>().id;
    expect(await state(done)).toBe("success");
    expect((await get("/livy/batches")).json<{ total: number }>().total).toBe(2);
    await h.clock.advanceBy(1_000);
    expect((await get(`/livy/batches/${done}`)).status).toBe(404);
    const list = (await get("/livy/batches")).json<{ from: number; total: number; sessions: BatchBody[] }>();
    expect(list).toMatchObject({ from: 0, total: 1 });
    expect(list.sessions.map((s) => s.id)).toEqual([late]);
  });

  it("lists with from/size paging and keeps ids per cluster", async () => {
    for (let i = 0; i < 3; i++) await submit({ file: `abfss://c@a.dfs.core.windows.net/${i}.py` });
    const page = (await get("/livy/batches?from=1&size=1")).json<{ from: number; total: number; sessions: BatchBody[] }>();
    expect(page).toMatchObject({ from: 1, total: 3 });
    expect(page.sessions.map((s) => s.id)).toEqual([1]);
    h.clusters.set("jf-other", runningCluster("jf-other", clusterStartMs));
    expect((await submit({ file: "abfss://c@a.dfs.core.windows.net/o.py" }, "jf-other")).json<BatchBody>().id).toBe(0);
  });
});

describe("gateway control and persistence", () => {
  it("stores conf secrets as sent but reveals them only on ?reveal=true", async () => {
    await submit({
      file: "abfss://c@a.dfs.core.windows.net/s3.py",
      conf: { "spark.hadoop.fs.s3a.access.key": "AKIASANDBOX", "spark.hadoop.fs.s3a.secret.key": "s3cr3t", "spark.executor.memory": "4g" },
    });
    type Inspect = { batches: Array<{ request: { conf: Record<string, string> } }> };
    const redacted = (await control("GET", "/batches")).json<Inspect>().batches[0]?.request.conf;
    expect(redacted).toEqual({
      "spark.hadoop.fs.s3a.access.key": "***",
      "spark.hadoop.fs.s3a.secret.key": "***",
      "spark.executor.memory": "4g",
    });
    const revealed = (await control("GET", "/batches?reveal=true")).json<Inspect>().batches[0]?.request.conf;
    expect(revealed?.["spark.hadoop.fs.s3a.secret.key"]).toBe("s3cr3t");
  });

  it("keeps batches across a restart and computes their state from time", async () => {
    const id = (await submit({ file: "abfss://c@a.dfs.core.windows.net/r.py" })).json<BatchBody>().id;
    await h.restart();
    await h.clock.advanceBy(200_000);
    expect(await state(id)).toBe("success");
  });

  it("forgets a deleted cluster's batches, and logs requests without their query strings", async () => {
    const id = (await submit({ file: "abfss://c@a.dfs.core.windows.net/r.py" })).json<BatchBody>().id;
    await get(`/livy/batches/${id}/log?from=0&size=1`);
    expect(h.requestLog.at(-1)).toEqual({
      method: "GET",
      path: `/gateway/jf-sales/livy/batches/${id}/log`,
      status: 200,
      component: "gateway",
    });
    h.gateway.onClusterDeleted("jf-sales");
    expect((await get(`/livy/batches/${id}`)).status).toBe(404);
  });
});
