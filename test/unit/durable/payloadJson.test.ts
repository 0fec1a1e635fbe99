// The orchestration trigger payload the engine sends as text (played events' JSON reused across episodes) must be
// byte for byte what serializing the reference payload object gives, episode after episode.
import { describe, expect, it } from "vitest";
import { orchestrationPayload, orchestrationPayloadJson } from "../../../local/host/durable/episode";
import { historyEvent } from "../../../local/host/durable/events";
import { canonicalJson, JsonText, PayloadJsonCache } from "../../../local/host/durable/payloadJson";
import { EventType, type HistoryEvent, type InstanceRecord } from "../../../local/host/durable/types";

const timers = { maxShortTimerMs: 6 * 86_400_000, longTimerIntervalMs: 3 * 86_400_000 };

function record(input: string | null, parent?: InstanceRecord["parent"]): InstanceRecord {
  return {
    instanceId: "job-1",
    name: "Orch",
    executionId: "x1",
    input,
    output: null,
    customStatus: null,
    runtimeStatus: "Running",
    createdTimeMs: 0,
    lastUpdatedTimeMs: 0,
    history: [],
    inbox: [],
    ...(parent ? { parent } : {}),
  };
}

const same = (r: InstanceRecord, history: HistoryEvent[], played: number, cache?: PayloadJsonCache): void =>
  expect(orchestrationPayloadJson(r, history, played, timers, cache).text).toBe(
    JSON.stringify(orchestrationPayload(r, history, played, timers)),
  );

describe("orchestrationPayloadJson", () => {
  it("equals JSON.stringify of the payload object over a growing history, reusing the played events' JSON", () => {
    const r = record(JSON.stringify({ jobId: "j", steps: ["a", "b"], n: 1.5 }));
    const cache = new PayloadJsonCache();
    const history: HistoryEvent[] = [];
    for (let episode = 0; episode < 6; episode++) {
      const played = history.length;
      history.push(historyEvent(EventType.OrchestratorStarted, 1000 * episode));
      if (episode === 0) history.push(historyEvent(EventType.ExecutionStarted, 0, { Name: "Orch", Input: r.input, InstanceId: "job-1" }));
      else history.push(historyEvent(EventType.TaskCompleted, 1000 * episode, { TaskScheduledId: episode - 1, Result: '"ok \\u2028 é"' }));
      same(r, history, played, cache);
      history.push(historyEvent(EventType.TaskScheduled, 1000 * episode, { EventId: episode, Name: "Step", Input: '{"i":1}' }));
      history.push(historyEvent(EventType.OrchestratorCompleted, 1000 * episode));
    }
    expect(cache.size).toBe(1);
  });

  it("rebuilds when the history is not the one it cached (reloaded objects, a new execution, fewer played events)", () => {
    const r = record('{"a":1}');
    const cache = new PayloadJsonCache();
    const history = [historyEvent(EventType.OrchestratorStarted, 1), historyEvent(EventType.ExecutionStarted, 1, { Input: r.input })];
    same(r, history, 0, cache);
    same(r, [...history, historyEvent(EventType.OrchestratorStarted, 2)], 2, cache);
    const reloaded = history.map((e) => ({ ...e, Timestamp: "2030-01-01T00:00:00.000Z" }));
    same(r, [...reloaded, historyEvent(EventType.OrchestratorStarted, 3)], 2, cache); // same length, other objects
    same(r, history, 1, cache); // fewer played than cached
    const next = { ...record('{"b":2}'), executionId: "x2" };
    same(next, [historyEvent(EventType.OrchestratorStarted, 4)], 0, cache);
    same(next, [historyEvent(EventType.OrchestratorStarted, 4), historyEvent(EventType.OrchestratorCompleted, 4)], 1, cache);
    cache.forget("job-1");
    expect(cache.size).toBe(0);
  });

  it("stays within its bound by dropping the instances that ran an episode least recently", () => {
    const cache = new PayloadJsonCache(3_000);
    const histories = new Map<string, HistoryEvent[]>();
    for (let round = 0; round < 4; round++) {
      for (const id of ["a", "b", "c", "d"]) {
        const r = { ...record('{"x":1}'), instanceId: id };
        const h = histories.get(id) ?? [];
        const played = h.length;
        h.push(
          historyEvent(EventType.OrchestratorStarted, round),
          historyEvent(EventType.TaskCompleted, round, { Result: `"${"r".repeat(200)}"` }),
        );
        histories.set(id, h);
        same(r, h, played, cache); // evicted or not, the text is right
        expect(cache.heldChars).toBeLessThanOrEqual(3_000 + 1_000); // at most the running instance's own entry beyond
      }
    }
    expect(cache.size).toBeLessThan(4);
    for (const id of ["a", "b", "c", "d"]) cache.forget(id);
    expect(cache.heldChars).toBe(0);
  });

  it("keeps the key order of events without IsPlayed (loaded from elsewhere) and of parent/null inputs", () => {
    const bare = { EventType: EventType.TimerFired, EventId: -1, Timestamp: "2024-01-01T00:00:00.000Z", TimerId: 3 } as HistoryEvent;
    const r = record(null, { instanceId: "parent-1", executionId: "px", taskScheduledId: 2 });
    same(r, [bare], 0);
    same(r, [bare], 1);
    same(r, [bare, historyEvent(EventType.OrchestratorStarted, 5)], 1);
  });

  it("sends inputs as the reference does: non-JSON text as a string, empty as null, JSON re-serialized canonically", () => {
    for (const input of ["not json", "", '{ "a" : [1, 2.50] }', '"text"', "null", "1e400"]) same(record(input), [], 0);
    expect(canonicalJson('{ "a" : 1 }')).toBe('{"a":1}');
    expect(canonicalJson("oops")).toBe('"oops"');
    expect(canonicalJson(null)).toBe("null");
  });

  it("JsonText serializes back to its value wherever JSON.stringify meets it", () => {
    const t = new JsonText('{"a":[1,{"b":null}]}');
    expect(JSON.stringify({ payload: t })).toBe('{"payload":{"a":[1,{"b":null}]}}');
  });
});
