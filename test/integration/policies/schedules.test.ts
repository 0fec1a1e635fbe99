// Schedules and events on the embedded stack, across the end of summer time in Europe/Paris (2026-10-25 03:00 CEST
// → 02:00 CET). "0 1,2,3 * * *" fires at 01:00, 02:00 (once, though 02:00 happens twice) and 03:00 local; the
// sandbox takes 70 virtual minutes to provision, so the 02:00 run still goes at 03:00 and that occurrence is
// recorded as skipped; the next day's 01:00 is 00:00Z instead of 23:00Z. Each job's events arrive in lifecycle
// order without gaps, and each one is also delivered, signed, to the job's notify.webhook.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { SIGNATURE_HEADERS, signPayload } from "../../../shared/policies/webhookSignature";
import { startTestStack, type TestStack } from "../../support/stack";
import { NOTIFY_SECRET, cli, policyStackOptions, startReceiver, type Receiver } from "./helpers";

let stack: TestStack;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  // The 127.0.0.1 receiver is allowed explicitly (webhooks otherwise go to public https endpoints only).
  const base = policyStackOptions({ JOBFLOW_REAPER_SCHEDULE: "0 0 0 1 1 *", JOBFLOW_WEBHOOK_ALLOW_HOSTS: receiver.hostPort });
  stack = await startTestStack({
    ...base,
    clock: new VirtualClock({ mode: "manual", startMs: Date.parse("2026-10-24T22:00:00Z") }),
    sandbox: { ...base.sandbox, settings: { provisioningDurationMs: 70 * 60_000, lroRetryAfterSeconds: 0 } },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

interface ScheduleView {
  id: string;
  state: string;
  nextRunAt: string | null;
  runs: { occurrence: string; outcome: string; jobId?: string; reason?: string }[];
}
const schedule = async (id: string): Promise<ScheduleView> => (await (await stack.api(`/schedules/${id}`)).json()) as ScheduleView;
const TERMINAL = ["succeeded", "failed", "cancelled", "completedWithFailures"];

describe("schedules", () => {
  it("refuses a bad cron, zone or job with every problem, creating nothing", async () => {
    const res = await stack.api("/schedules", {
      method: "POST",
      body: JSON.stringify({ cron: "61 * * * *", timezone: "Europe/Nowhere", job: { name: "x", steps: [] } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { pointer: string }[] };
    const pointers = body.problems.map((p) => p.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/cron", "/timezone"]));
    expect(pointers.some((p) => p.startsWith("/job"))).toBe(true);
    expect(((await (await stack.api("/schedules")).json()) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it("fires three times across the DST change, skips the overlapping occurrence, and pauses/resumes/deletes", async () => {
    const job = {
      name: "hourly-report",
      cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 },
      steps: [{ id: "report", file: "abfss://code@jobflowlake.dfs.core.windows.net/report.py" }],
      notify: { webhook: `${receiver.url}/notify` },
    };
    const created = await stack.api("/schedules", {
      method: "POST",
      body: JSON.stringify({ cron: "0 1,2,3 * * *", timezone: "Europe/Paris", job }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await stack.runUntil(async () => (await schedule(id)).runs.length >= 4, { what: "four occurrences", maxVirtualMs: 30 * 3_600_000 });
    const runs = [...(await schedule(id)).runs].reverse();
    expect(runs.map((r) => [r.occurrence, r.outcome])).toEqual([
      ["2026-10-24T23:00:00.000Z", "submitted"], // 01:00 CEST
      ["2026-10-25T01:00:00.000Z", "submitted"], // 02:00 CET (the repeated hour runs once)
      ["2026-10-25T02:00:00.000Z", "skipped"], //   03:00 CET, the 02:00 run is still provisioning
      ["2026-10-26T00:00:00.000Z", "submitted"], // 01:00 CET: an hour later in UTC than the day before
    ]);
    expect(runs[2].reason).toContain(runs[1].jobId as string);
    const jobIds = runs.filter((r) => r.jobId).map((r) => r.jobId as string);
    expect(new Set(jobIds).size).toBe(3);

    // Pause: the next occurrence (02:00 CET) is not submitted; resume picks up after now; delete ends it.
    const paused = await cli(stack, ["schedules", "pause", id]);
    expect(paused).toMatchObject({ code: 0, lines: [`schedule ${id} paused`] });
    const shown = await cli(stack, ["schedules", "show", id]);
    expect(shown.lines[0]).toMatch(/^ID\s+STATE\s+CRON/);
    expect(shown.lines.filter((l) => l.includes("skipped"))).toHaveLength(1);
    await stack.runUntil(async () => stack.clock.nowMs() >= Date.parse("2026-10-26T02:30:00Z"), { what: "past 03:00 CET" });
    expect((await schedule(id)).runs.length).toBe(4);
    expect((await schedule(id)).state).toBe("paused");
    expect((await stack.api(`/schedules/${id}/resume`, { method: "POST" })).status).toBe(200);
    await stack.runUntil(async () => (await schedule(id)).nextRunAt === "2026-10-27T00:00:00.000Z", { what: "resumed, next 01:00 CET" });
    expect((await cli(stack, ["schedules", "delete", id])).code).toBe(0);
    expect((await stack.api(`/schedules/${id}`)).status).toBe(404);

    // Events: per job, in lifecycle order, no gaps; each also delivered signed to notify.webhook.
    await stack.runUntil(
      async () => {
        for (const j of jobIds) if (!TERMINAL.includes((await stack.job(j)).state)) return false;
        const delivered = new Set(receiver.received.map((r) => r.headers[SIGNATURE_HEADERS.delivery]));
        return stack
          .events()
          .filter((e) => /^jobflow\.(job|step)\./.test(e.type))
          .every((e) => delivered.has(e.id));
      },
      { what: "jobs done and notifications delivered" },
    );
    for (const j of jobIds) {
      const ofJob = stack.events().filter((e) => e.subject === `jobs/${j}` || e.subject?.startsWith(`jobs/${j}/`));
      const types = ofJob.filter((e) => /^jobflow\.(job|step)\./.test(e.type)).map((e) => e.type);
      expect(ofJob.filter((e) => e.type === "jobflow.webhook.delivered")).toHaveLength(types.length);
      expect(types).toEqual([
        "jobflow.job.started",
        "jobflow.job.clusterReady",
        "jobflow.step.submitted",
        "jobflow.step.running",
        "jobflow.step.succeeded",
        "jobflow.job.succeeded",
      ]);
    }
    for (const r of receiver.received.filter((x) => x.path === "/notify")) {
      const ts = Number(r.headers[SIGNATURE_HEADERS.timestamp]);
      expect(r.headers[SIGNATURE_HEADERS.signature]).toBe(signPayload(NOTIFY_SECRET, ts, r.body));
      expect(JSON.parse(r.body)).toMatchObject({ specversion: "1.0", dataschema: "urn:jobflow:events:v1", source: "/jobflow" });
    }
    const scheduleEvents = stack
      .events()
      .filter((e) => e.subject === `schedules/${id}`)
      .map((e) => e.type);
    expect(scheduleEvents).toEqual([
      "jobflow.schedule.created",
      "jobflow.schedule.fired",
      "jobflow.schedule.fired",
      "jobflow.schedule.skipped",
      "jobflow.schedule.fired",
      "jobflow.schedule.paused",
      "jobflow.schedule.resumed",
      "jobflow.schedule.deleted",
    ]);
  }, 90_000);
});
