// The trace carrier across the Durable boundary (functions/runtime/traceCarrier.ts): attach/strip on inputs of
// every shape, and the rewrite of an orchestrator's returned actions — deterministic, nested compound actions
// included, timers and events untouched.
import { describe, expect, it } from "vitest";
import {
  carrierOf,
  cleanCarrier,
  rewriteOrchestratorState,
  splitCarrier,
  withCarrier,
  type TraceCarrier,
} from "../../../functions/runtime/traceCarrier";

const TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const carrier: TraceCarrier = { traceparent: TP, jobId: "j-1", instanceId: "j-1", orchestration: "jobRun" };

describe("withCarrier / splitCarrier", () => {
  it.each([
    ["an object", { clusterName: "c" }],
    ["an array", [{ type: "t" }]],
    ["an empty object", {}],
  ])("round-trips %s", (_what, input) => {
    const carried = withCarrier(input, carrier);
    expect(carrierOf(carried)).toEqual(carrier);
    expect(splitCarrier(carried)).toEqual({ input, carrier });
  });
  it.each([
    ["a string", '"abc"'],
    ["a number", 3],
    ["null", null],
    ["undefined", undefined],
  ])("leaves %s alone", (_what, input) => {
    expect(withCarrier(input, carrier)).toBe(input);
    expect(splitCarrier(input)).toEqual({ input });
  });
  it("leaves inputs alone without a carrier, and strips one whose content is junk", () => {
    const input = { a: 1 };
    expect(withCarrier(input, undefined)).toBe(input);
    expect(splitCarrier({ a: 1, $trace: 42 })).toEqual({ input: { a: 1 } });
  });
  it("keeps an object input that happens to have an $input field besides others", () => {
    expect(splitCarrier({ $trace: carrier, $input: 1, other: 2 })).toEqual({ input: { $input: 1, other: 2 }, carrier });
  });
});

describe("cleanCarrier", () => {
  it("keeps known string fields and drops a malformed traceparent", () => {
    expect(cleanCarrier({ traceparent: "00-zz", jobId: "j", extra: "x", clusterName: 5 })).toEqual({ jobId: "j" });
    expect(cleanCarrier({ traceparent: TP })).toEqual({ traceparent: TP });
    expect(cleanCarrier({})).toBeUndefined();
    expect(cleanCarrier("x")).toBeUndefined();
  });
});

describe("rewriteOrchestratorState", () => {
  const state = {
    isDone: false,
    schemaVersion: 1,
    actions: [
      [
        { actionType: 0, functionName: "saveJobRecord", input: { record: { id: "j-1" } } },
        { actionType: 1, functionName: "publishEvents", input: [{ type: "x" }], retryOptions: {} },
        {
          actionType: 12,
          compoundActions: [
            { actionType: 2, functionName: "edgeSync", input: { vm: "dss" }, instanceId: "edge-dss-1" },
            { actionType: 5, fireAt: "2026-01-01T00:00:00Z", isCanceled: false },
          ],
        },
        { actionType: 6, functionName: "cancel" },
        { actionType: 4, input: { clusterName: "c", $trace: { traceparent: "00-11111111111111111111111111111111-2222222222222222-01" } } },
      ],
    ],
  };

  it("puts the orchestration's carrier on every activity, sub-orchestration and continue-as-new input", () => {
    const out = rewriteOrchestratorState(state, carrier);
    const [save, publish, all, wait, cont] = out.actions[0] as Record<string, unknown>[];
    expect(save.input).toEqual({ record: { id: "j-1" }, $trace: carrier });
    expect(publish.input).toEqual({ $trace: carrier, $input: [{ type: "x" }] });
    const [sub, timer] = all.compoundActions as Record<string, unknown>[];
    expect(sub.input).toEqual({ vm: "dss", $trace: carrier });
    expect(timer).toBe(state.actions[0][2].compoundActions?.[1]);
    expect(wait).toBe(state.actions[0][3]);
    expect(cont.input).toEqual({ clusterName: "c", $trace: carrier }); // the old execution's carrier is replaced
  });
  it("is deterministic and does not touch the SDK's objects", () => {
    const before = JSON.stringify(state);
    expect(JSON.stringify(rewriteOrchestratorState(state, carrier))).toBe(JSON.stringify(rewriteOrchestratorState(state, carrier)));
    expect(JSON.stringify(state)).toBe(before);
  });
  it("returns the state as is without a carrier or without actions", () => {
    expect(rewriteOrchestratorState(state, undefined)).toBe(state);
    const done = { isDone: true, output: 1 };
    expect(rewriteOrchestratorState(done, carrier)).toBe(done);
  });
});
