// orchestrations/executionHistory.ts reads the SDK context's private history: it must find raised events by name
// (case-insensitively, as the Durable runtime matches them) and refuse loudly when the SDK's shape changed, rather
// than answer "no events" and let a cancel die with a continueAsNew.
import { describe, expect, it } from "vitest";
import type { OrchestrationContext } from "durable-functions";
import { raisedEventInputs } from "../../../orchestrations/executionHistory";

const contextWith = (state: unknown): OrchestrationContext => ({ df: { state } }) as unknown as OrchestrationContext;

describe("raisedEventInputs", () => {
  it("returns the inputs of EventRaised events of the name, in history order, ignoring other events and names", () => {
    const history = [
      { EventType: 12, Name: "Touch" },
      { EventType: 15, Name: "Cancel", Input: '{"by":"a"}' },
      { EventType: 15, Name: "clusterNotice", Input: "1" },
      { EventType: 4, Name: "cancel" },
      { EventType: 15, Name: "cancel" },
    ];
    expect(raisedEventInputs(contextWith(history), "cancel")).toEqual(['{"by":"a"}', undefined]);
    expect(raisedEventInputs(contextWith(history), "clusterNotice")).toEqual(["1"]);
    expect(raisedEventInputs(contextWith(history), "other")).toEqual([]);
  });

  it("throws when the SDK no longer keeps the history where it is read", () => {
    expect(() => raisedEventInputs(contextWith(undefined), "cancel")).toThrow(/no longer exposes the orchestration history/);
    expect(() => raisedEventInputs(contextWith({}), "cancel")).toThrow(/executionHistory\.ts/);
  });
});
