// The pieces split out of httpServer.ts and serviceBus.ts, tested alone: the HTTP functions' route table
// (precedence, 404, 405 with Allow), the Service Bus trigger-binding resolution and its refusals, topic logs
// (retention, sequence filter, subscriptions, snapshot without the internal topic field).
import { describe, expect, it } from "vitest";
import type { RegisteredFunction } from "../../../local/host/functionsCore";
import { findFunctionRoute, functionRoutes } from "../../../local/host/functionRoutes";
import { subscriptionEntity, triggerEntity } from "../../../local/host/serviceBusBinding";
import type { ServiceBusMessageRecord } from "../../../local/host/serviceBusMessages";
import { TopicLogs } from "../../../local/host/serviceBusTopics";

const fn = (name: string, trigger: Record<string, unknown>): RegisteredFunction =>
  ({ name, trigger: { name: "t", direction: "in", ...trigger }, triggerBindingName: "t" }) as unknown as RegisteredFunction;

const message = (sequenceNumber: number): ServiceBusMessageRecord => ({
  messageId: `m${sequenceNumber}`,
  sequenceNumber,
  body: { n: sequenceNumber },
  applicationProperties: {},
  enqueuedTimeUtc: "2026-01-01T00:00:00.000Z",
  deliveryCount: 0,
});

describe("HTTP function route table", () => {
  const routes = functionRoutes([
    fn("GetJob", { type: "httpTrigger", route: "jobs/{id}", methods: ["get"] }),
    fn("NewJob", { type: "httpTrigger", route: "jobs/new", methods: ["post"], authLevel: "anonymous" }),
    fn("Ping", { type: "httpTrigger" }),
    fn("Tick", { type: "timerTrigger", schedule: "0 * * * * *" }),
  ]);

  it("keeps HTTP triggers only, named by route (the function name without one), in precedence order", () => {
    expect(routes.map((r) => r.registration.name)).toEqual(["Ping", "NewJob", "GetJob"]); // routes.ts: literal before parameter
    expect(routes.map((r) => [r.methods, r.authLevel])).toEqual([
      [undefined, undefined],
      [["POST"], "anonymous"],
      [["GET"], undefined],
    ]);
  });

  it("finds the function, or says 404 / 405 with the methods the path allows", () => {
    const hit = findFunctionRoute(routes, "GET", "/jobs/42");
    expect(hit.kind === "function" && [hit.route.registration.name, hit.params]).toEqual(["GetJob", { id: "42" }]);
    const literal = findFunctionRoute(routes, "POST", "/jobs/new");
    expect(literal.kind === "function" && literal.route.registration.name).toBe("NewJob");
    expect(findFunctionRoute(routes, "GET", "/jobs/new")).toEqual({ kind: "function", route: routes[2], params: { id: "new" } });
    expect(findFunctionRoute(routes, "DELETE", "/jobs/42")).toEqual({ kind: "methodNotAllowed", allow: ["GET"] });
    expect(findFunctionRoute(routes, "GET", "/nothing")).toEqual({ kind: "notFound" });
    expect(findFunctionRoute(routes, "PATCH", "/ping").kind).toBe("function"); // no methods: every method
  });
});

describe("Service Bus trigger binding", () => {
  const env = { JOBS_QUEUE: "jobs", EVENTS: "events" };

  it("resolves a queue or a topic subscription, %SETTING%s included", () => {
    expect(triggerEntity(fn("A", { type: "serviceBusTrigger", queueName: "%JOBS_QUEUE%" }), env)).toEqual({ name: "jobs" });
    expect(triggerEntity(fn("B", { type: "serviceBusTrigger", topicName: "%EVENTS%", subscriptionName: "fwd" }), env)).toEqual({
      name: subscriptionEntity("events", "fwd"),
      topic: "events",
    });
    expect(subscriptionEntity("events", "fwd")).toBe("events/Subscriptions/fwd");
  });

  it("refuses what it cannot serve, naming the function", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ queueName: "%MISSING%" }, /Function 'F' queueName: .*MISSING/],
      [{ queueName: "q", isSessionsEnabled: true }, /Function 'F': Service Bus sessions are not emulated/],
      [{ queueName: "q", cardinality: "many" }, /Function 'F': cardinality "many" is not emulated/],
      [{ topicName: "t" }, /Function 'F': a Service Bus trigger needs queueName or topicName \+ subscriptionName/],
    ];
    for (const [trigger, error] of bad) expect(() => triggerEntity(fn("F", { type: "serviceBusTrigger", ...trigger }), env)).toThrow(error);
  });
});

describe("Service Bus topic logs", () => {
  it("keeps the newest `retention` entries, filters by sequence number, and knows its subscriptions", () => {
    const topics = new TopicLogs(4);
    for (let n = 1; n <= 6; n++) topics.append("Events", message(n)); // 6 > 4 + 1: trimmed to the newest 4
    expect(topics.messages("events", 0).map((m) => m.sequenceNumber)).toEqual([3, 4, 5, 6]);
    expect(topics.messages("EVENTS", 5).map((m) => m.sequenceNumber)).toEqual([5, 6]);
    expect(topics.messages("other", 0)).toEqual([]);
    topics.subscribe("Events", "Events/Subscriptions/a");
    topics.subscribe("events", "events/Subscriptions/b");
    expect(topics.subscribers("EVENTS")).toEqual(["Events/Subscriptions/a", "events/Subscriptions/b"]);
    expect(topics.snapshot()).toEqual([{ name: "Events", messages: [3, 4, 5, 6].map(message) }]);
  });

  it("restores a log as loaded from disk", () => {
    const topics = new TopicLogs(10);
    topics.restore("events", "Events", [message(7), message(8)]);
    expect(topics.messages("Events", 8).map((m) => m.messageId)).toEqual(["m8"]);
    expect(topics.snapshot()).toEqual([{ name: "Events", messages: [message(7), message(8)] }]);
  });
});
