// Table tests of the cluster's side effects merged into one activity input (shared/workflow/clusterSideEffects.ts):
// consecutive decider commands become one input in their order, the ledger saved once (whole), nothing asked → no
// call; and the retry schedule of the parts that failed (15 s doubling, at most 5 minutes, 6 calls as cloudRetry).
import { describe, expect, it } from "vitest";
import { newLedger } from "../../../shared/cost/ledger";
import type { ClusterDeciderCommand } from "../../../shared/workflow/clusterDeciderTypes";
import {
  SIDE_EFFECT_ATTEMPTS,
  SIDE_EFFECT_COMMANDS,
  hasSideEffects,
  sideEffectRetryDelayMs,
  sideEffectsOf,
} from "../../../shared/workflow/clusterSideEffects";

const ledger = newLedger({ clusterName: "jf-c1", profile: "default", profileHash: "h", region: "westeurope", creator: "j1", tags: {} });
const ctx = { clusterName: "jf-c1", profileHash: "h", ledger };
const ev = (type: string) => ({ type, subject: "clusters/jf-c1", data: {} });
const ready = { type: "ready" as const, clusterName: "jf-c1" };

describe("sideEffectsOf", () => {
  it.each<[string, ClusterDeciderCommand[], typeof ctx | Omit<typeof ctx, "ledger">, unknown]>([
    [
      "create accepted: ledger, prices, the creating event",
      [{ type: "saveLedger" }, { type: "refreshPrices", region: "westeurope" }, { type: "publish", events: [ev("creating")] }],
      ctx,
      { ledger, prices: { region: "westeurope" }, events: [ev("creating")] },
    ],
    [
      "ready: the event, the notices (one per holder, in order), the provisioning sample",
      [
        { type: "publish", events: [ev("ready")] },
        { type: "notify", to: ["j1", "j2"], notice: ready },
        { type: "recordTiming", kind: "provisioning", ms: 60_000 },
      ],
      ctx,
      {
        events: [ev("ready")],
        notices: [
          { instanceId: "j1", notice: ready },
          { instanceId: "j2", notice: ready },
        ],
        timings: [{ profileHash: "h", clusterName: "jf-c1", kind: "provisioning", ms: 60_000 }],
      },
    ],
    [
      "two publishes and two saves: events concatenated in order, the ledger once",
      [
        { type: "saveLedger" },
        { type: "publish", events: [ev("a")] },
        { type: "saveLedger" },
        { type: "publish", events: [ev("b"), ev("c")] },
      ],
      ctx,
      { ledger, events: [ev("a"), ev("b"), ev("c")] },
    ],
    [
      "a cluster without a cost ledger: a saveLedger alone asks nothing",
      [{ type: "saveLedger" }],
      { clusterName: "jf-c1", profileHash: "h" },
      undefined,
    ],
    ["a price refresh without a region", [{ type: "refreshPrices" }], ctx, { prices: {} }],
    ["commands that are not side effects are ignored", [{ type: "pollStatus" }, { type: "wakeAt", atMs: 1 }], ctx, undefined],
  ])("%s", (_name, commands, context, expected) => {
    expect(sideEffectsOf(commands, context)).toEqual(expected);
  });

  it("every side-effect command the decider has is merged (none left for an activity of its own)", () => {
    expect([...SIDE_EFFECT_COMMANDS].sort()).toEqual(["auditKeepWarm", "notify", "publish", "recordTiming", "refreshPrices", "saveLedger"]);
  });

  it.each([
    [undefined, false],
    [{}, false],
    [{ events: [] }, false],
    [{ edgesOf: "jf-c1" }, true],
    [{ prices: {} }, true],
    [{ notices: [{ instanceId: "j1", notice: ready }] }, true],
  ])("hasSideEffects(%j) = %s", (input, expected) => {
    expect(hasSideEffects(input)).toBe(expected);
  });
});

describe("sideEffectRetryDelayMs", () => {
  it.each([
    [1, 15_000],
    [2, 30_000],
    [3, 60_000],
    [4, 120_000],
    [5, 240_000],
    [6, 300_000],
    [20, 300_000],
  ])("after call %i: %i ms", (attempt, ms) => {
    expect(sideEffectRetryDelayMs(attempt)).toBe(ms);
  });

  it("at most as many calls as cloudRetry made attempts of each part", () => {
    expect(SIDE_EFFECT_ATTEMPTS).toBe(6);
  });
});
