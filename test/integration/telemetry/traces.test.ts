// OpenTelemetry on the real embedded stack, exported in memory: one connected trace per job from the HTTP trigger
// through the orchestrations' activities down to every Azure SDK HTTP request (real SDK clients against the
// sandbox), with jobflow.* attributes; no span twice although orchestrations replay and the host is restarted
// mid-job; metrics from the job record and the SDK's 429s; structured log lines with the same ids, no secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { TestMetricReader, metricPoints } from "../../support/metrics";
import type { HostLogRecord } from "../../../local/host/log";
import { LOCAL_SECRETS } from "../../../local/stack";
import { startTestStack, type TestStack } from "../../support/stack";
import { jobIdFor } from "../../../functions/submit";
import { createPuts, finish, jobDoc } from "../jobs/jobHelpers";
import { CALLER_SECRET, NOTIFY_SECRET, policyStackOptions, signedPost, startReceiver, type Receiver } from "../policies/helpers";

const exporter = new InMemorySpanExporter();
const reader = new TestMetricReader();
const logs: HostLogRecord[] = [];
let stack: TestStack;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startTestStack({
    // The 127.0.0.1 receiver is allowed explicitly (callbacks otherwise go to public https endpoints only).
    ...policyStackOptions({ JOBFLOW_WEBHOOK_ALLOW_HOSTS: receiver.hostPort }),
    telemetry: { spanProcessors: [new SimpleSpanProcessor(exporter)], metricReaders: [reader] },
    host: { logSink: (r) => void logs.push(r) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

describe("one trace per job, lease or schedule run", () => {
  it("is one connected trace from the trigger to each SDK request, with no duplicates across replays and a restart", async () => {
    const clusterPath = "/providers/microsoft.hdinsight/clusters/";
    stack.sandbox.control.addFault({ kind: "throttle", method: "PUT", pathContains: clusterPath, count: 1, retryAfterSeconds: 1 });
    const res = await stack.api("/jobs", {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      body: JSON.stringify(
        jobDoc(
          "traced",
          [
            { id: "one", seconds: 600 },
            { id: "two", dependsOn: ["one"], seconds: 120 },
          ],
          { edges: ["dss-edge-01"] },
        ),
      ),
    });
    expect(res.status).toBe(202);
    const id = ((await res.json()) as { id: string }).id;
    // Activities scheduled, per instance and execution: the cluster's orchestration continues as new while it polls,
    // and the engine keeps only the current execution's history, so every commit is looked at as it happens.
    const scheduledBy = new Map<string, Map<string, number>>();
    const watch = (): void => {
      const engine = stack.host.engine as unknown as { onStatusChange(listener: () => void): () => void };
      engine.onStatusChange(() => {
        for (const inst of stack.host.engine?.query() ?? []) {
          const byExecution = scheduledBy.get(inst.instanceId) ?? new Map<string, number>();
          const scheduled = inst.history.filter((e) => e.EventType === 4).length; // TaskScheduled
          byExecution.set(inst.executionId, Math.max(byExecution.get(inst.executionId) ?? 0, scheduled));
          scheduledBy.set(inst.instanceId, byExecution);
        }
      });
    };
    watch();
    // Down while the first step runs: in-flight work resumes from the durable store, replaying every orchestration.
    await stack.runUntil(async () => (await stack.job(id)).state === "running", { what: "running" });
    // The reaper's view feeds the clusters gauge: one live cluster, held by the job, so not idle.
    expect((await stack.api("/reaper/run", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(
      200,
    );
    const gauge = metricPoints((await reader.collect()).resourceMetrics, "jobflow.clusters");
    expect(gauge).toEqual([
      { attributes: { state: "live" }, value: 1 },
      { attributes: { state: "idle" }, value: 0 },
    ]);
    await stack.restartHost({ downForMs: 2 * 60_000 });
    watch(); // the new host's engine
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    const clusterName = r.cluster.name as string;
    const live = (): number => (stack.host.engine?.query() ?? []).filter((i) => ["Running", "Pending"].includes(i.runtimeStatus)).length;
    await stack.runUntil(() => live() === 0, { what: "every orchestration done", maxVirtualMs: 30 * 60_000 });

    const spans = exporter.getFinishedSpans();
    const mine = spans.filter((s) => s.spanContext().traceId === CALLER_TRACE);
    const byId = new Map(mine.map((s) => [s.spanContext().spanId, s]));
    // Nothing twice: every span id once; every span of the job in this one trace.
    expect(new Set(spans.map((s) => s.spanContext().spanId)).size).toBe(spans.length);
    // (assertions compare names and ids, never span objects: those hold the whole provider)
    // (reads such as GET /api/jobs/{id} are requests of their own: they carry the job id but not the job's trace)
    const work = spans.filter((s) => s.attributes["jobflow.job.id"] === id && /^(activity|start orchestration) /.test(s.name));
    expect(work.length).toBeGreaterThan(20);
    expect(work.filter((s) => s.spanContext().traceId !== CALLER_TRACE).map((s) => s.name)).toEqual([]);

    // Rooted at the HTTP trigger (a child of the caller's span), connected all the way down.
    const root = mine.find((s) => s.name === "POST /api/jobs") as ReadableSpan;
    expect(root === undefined).toBe(false);
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(root.attributes["jobflow.job.id"]).toBe(id);
    expect(root.attributes["http.response.status_code"]).toBe(202);
    for (const s of mine)
      if (s !== root) expect(byId.has(s.parentSpanContext?.spanId ?? ""), `${s.name} has a parent in the trace`).toBe(true);
    const ancestors = (s: ReadableSpan): string[] => {
      const names: string[] = [];
      for (let p = byId.get(s.parentSpanContext?.spanId ?? ""); p && names.length < 50; p = byId.get(p.parentSpanContext?.spanId ?? ""))
        names.push(p.name);
      return names;
    };

    // Activities of the job, its cluster and its edge operations, with the jobflow attributes.
    const activity = (name: string): ReadableSpan[] => mine.filter((s) => s.name === `activity ${name}`);
    expect(activity("beginCreateCluster").length).toBe(1);
    expect(activity("beginCreateCluster")[0].attributes).toMatchObject({
      "jobflow.job.id": id,
      "jobflow.cluster.name": clusterName,
      "durable.instance.id": `cluster-${clusterName}`,
    });
    // Step one is submitted on its own; two by the probe that saw one succeed (its follow-up submission).
    expect(activity("submitStep").map((s) => s.attributes["jobflow.step.id"])).toEqual(["one"]);
    expect(
      activity("submitStep").every((s) => s.attributes["jobflow.cluster.name"] === clusterName && s.attributes["jobflow.job.id"] === id),
    ).toBe(true);
    expect(activity("beginEdgeSync").length).toBeGreaterThanOrEqual(2); // attach and detach
    expect(ancestors(activity("beginCreateCluster")[0])).toEqual([
      "start orchestration clusterLifecycle",
      "activity acquireCluster",
      "start orchestration jobRun",
      "POST /api/jobs",
    ]);

    // Each Azure SDK HTTP request is a client span under its activity: the cluster PUT (429, then the accepted create), Livy's POSTs.
    const http = mine.filter((s) => s.kind === SpanKind.CLIENT && s.attributes["http.method"]);
    const puts = http.filter(
      (s) => s.attributes["http.method"] === "PUT" && String(s.attributes["http.url"]).includes(`/clusters/${clusterName}`),
    );
    const codes = [...puts]
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
      .map((s) => Number(s.attributes["http.status_code"]));
    expect(codes.length).toBe(2);
    expect(codes[0]).toBe(429); // the fault, retried by the SDK
    expect(codes[1] >= 200 && codes[1] < 300).toBe(true);
    expect(createPuts(stack)).toEqual([clusterName]);
    for (const put of puts) expect(ancestors(put)).toContain("activity beginCreateCluster");
    // The SDK's spans carry the invocation's ids too (CorrelationSpanProcessor): a job's Azure requests by attribute.
    for (const put of puts) expect([put.attributes["jobflow.job.id"], put.attributes["jobflow.cluster.name"]]).toEqual([id, clusterName]);
    const livyPosts = http.filter(
      (s) => s.attributes["http.method"] === "POST" && /\/livy\/batches$/.test(String(s.attributes["http.url"]).split("?")[0]),
    );
    const postedBy = (s: ReadableSpan): ReadableSpan | undefined => {
      for (let p = byId.get(s.parentSpanContext?.spanId ?? ""); p; p = byId.get(p.parentSpanContext?.spanId ?? ""))
        if (p.name.startsWith("activity ")) return p;
      return undefined;
    };
    // Each POST carries the id of the step it submits; the probe that posted two is step one's.
    expect(livyPosts.map((s) => [s.attributes["jobflow.step.id"], postedBy(s)?.name, postedBy(s)?.attributes["jobflow.step.id"]])).toEqual([
      ["one", "activity submitStep", "one"],
      ["two", "activity getStepStatus", "one"],
    ]);

    // No duplicates across replays and the restart: one activity span per activity the histories scheduled.
    const instances = (stack.host.engine?.query() ?? []).filter(
      (i) => i.instanceId === id || i.instanceId === `cluster-${clusterName}` || i.instanceId.startsWith("edge-"),
    );
    expect(instances.length).toBeGreaterThanOrEqual(3);
    expect(scheduledBy.get(`cluster-${clusterName}`)?.size).toBeGreaterThan(1); // it did continue as new
    for (const inst of instances) {
      const scheduled = [...(scheduledBy.get(inst.instanceId)?.values() ?? [])].reduce((a, b) => a + b, 0);
      expect(
        mine.filter((s) => s.name.startsWith("activity ") && s.attributes["durable.instance.id"] === inst.instanceId).length,
        inst.instanceId,
      ).toBe(scheduled);
    }

    // Metrics: the terminal state, queue-to-start, billed node-minutes from the record's cost, the ARM 429.
    const { resourceMetrics } = await reader.collect();
    expect(metricPoints(resourceMetrics, "jobflow.jobs.completed")).toEqual([{ attributes: { state: "succeeded" }, value: 1 }]);
    expect((metricPoints(resourceMetrics, "jobflow.jobs.queue_to_start")[0].value as { count: number }).count).toBe(1);
    const billed = metricPoints(resourceMetrics, "jobflow.billed_node_minutes")[0].value as number;
    expect(billed).toBeCloseTo((r.estimatedCost?.nodeHours ?? 0) * 60, 6);
    expect(billed).toBeGreaterThan(0);
    expect(metricPoints(resourceMetrics, "jobflow.arm.throttled_requests")).toEqual([
      { attributes: { endpoint: "arm", "http.request.method": "PUT" }, value: 1 },
    ]);

    // Structured log lines: JSON with the trace id and the job id; no secret anywhere in logs or spans.
    const lines = logs
      .filter((l) => l.category === "user" && l.message.startsWith("{"))
      .map((l) => JSON.parse(l.message) as Record<string, unknown>);
    const submitLine = lines.find((l) => l.function === "submitStep" && l.stepId === "one");
    expect(submitLine).toMatchObject({ event: "activity.succeeded", traceId: CALLER_TRACE, jobId: id, clusterName });
    const everything = JSON.stringify(logs) + JSON.stringify(spans.map((s) => ({ a: s.attributes, e: s.events, n: s.name })));
    for (const [name, value] of Object.entries({ ...LOCAL_SECRETS, caller: CALLER_SECRET, notify: NOTIFY_SECRET })) {
      const parts = name.startsWith("s3") ? Object.values(JSON.parse(value) as Record<string, string>) : [value];
      for (const p of parts) expect(everything.includes(p), `secret ${name} leaked`).toBe(false);
    }
  }, 180_000);

  it("starts at a queue message (continuing its traceparent) or, for a schedule's job, in a trace of its own linked to the schedule", async () => {
    const queueTrace = "0af7651916cd43dd8448eb211c80319c";
    stack.host.serviceBus.send("jobs", jobDoc("queued", [{ id: "q", seconds: 60 }]), {
      messageId: "msg-traced",
      applicationProperties: { traceparent: `00-${queueTrace}-b7ad6b7169203331-01` },
    });
    const queuedId = jobIdFor("msg-traced");
    const created = await stack.api("/schedules", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cron: "*/20 * * * *", timezone: "UTC", job: jobDoc("scheduled", [{ id: "s", seconds: 60 }]) }),
    });
    expect(created.status).toBe(201);
    const scheduleId = ((await created.json()) as { id: string }).id;
    const runs = async (): Promise<{ jobId?: string }[]> =>
      ((await (await stack.api(`/schedules/${scheduleId}`)).json()) as { runs: { jobId?: string }[] }).runs;
    await stack.runUntil(async () => (await runs()).some((r) => r.jobId), { what: "the schedule fired" });
    const scheduledId = (await runs()).find((r) => r.jobId)?.jobId as string;
    expect((await stack.api(`/schedules/${scheduleId}`, { method: "DELETE" })).status).toBe(204);
    expect((await finish(stack, queuedId)).state).toBe("succeeded");
    expect((await finish(stack, scheduledId)).state).toBe("succeeded");

    const spans = exporter.getFinishedSpans();
    const startOf = (jobId: string): ReadableSpan =>
      spans.find((s) => s.name === "start orchestration jobRun" && s.attributes["jobflow.job.id"] === jobId) as ReadableSpan;
    const workOf = (jobId: string): ReadableSpan[] =>
      spans.filter((s) => s.attributes["jobflow.job.id"] === jobId && s.name.startsWith("activity "));

    // Queue: consumer span → start → activities, all in the sender's trace.
    const consumer = spans.find((s) => s.name === "jobs process" && s.spanContext().traceId === queueTrace);
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer?.attributes["jobflow.job.id"]).toBe(queuedId);
    expect(startOf(queuedId).parentSpanContext?.spanId).toBe(consumer?.spanContext().spanId);
    expect(startOf(queuedId).attributes["jobflow.trigger"]).toBe("servicebustrigger");
    expect(workOf(queuedId).length).toBeGreaterThan(5);
    expect(workOf(queuedId).every((s) => s.spanContext().traceId === queueTrace)).toBe(true);
    const queuedLine = logs
      .filter((l) => l.category === "user" && l.message.includes('"jobQueued"'))
      .map((l) => JSON.parse(l.message) as Record<string, unknown>);
    expect(queuedLine.find((l) => l.jobId === queuedId)?.traceId).toBe(queueTrace);

    // Schedule: the job's start span is a root, linked to the schedule's runScheduleOccurrence activity.
    const start = startOf(scheduledId);
    expect(start.parentSpanContext).toBeUndefined();
    expect(start.attributes["jobflow.trigger"]).toBe("activity:runScheduleOccurrence");
    const linked = spans.find((s) => s.spanContext().spanId === start.links[0]?.context.spanId);
    expect(linked?.name).toBe("activity runScheduleOccurrence");
    expect(linked?.spanContext().traceId).not.toBe(start.spanContext().traceId);
    expect(workOf(scheduledId).length).toBeGreaterThan(5);
    expect(workOf(scheduledId).every((s) => s.spanContext().traceId === start.spanContext().traceId)).toBe(true);
  }, 180_000);

  it("follows a compute lease from its signed request to its cluster's SDK calls, with jobflow.lease.id", async () => {
    const res = await signedPost(stack, "/compute-requests", {
      profile: "default",
      durationMinutes: 60,
      callbackUrl: `${receiver.url}/lease`,
    });
    expect(res.status).toBe(202);
    const { leaseId, clusterName } = (await res.json()) as { leaseId: string; clusterName: string };
    await stack.runUntil(() => receiver.received.some((r) => r.path === "/lease"), { what: "ready callback" });
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {})).status).toBe(202);
    const gone = async (): Promise<boolean> =>
      !((await (await stack.api("/clusters")).json()) as { clusters: { name: string }[] }).clusters.some((c) => c.name === clusterName);
    await stack.runUntil(gone, { what: "lease cluster deleted" });

    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === "POST /api/compute-requests" && s.attributes["http.response.status_code"] === 202);
    const traceId = root?.spanContext().traceId;
    const start = spans.find((s) => s.name === "start orchestration computeLease" && s.attributes["jobflow.lease.id"] === leaseId);
    expect(start?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    const create = spans.find((s) => s.name === "activity beginCreateCluster" && s.attributes["jobflow.cluster.name"] === clusterName);
    expect(create?.attributes["jobflow.lease.id"]).toBe(leaseId);
    expect(create?.spanContext().traceId).toBe(traceId);
    const put = spans.find(
      (s) =>
        s.kind === SpanKind.CLIENT &&
        s.attributes["http.method"] === "PUT" &&
        String(s.attributes["http.url"]).includes(`/clusters/${clusterName}`),
    );
    expect(put?.spanContext().traceId).toBe(traceId);
  }, 180_000);
});
