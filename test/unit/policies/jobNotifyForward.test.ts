// The job-event forwarder (functions/policies/jobNotifyForward.ts): one webhook delivery per job or step event of a
// job with notify.webhook, none otherwise — and the job's webhook is read from the Durable runtime once per job, not
// once per event (a 10-step job publishes ≈ 40 events).
import { describe, expect, it } from "vitest";
import type { DurableClient } from "durable-functions";
import type { CloudEvent } from "../../../shared/cloud/events";
import { WebhookLookup, forwardJobEvent } from "../../../functions/policies/jobNotifyForward";
import { FakeDurableClient } from "../../support/fakeDurableClient";

class CountingClient extends FakeDurableClient {
  reads: string[] = [];
  override async getStatus(instanceId: string) {
    this.reads.push(instanceId);
    return super.getStatus(instanceId);
  }
}

const ev = (id: string, type: string, subject: string): CloudEvent => ({ specversion: "1.0", id, source: "/jobflow", type, subject });

function setup(capacity?: number) {
  const client = new CountingClient();
  client.put({
    instanceId: "j-hook",
    name: "jobRun",
    runtimeStatus: "Running",
    input: { job: { notify: { webhook: "https://example.com/n" } } },
  });
  client.put({ instanceId: "j-none", name: "jobRun", runtimeStatus: "Running", input: { job: {} } });
  const deps = { notifySecretName: "webhook-notify", lookup: new WebhookLookup(capacity) };
  const forward = (e: CloudEvent) => forwardJobEvent(client as unknown as DurableClient, e, deps);
  return { client, forward };
}

describe("forwardJobEvent", () => {
  it("starts one delivery per event of a job with a webhook, reading the job once", async () => {
    const { client, forward } = setup();
    for (let i = 0; i < 5; i++)
      expect(await forward(ev(`e${i}`, "jobflow.step.running", `jobs/j-hook/steps/s${i}`))).toEqual({ started: true });
    expect(client.started.map((s) => s.instanceId)).toEqual(["wh-e0", "wh-e1", "wh-e2", "wh-e3", "wh-e4"]);
    expect(client.started[0]?.input).toMatchObject({
      post: { url: "https://example.com/n", secretName: "webhook-notify", deliveryId: "e0" },
    });
    expect(client.reads.filter((r) => r === "j-hook")).toHaveLength(1);
  });

  it("remembers that a job has no webhook: one read for all its events, nothing started", async () => {
    const { client, forward } = setup();
    for (let i = 0; i < 40; i++) expect((await forward(ev(`n${i}`, "jobflow.job.started", "jobs/j-none"))).started).toBe(false);
    expect(client.reads).toEqual(["j-none"]);
    expect(client.started).toEqual([]);
  });

  it("does not remember a job it could not read (looks again next time)", async () => {
    const { client, forward } = setup();
    expect(await forward(ev("x1", "jobflow.job.started", "jobs/j-later"))).toEqual({ started: false, reason: "no notify.webhook" });
    client.put({
      instanceId: "j-later",
      name: "jobRun",
      runtimeStatus: "Running",
      input: { job: { notify: { webhook: "https://example.com/l" } } },
    });
    expect(await forward(ev("x2", "jobflow.job.succeeded", "jobs/j-later"))).toEqual({ started: true });
  });

  it("ignores webhook outcomes and non-job events without reading anything, and never starts a delivery twice", async () => {
    const { client, forward } = setup();
    expect((await forward(ev("w1", "jobflow.webhook.delivered", "jobs/j-hook"))).started).toBe(false);
    expect((await forward(ev("c1", "jobflow.cluster.ready", "clusters/c"))).started).toBe(false);
    expect(client.reads).toEqual([]);
    expect((await forward(ev("d1", "jobflow.job.started", "jobs/j-hook"))).started).toBe(true);
    expect(await forward(ev("d1", "jobflow.job.started", "jobs/j-hook"))).toEqual({ started: false, reason: "already delivering" });
  });

  it("is bounded: the oldest job's answer is forgotten first", async () => {
    const { client, forward } = setup(1);
    await forward(ev("a", "jobflow.job.started", "jobs/j-none"));
    await forward(ev("b", "jobflow.job.started", "jobs/j-hook"));
    await forward(ev("c", "jobflow.job.started", "jobs/j-none"));
    expect(client.reads.filter((r) => r.startsWith("j-"))).toEqual(["j-none", "j-hook", "j-none"]);
  });
});
