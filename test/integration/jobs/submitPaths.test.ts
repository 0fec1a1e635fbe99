// The submit paths end to end: the `jobs` Service Bus queue (duplicate deliveries of one message → one job, one
// cluster; an invalid message dead-lettered with its validation problems), POST /jobs idempotency, a bad job → 400
// problem+json naming every problem with nothing created, and GET /jobs?state= served from the state index.
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { jobIdFor } from "../../../functions/submit";
import { createPuts, finish, jobDoc, record, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const instanceCount = (): number => stack.host.engine?.query().length ?? 0;

describe("the jobs queue", () => {
  it("turns duplicate deliveries of one message into one job and one cluster", async () => {
    const putsBefore = createPuts(stack).length;
    const doc = jobDoc("from-queue", [{ id: "s", seconds: 600 }]);
    stack.host.serviceBus.send("jobs", doc, { messageId: "msg-0001" });
    stack.host.serviceBus.send("jobs", doc, { messageId: "msg-0001" });
    await stack.host.serviceBus.whenIdle();
    const id = jobIdFor("msg-0001");
    await stack.runUntil(async () => (await record(stack, id)).state === "running", { what: "queued job running" });
    stack.host.serviceBus.send("jobs", doc, { messageId: "msg-0001" }); // a redelivery while it runs
    await stack.host.serviceBus.whenIdle();
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    stack.host.serviceBus.send("jobs", doc, { messageId: "msg-0001" }); // and one after it finished
    await stack.host.serviceBus.whenIdle();
    await stack.host.engine?.waitForIdle();
    expect(stack.host.serviceBus.deadLetters("jobs")).toEqual([]);
    expect(
      stack.host.engine
        ?.query()
        .filter((i) => i.name === "jobRun")
        .map((i) => i.instanceId),
    ).toEqual([id]);
    expect(createPuts(stack).slice(putsBefore)).toEqual([r.cluster.name]);
  }, 60_000);

  it("dead-letters an invalid message with the validation problems as the reason, creating nothing", async () => {
    const before = instanceCount();
    stack.host.serviceBus.send(
      "jobs",
      { name: "broken", cluster: { profile: "no-such-profile" }, steps: [{ id: "a" }] },
      { messageId: "msg-bad" },
    );
    await stack.host.serviceBus.whenIdle();
    const [dead] = stack.host.serviceBus.deadLetters("jobs");
    expect(dead.messageId).toBe("msg-bad");
    expect(dead.deliveryCount).toBe(1);
    expect(dead.deadLetterReason).toMatch(/invalid job document/);
    expect(dead.deadLetterReason).toContain("/steps/0");
    expect(dead.deadLetterReason).toMatch(/no-such-profile/);
    expect(instanceCount()).toBe(before);
  }, 60_000);
});

describe("POST /jobs", () => {
  it("returns the same job for the same idempotencyKey", async () => {
    const doc = jobDoc("idempotent", [{ id: "s", seconds: 60 }], { idempotencyKey: "nightly-2026-11-21" });
    const post = async () => {
      const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify(doc), headers: { "content-type": "application/json" } });
      return { status: res.status, body: (await res.json()) as { id: string; duplicate: boolean } };
    };
    const first = await post();
    const second = await post();
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.duplicate).toBe(true);
    expect((await finish(stack, first.body.id)).state).toBe("succeeded");
    expect((await post()).body.id).toBe(first.body.id);
    expect(stack.host.engine?.query().filter((i) => i.instanceId === first.body.id)).toHaveLength(1);
  }, 60_000);

  it("answers a bad job with 400 problem+json naming every problem, and creates nothing", async () => {
    const before = instanceCount();
    const putsBefore = createPuts(stack).length;
    const bad = {
      name: "bad",
      cluster: { profile: "no-such-profile", keepWarmMinutes: -1 },
      maxConcurrentSteps: 0,
      steps: [
        { id: "a", file: "ftp://nowhere/a.py" },
        { id: "b", file: "abfss://code@acct.dfs.core.windows.net/b.py", dependsOn: ["missing"] },
      ],
    };
    const res = await stack.api("/jobs", { method: "POST", body: JSON.stringify(bad), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as { status: number; problems: { pointer: string; message: string }[] };
    expect(body.status).toBe(400);
    const pointers = body.problems.map((p) => p.pointer);
    for (const expected of ["/cluster/keepWarmMinutes", "/maxConcurrentSteps", "/steps/0/file", "/steps/1/dependsOn/0"]) {
      expect(pointers).toContain(expected);
    }
    expect(body.problems.some((p) => /no-such-profile/.test(p.message) || p.pointer === "/cluster/profile")).toBe(true);
    const notJson = await stack.api("/jobs", { method: "POST", body: "{ not json", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    await stack.host.engine?.waitForIdle();
    expect(instanceCount()).toBe(before);
    expect(createPuts(stack).length).toBe(putsBefore);
  }, 60_000);
});

describe("GET /jobs?state=", () => {
  interface ListBody {
    jobs: { id: string; state: string; name: string }[];
    continuationToken?: string;
  }
  const list = async (query: string): Promise<{ status: number; body: ListBody }> => {
    const res = await stack.api(`/jobs${query}`);
    return { status: res.status, body: (await res.json()) as ListBody };
  };

  it("lists the jobs in a state from the state index, pages, and refuses unknown states", async () => {
    const ok = await stack.submit(jobDoc("list-ok", [{ id: "s", seconds: 60 }]));
    const failed = await stack.submit(jobDoc("list-failed", [{ id: "s", seconds: 60, outcome: "dead" }]));
    await finish(stack, ok);
    await finish(stack, failed);
    const running = await stack.submit(jobDoc("list-running", [{ id: "s", seconds: 3 * 3600 }]));
    await stack.runUntil(async () => (await record(stack, running)).state === "running", { what: "running" });

    const succeeded = await list("?state=succeeded");
    expect(succeeded.status).toBe(200);
    expect(succeeded.body.jobs.map((j) => j.id)).toContain(ok);
    expect(succeeded.body.jobs.every((j) => j.state === "succeeded")).toBe(true);
    expect(succeeded.body.jobs.map((j) => j.id)).not.toContain(failed);
    expect((await list("?state=failed")).body.jobs.map((j) => j.id)).toEqual([failed]);
    expect((await list("?state=running")).body.jobs.map((j) => j.id)).toEqual([running]);
    expect((await list("?state=running,failed")).body.jobs.map((j) => j.id).sort()).toEqual([failed, running].sort());

    // The index: one marker per job, under its current state only.
    const container = BlobServiceClient.fromConnectionString(stack.settings.JOBFLOW_STORAGE_CONNECTION_STRING).getContainerClient("jobs");
    const markers: string[] = [];
    for await (const b of container.listBlobsFlat({ prefix: "index/" }))
      if (b.name.endsWith(`_${running}`)) markers.push(b.name.split("/")[1]);
    expect(markers).toEqual(["running"]);

    // Every job, in submission order, two per page.
    const all = await list("");
    const names = all.body.jobs.map((j) => j.name);
    expect(names.indexOf("list-ok")).toBeLessThan(names.indexOf("list-running"));
    const page1 = await list("?limit=2");
    expect(page1.body.jobs).toHaveLength(2);
    const page2 = await list(`?limit=2&continuationToken=${page1.body.continuationToken}`);
    expect(page2.body.jobs.map((j) => j.id)).toEqual(all.body.jobs.slice(2, 4).map((j) => j.id));

    const badState = await stack.api("/jobs?state=exploded");
    expect(badState.status).toBe(400);
    expect(((await badState.json()) as { problems: { pointer: string; message: string }[] }).problems[0]).toMatchObject({
      pointer: "/query/state",
    });

    expect((await stack.api(`/jobs/${running}/cancel`, { method: "POST" })).status).toBe(202);
    expect((await finish(stack, running)).state).toBe("cancelled");
    expect((await list("?state=running")).body.jobs).toEqual([]);
    expect((await list("?state=cancelled")).body.jobs.map((j) => j.id)).toEqual([running]);
  }, 90_000);
});
