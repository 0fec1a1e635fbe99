// The console in a real headless Chromium against the real embedded stack (sandbox "Azure", Azurite, local host
// with the durable-functions replay): invalid document → pointers; a DAG job's timeline reaching success; cancel a
// running job; attach an edge; a reader cannot cancel; no cookie / bad CSRF refused; a schedule's warm-up shown from
// "on, next at" to its holding cluster. Screenshots of every page go to test-results/console/. Virtual time only
// moves when the test says so (runUntil); the page polls in real time.
import { existsSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../../support/stack";
import { launchChromium, screenshot } from "../../support/browser";
import { jobDoc, record } from "../jobs/jobHelpers";

let stack: TestStack;
let browser: Browser;
let page: Page;

async function signIn(role: "operator" | "reader"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const p = await context.newPage();
  p.on("dialog", (d) => void d.accept());
  await p.goto(stack.consoleLoginUrl(role));
  await p.getByTestId("session").filter({ hasText: role }).waitFor();
  return { context, page: p };
}

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
  ({ page } = await signIn("operator"));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const DAG = jobDoc(
  "console-dag",
  [
    { id: "extract", seconds: 120 },
    { id: "clean", dependsOn: ["extract"], seconds: 60 },
    { id: "features", dependsOn: ["extract"], seconds: 90 },
    { id: "report", dependsOn: ["clean", "features"], seconds: 30 },
  ],
  { idempotencyKey: "console-dag" },
);

describe("console in Chromium", () => {
  it("shows every problem of an invalid document with its JSON pointer, and creates nothing", async () => {
    await page.goto(`${stack.host.url}/api/console/#/jobs`);
    await page
      .getByLabel("Job document or EMR steps file (JSON)")
      .fill(
        JSON.stringify({ name: "bad", cluster: { profile: "nope" }, steps: [{ id: "a" }, { id: "b", dependsOn: ["zz"], file: "x.py" }] }),
      );
    await page.getByTestId("validate").click();
    const problems = page.getByTestId("problems");
    await problems.waitFor();
    const pointers = await problems.locator("code.pointer").allTextContents();
    expect(pointers).toEqual(expect.arrayContaining(["/steps/0/file", "/steps/1/dependsOn/0"]));
    await screenshot(page, "jobs-invalid-document");
    const jobs = ((await (await stack.api("/jobs")).json()) as { jobs: unknown[] }).jobs;
    expect(jobs).toEqual([]);
  });

  it("submits a DAG job after its plan preview and follows its timeline to success", async () => {
    await page.getByLabel("Job document or EMR steps file (JSON)").fill(JSON.stringify(DAG));
    await page.getByTestId("validate").click();
    await page.getByTestId("plan").filter({ hasText: "report" }).waitFor();
    await page.getByTestId("submit").click();
    await page.waitForURL(/#\/jobs\/j-/);
    const id = decodeURIComponent(page.url().split("#/jobs/")[1] as string);
    await page.getByTestId("dag").locator("canvas").waitFor();
    await stack.runUntil(async () => (await stack.job(id)).state === "running", { what: "dag job running" });
    await page.locator("h1 .state[data-state='running']").waitFor();
    await stack.runUntil(async () => (await stack.job(id)).state === "succeeded", { what: "dag job succeeded" });
    await page.locator("h1 .state[data-state='succeeded']").waitFor({ timeout: 15_000 });
    const states = await page.getByTestId("steps").locator("tbody tr .state").allTextContents();
    expect(states).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    const ids = await page.getByTestId("steps").locator("tbody tr td:nth-child(4)").allTextContents();
    expect(ids.every((x) => /^\d+$/.test(x))).toBe(true);
    await page.getByTestId("gantt").locator("canvas").waitFor();
    await expectEvent(page, "job.succeeded");
    await page.getByTestId("steps").locator("tr[data-step='report'] button", { hasText: "Log" }).click();
    await page.getByTestId("log-report-1").waitFor();
    await screenshot(page, "job-dag-succeeded");
    expect((await record(stack, id)).state).toBe("succeeded");
  });

  it("attaches an edge to a running cluster, cancels a running job, and a reader can do neither", async () => {
    const id = await stack.submit(jobDoc("console-long", [{ id: "long", seconds: 6 * 3600 }], { idempotencyKey: "console-long" }));
    await stack.runUntil(async () => (await record(stack, id)).steps?.[0]?.state === "running", { what: "long step running" });
    const cluster = (await record(stack, id)).cluster.name as string;

    // A reader sees the job, but the cancel button is disabled and the API refuses the call itself.
    const reader = await signIn("reader");
    await reader.page.goto(`${stack.host.url}/api/console/#/jobs/${id}`);
    await expect.poll(() => reader.page.getByTestId("cancel").isDisabled()).toBe(true);
    const readerCancel = await reader.page.evaluate(async (jobId) => {
      const s = (await (await fetch("/api/console/api/session")).json()) as { csrfToken: string };
      return (await fetch(`/api/console/api/jobs/${jobId}/cancel`, { method: "POST", headers: { "x-jobflow-csrf": s.csrfToken } })).status;
    }, id);
    expect(readerCancel).toBe(403);
    await reader.page.goto(`${stack.host.url}/api/console/#/edges`);
    await expect.poll(() => reader.page.getByTestId("attach-dss-edge-01").isDisabled()).toBe(true);
    await reader.context.close();

    await page.goto(`${stack.host.url}/api/console/#/edges`);
    await expect.poll(() => page.getByTestId("target-dss-edge-01").locator("option").allTextContents()).toContain(cluster);
    await page.getByTestId("target-dss-edge-01").selectOption(cluster);
    await page.getByTestId("attach-dss-edge-01").click();
    await stack.runUntil(
      async () => {
        const edges = ((await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] }).edges;
        return edges.find((e) => e.name === "dss-edge-01")?.attachedTo === cluster;
      },
      { what: "edge attached" },
    );
    await page.getByTestId("attached-dss-edge-01").filter({ hasText: cluster }).waitFor({ timeout: 15_000 });
    // The last sync (when, result, output tail) is part of the edge's record: it is still there after a reload.
    await page.reload();
    await page.getByTestId("last-sync-dss-edge-01").filter({ hasText: "succeeded" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "edges-attached");

    await page.goto(`${stack.host.url}/api/console/#/clusters`);
    await page.locator(`tr[data-cluster='${cluster}']`).waitFor();
    expect(await page.getByTestId(`cost-${cluster}`).textContent()).toMatch(/^\d+\.\d\d USD[\d.]+ node-hours$/); // cost so far
    await screenshot(page, "clusters");

    await page.goto(`${stack.host.url}/api/console/#/jobs/${id}`);
    await page.getByTestId("cancel").click();
    await stack.runUntil(async () => (await record(stack, id)).state === "cancelled", { what: "job cancelled" });
    await page.locator("h1 .state[data-state='cancelled']").waitFor({ timeout: 15_000 });
    await screenshot(page, "job-cancelled");

    // A cancelled job can be repaired from its page: a new run re-runs the cancelled step (then it is cancelled again).
    await page.getByTestId("repair").click();
    await stack.runUntil(
      async () => {
        const r = await record(stack, id);
        return r.state !== "cancelled" && (r.run ?? 1) >= 2;
      },
      { what: "repair run started" },
    );
    await page.reload();
    await page.getByTestId("cancel").waitFor({ timeout: 15_000 });
    await page.getByTestId("cancel").click();
    await stack.runUntil(async () => (await record(stack, id)).state === "cancelled", { what: "repaired run cancelled" });
  });

  it("refuses the console without a session cookie and state changes with a bad CSRF token", async () => {
    const anonymous = await browser.newContext();
    const p = await anonymous.newPage();
    const res = await p.goto(`${stack.host.url}/`);
    expect(res?.status()).toBe(401);
    expect(await p.textContent("body")).toContain("JOBFLOW_CONSOLE_URL");
    await anonymous.close();
    const status = await page.evaluate(
      async () =>
        (await fetch("/api/console/api/jobs/validate", { method: "POST", headers: { "x-jobflow-csrf": "forged" }, body: "{}" })).status,
    );
    expect(status).toBe(403);
    const noToken = await page.evaluate(async () => (await fetch("/api/console/api/jobs/validate", { method: "POST", body: "{}" })).status);
    expect(noToken).toBe(403);
  });

  it("shows a schedule's warm-up (on, next time, then the holding cluster), and wrote a screenshot of every page", async () => {
    // Fire 2 hours ahead on a whole minute, warm-up 25 minutes before: the warm-up starts well before the fire time.
    const fire = new Date(Math.ceil((stack.clock.nowMs() + 2 * 3_600_000) / 60_000) * 60_000);
    const created = await stack.api("/schedules", {
      method: "POST",
      body: JSON.stringify({
        cron: `0 ${fire.getUTCMinutes()} ${fire.getUTCHours()} * * *`,
        timezone: "UTC",
        job: { ...jobDoc("console-warm", [{ id: "main", seconds: 60 }]), cluster: { profile: "default", reuse: "warm" } },
        warmupLeadMinutes: 25,
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const warmups = async (): Promise<{ state: string; clusterName: string }[]> =>
      ((await (await stack.api(`/schedules/${id}`)).json()) as { warmups: { state: string; clusterName: string }[] }).warmups;
    await page.goto(`${stack.host.url}/api/console/#/schedules`);
    await page.getByTestId("schedules").locator("tr", { hasText: id }).filter({ hasText: "on (25 min lead), next" }).waitFor();
    await stack.runUntil(async () => (await warmups()).length > 0, { what: "warm-up started" });
    const [held] = await warmups();
    expect(held.state).toBe("holding");
    const row = page.getByTestId("warmups").locator(`tr[data-schedule='${id}']`);
    await row.filter({ hasText: held.clusterName }).locator(".state[data-state='holding']").waitFor({ timeout: 15_000 });
    await page.getByTestId("leases").waitFor();
    const path = await screenshot(page, "schedules-and-leases");
    expect((await stack.api(`/schedules/${id}`, { method: "DELETE" })).status).toBe(204);
    for (const name of [
      "jobs-invalid-document",
      "job-dag-succeeded",
      "edges-attached",
      "clusters",
      "job-cancelled",
      "schedules-and-leases",
    ]) {
      const file = path.replace("schedules-and-leases", name);
      expect(existsSync(file) && statSync(file).size > 5_000, name).toBe(true);
    }
  });
});

async function expectEvent(p: Page, type: string): Promise<void> {
  await p.getByTestId("events").filter({ hasText: type }).waitFor({ timeout: 15_000 });
}
