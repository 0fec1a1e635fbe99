import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KEYS, startTestHost, type TestHost } from "./hostHelpers";

interface FlakyReport {
  id: string;
  deliveryCount: number;
  messageId: string;
  props: Record<string, unknown>;
}
interface DeadLetter {
  messageId: string;
  body: { id: string };
  deliveryCount: number;
  deadLetterReason: string;
  deadLetterErrorDescription?: string;
}

let t: TestHost;
const admin = (p: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${t.host.url}/admin/servicebus${p}`, { ...init, headers: { "x-functions-key": KEYS.masterKey, ...init.headers } });
const deliveriesOf = (id: string): FlakyReport[] => (t.reports("flaky") as FlakyReport[]).filter((r) => r.id === id);

const dataDir = mkdtempSync(path.join(tmpdir(), "jobflow-host-sb-"));
beforeAll(async () => {
  t = await startTestHost({ serviceBus: { maxDeliveryCount: 5 }, dataDir });
});
afterAll(async () => {
  await t?.host.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("local host Service Bus queue triggers", () => {
  it("redelivers a failing message with a growing deliveryCount until it succeeds", async () => {
    t.host.serviceBus.send("flaky-jobs", { id: "m1", failTimes: 2 }, { messageId: "msg-1", applicationProperties: { kind: "test" } });
    await t.host.serviceBus.whenIdle();
    expect(deliveriesOf("m1").map((r) => r.deliveryCount)).toEqual([1, 2, 3]);
    expect(deliveriesOf("m1")[0]).toMatchObject({ messageId: "msg-1", props: { kind: "test" } });
    expect(t.host.serviceBus.activeMessages("flaky-jobs")).toEqual([]);
    expect(t.host.serviceBus.deadLetters("flaky-jobs")).toEqual([]);
  });

  it("dead-letters after maxDeliveryCount, visible through the admin endpoint", async () => {
    const res = await admin("/queues/FLAKY-JOBS/messages", {
      method: "POST",
      body: JSON.stringify({ body: { id: "m2", failTimes: 99 }, messageId: "msg-2" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ messageId: "msg-2" });
    await t.host.serviceBus.whenIdle();
    expect(deliveriesOf("m2")).toHaveLength(5);
    const dead = (await (await admin("/queues/flaky-jobs/deadletter")).json()) as DeadLetter[];
    expect(dead).toEqual([
      expect.objectContaining({
        messageId: "msg-2",
        body: { id: "m2", failTimes: 99 },
        deliveryCount: 5,
        deadLetterReason: "MaxDeliveryCountExceeded",
        deadLetterErrorDescription: "Message could not be consumed after 5 delivery attempts.",
      }),
    ]);
    const log = t.logs.find((r) => r.event === "servicebus.deadLettered" && r.messageId === "msg-2");
    expect(log?.level).toBe("warning");
  });

  it("dead-letters at once when the function throws a DeadLetterError", async () => {
    t.host.serviceBus.send("flaky-jobs", { id: "m3", deadLetter: "unparseable job spec" }, { messageId: "msg-3" });
    await t.host.serviceBus.whenIdle();
    expect(deliveriesOf("m3")).toHaveLength(1);
    const dead = t.host.serviceBus.deadLetters("flaky-jobs").find((m) => m.messageId === "msg-3");
    expect(dead).toMatchObject({ deliveryCount: 1, deadLetterReason: "unparseable job spec" });
  });

  it("requires the master key on admin endpoints and validates the envelope", async () => {
    const noKey = await fetch(`${t.host.url}/admin/servicebus/queues/flaky-jobs/deadletter`);
    expect(noKey.status).toBe(401);
    const hostKey = await fetch(`${t.host.url}/admin/servicebus/queues/flaky-jobs/deadletter?code=${KEYS.hostKeys[0]}`);
    expect(hostKey.status).toBe(401);
    expect((await admin("/queues/flaky-jobs/messages", { method: "POST", body: "not json" })).status).toBe(400);
    expect((await admin("/queues/flaky-jobs/deadletter", { method: "DELETE" })).status).toBe(405);
    expect((await admin("/nothing")).status).toBe(404);
  });

  it("keeps a topic log readable from a sequence number", async () => {
    const first = t.host.serviceBus.publish("jobflow-events", { type: "job.started" }, { subject: "job.started" });
    await admin("/topics/jobflow-events/messages", { method: "POST", body: JSON.stringify({ body: { type: "job.completed" } }) });
    const all = (await (await admin("/topics/jobflow-events/messages?from=0")).json()) as { body: unknown; sequenceNumber: number }[];
    expect(all.map((m) => m.body)).toEqual([{ type: "job.started" }, { type: "job.completed" }]);
    const later = (await (await admin(`/topics/jobflow-events/messages?from=${first.sequenceNumber + 1}`)).json()) as unknown[];
    expect(later).toHaveLength(1);
  });

  it("loses the lock when a function outlives maxAutoRenewDuration on the virtual clock, and redelivers", async () => {
    let release: () => void = () => undefined;
    const gate = { promise: new Promise<void>((r) => (release = r)) };
    (globalThis as { __hostAppSlowGate?: unknown }).__hostAppSlowGate = gate;
    t.host.serviceBus.send("slow-jobs", { id: "m4" }, { messageId: "msg-4" });
    await vi.waitFor(() => expect(t.reports("slow")).toHaveLength(1));
    await t.clock.advanceBy(5 * 60_000 + 1); // past the default 5-minute auto-renew limit
    await vi.waitFor(() => expect(t.reports("slow")).toHaveLength(2));
    expect(t.reports("slow")).toEqual([{ deliveryCount: 1 }, { deliveryCount: 2 }]);
    expect(t.logs.some((r) => r.event === "servicebus.lockLost" && r.messageId === "msg-4")).toBe(true);
    release();
    await t.host.serviceBus.whenIdle();
    expect(t.host.serviceBus.activeMessages("slow-jobs")).toEqual([]);
    expect(t.host.serviceBus.deadLetters("slow-jobs")).toEqual([]);
  });

  it("keeps queues, dead letters and topic logs under dataDir across a restart", async () => {
    t.host.serviceBus.send("parked", Buffer.from([1, 2, 3]), { messageId: "parked-1" }); // no listener: stays queued
    const deadBefore = t.host.serviceBus.deadLetters("flaky-jobs");
    const topicBefore = t.host.serviceBus.topicMessages("jobflow-events");
    await t.host.stop();
    t = await startTestHost({ serviceBus: { maxDeliveryCount: 5 }, dataDir, clock: t.clock });
    expect(t.host.serviceBus.activeMessages("parked")).toEqual([
      expect.objectContaining({ messageId: "parked-1", body: Buffer.from([1, 2, 3]).toString("base64") }),
    ]);
    expect(t.host.serviceBus.deadLetters("flaky-jobs")).toEqual(deadBefore);
    expect(t.host.serviceBus.topicMessages("jobflow-events")).toEqual(topicBefore);
    const next = t.host.serviceBus.send("parked", "after restart");
    expect(t.host.serviceBus.activeMessages("parked").map((m) => m.messageId)).toEqual(["parked-1", next]);
  });
});
