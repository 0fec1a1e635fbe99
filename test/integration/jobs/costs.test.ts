// Cost truth end to end on the embedded stack: the cluster orchestration writes its ledger, job records carry their
// ledger-based share (final once the cluster is gone), the shares + the pool's idle time reconcile with the
// cluster's bill, prices come from the sandbox's Retail Prices API, and GET /api/costs groups the same figures.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import type { ClusterCost } from "../../../shared/cost/billing";
import type { JobCost } from "../../../shared/cost/jobShare";
import type { CostReport } from "../../../shared/cost/report";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { createBlobStore } from "../../../shared/cloud/azure/blobStore";
import type { ClusterTimingSamples } from "../../../shared/cost/clusterTimings";
import { clusterTimingsBlob } from "../../../functions/store/clusterTimings";
import { clusters, expectNoClustersLeft, finish, jobDoc, record, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const warm = { profile: "default", reuse: "warm", keepWarmMinutes: 10 };
const micros = (x: number): number => Math.round(x * 1e6);

describe("ledger-based cost of a warm cluster shared by three jobs", () => {
  it("job shares + pool idle = cluster bill; the report groups the same figures", async () => {
    const a = await stack.submit(jobDoc("cost-a", [{ id: "s", seconds: 900 }], { cluster: warm, tags: { team: "red" } }));
    await stack.runUntil(async () => (await clusters(stack)).length === 1, { what: "cluster requested" });
    const b = await stack.submit(jobDoc("cost-b", [{ id: "s", seconds: 300 }], { cluster: warm, tags: { team: "blue" } }));
    const [ra, rb] = [await finish(stack, a), await finish(stack, b)];
    const name = ra.cluster.name as string;
    expect(rb.cluster.name).toBe(name);

    // While the cluster lives, the creator carries the provisioning; the record says the figure is not final.
    const live = (await record(stack, a)).estimatedCost as JobCost;
    expect(live.final).toBe(false);
    expect(live.overhead.amount).toBeGreaterThan(0);
    expect(((await record(stack, b)).estimatedCost as JobCost).overhead.amount).toBe(0);
    const row = (await clusters(stack)).find((c) => c.name === name) as unknown as { cost: ClusterCost };
    expect(row.cost.priceSource).toBe("retail-prices-api");
    expect(row.cost.final).toBe(false);

    const c = await stack.submit(jobDoc("cost-c", [{ id: "s", seconds: 120 }], { cluster: warm, tags: { team: "red" } }));
    const rc = await finish(stack, c);
    expect(rc.cluster.name).toBe(name);
    expect(rc.cluster.acquisition).toBe("joined");
    await expectNoClustersLeft(stack);
    // The orchestration records the deletion when its poll sees the 404: from then on the figures are final.
    await stack.runUntil(async () => ((await record(stack, a)).estimatedCost as JobCost).final, { what: "ledger closed" });

    // The cluster's create and delete durations joined its profile's timing samples (lead times, break-even). The
    // orchestration writes the samples alongside the closing ledger (one Task.all), so either may land first.
    const blobs = createBlobStore({ connectionString: stack.azurite.connectionString });
    const readTimings = async (): Promise<ClusterTimingSamples | undefined> => {
      const stats = await blobs.list("jobs", "stats/cluster-timings/");
      expect(stats).toHaveLength(1);
      expect(stats[0].name).toMatch(new RegExp(`^${clusterTimingsBlob("[0-9a-f]+")}$`));
      return (await blobs.getJson<ClusterTimingSamples>("jobs", stats[0].name))?.value;
    };
    await stack.runUntil(async () => ((await readTimings())?.deletion.length ?? 0) > 0, { what: "deletion timing recorded" });
    const timings = await readTimings();
    expect(timings?.provisioning.map((t) => t.clusterName)).toEqual([name]);
    expect(timings?.provisioning[0].ms).toBeGreaterThanOrEqual(15 * 60_000); // the sandbox's ~20-minute create
    expect(timings?.deletion.map((t) => t.clusterName)).toEqual([name]);
    expect(timings?.deletion[0].ms).toBeGreaterThan(0);

    const shares = await Promise.all([a, b, c].map(async (id) => (await record(stack, id)).estimatedCost as JobCost));
    for (const s of shares) {
      expect(s.final).toBe(true);
      expect(s.priceSource).toBe("retail-prices-api");
      expect(s.basis).toMatch(/split evenly/);
    }
    const bill = shares[0].cluster;
    // The job list shows the same shares (one ledger read per cluster for the page).
    const listed = ((await (await stack.api("/jobs")).json()) as { jobs: { id: string; estimatedCost?: JobCost }[] }).jobs;
    [a, b, c].forEach((id, i) => expect(listed.find((j) => j.id === id)?.estimatedCost?.amount).toBe(shares[i].amount));
    // HDInsight bills from create accepted to deletion completed: ~20 min provisioning + runs + 10 min idle + delete.
    expect(bill.billedMinutes).toBeGreaterThan(20 + 15 + 10);
    expect(micros(shares.reduce((x, s) => x + s.amount, 0)) + micros(bill.poolIdleAmount)).toBe(micros(bill.amount));
    // Provisioning and teardown are each split among the three users once the cluster is gone (±1 micro-unit each).
    const overheads = shares.map((s) => micros(s.overhead.amount));
    expect(Math.max(...overheads) - Math.min(...overheads)).toBeLessThanOrEqual(2);
    expect(bill.poolIdleAmount).toBeGreaterThan(0);
    // The prices came through the real client path: the sandbox's Retail Prices endpoint was called.
    expect(stack.sandbox.control.requests({ component: "prices" }).length).toBeGreaterThan(0);

    const report = async (q: string): Promise<CostReport> => {
      const res = await stack.api(`/costs?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as CostReport;
    };
    const byJob = await report("groupBy=job&from=2026-01-01");
    const byId = Object.fromEntries(byJob.groups.map((g) => [g.key, g]));
    [a, b, c].forEach((id, i) => expect(micros(byId[id].amount)).toBe(micros(shares[i].amount)));
    expect(micros(byId["(idle pool: default)"].idleAmount)).toBe(micros(bill.poolIdleAmount));
    expect(micros(byJob.totals.amount)).toBe(micros(bill.amount));
    expect(byJob.prices[0].source).toBe("retail-prices-api");

    const byTeam = await report("groupBy=tag:team&from=2026-01-01");
    const team = Object.fromEntries(byTeam.groups.map((g) => [g.key, g]));
    expect(micros(team.blue.amount)).toBe(micros(shares[1].amount));
    // Idle goes by the cluster's tags (its creator's, as Azure Cost Management sees them): red.
    expect(micros(team.red.amount)).toBe(micros(shares[0].amount) + micros(shares[2].amount) + micros(bill.poolIdleAmount));
    const byProfile = await report("groupBy=profile&from=2026-01-01");
    expect(byProfile.groups.map((g) => g.key)).toEqual(["default"]);
    expect(micros(byProfile.groups[0].idleAmount)).toBe(micros(bill.poolIdleAmount));
    const byDay = await report("groupBy=day&from=2026-01-01");
    expect(micros(byDay.totals.amount)).toBe(micros(bill.amount));

    // The CLI prints the same report: `jobflow costs --by team` (team = tag:team) and --json.
    const env = { JOBFLOW_URL: stack.host.url, JOBFLOW_KEY: stack.functionKey };
    const out = memoryOutput();
    expect(await main(["costs", "--by", "team", "--from", "2026-01-01"], out, env)).toBe(0);
    expect(out.stdout[0]).toMatch(/by tag:team \(USD\)/);
    expect(out.stdout.find((l) => l.startsWith("blue"))).toContain(team.blue.amount.toFixed(2));
    expect(out.stdout.find((l) => l.startsWith("TOTAL"))).toContain(byTeam.totals.amount.toFixed(2));
    expect(out.stdout.some((l) => /Azure Retail Prices API/.test(l))).toBe(true);
    const jsonOut = memoryOutput();
    expect(await main(["costs", "--by", "day", "--json", "--from", "2026-01-01"], jsonOut, env)).toBe(0);
    expect(micros((JSON.parse(jsonOut.stdout.join("\n")) as CostReport).totals.amount)).toBe(micros(bill.amount));
    const bad = memoryOutput();
    expect(await main(["costs", "--by", "colour"], bad, env)).toBe(1);
    expect(bad.stderr.join("\n")).toMatch(/\/query\/groupBy/);
  }, 120_000);
});

describe("GET /api/costs input", () => {
  it("names every bad parameter with a JSON pointer", async () => {
    const res = await stack.api("/costs?groupBy=team&from=yesterday");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { pointer: string }[] };
    expect(body.problems.map((p) => p.pointer).sort()).toEqual(["/query/from", "/query/groupBy"]);
  });

  it("requires the function key", async () => {
    const res = await fetch(`${stack.host.url}/api/costs`);
    expect(res.status).toBe(401);
  });
});
