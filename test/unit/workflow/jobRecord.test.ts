import { describe, expect, it } from "vitest";
import { FALLBACK_PRICE_PER_NODE_HOUR, estimateCost, pricePerNodeHour } from "../../../shared/workflow/jobRecord";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";

describe("cost estimate", () => {
  it("prices VM sizes case-insensitively, and every built-in profile size is in the price table", () => {
    expect(pricePerNodeHour("Standard_E4_v3")).toBe(pricePerNodeHour("STANDARD_E4_V3"));
    for (const p of Object.values(BUILTIN_PROFILES)) {
      for (const role of [p.headNode, p.workerNode, p.zookeeperNode]) expect(pricePerNodeHour(role.vmSize), role.vmSize).not.toBe(FALLBACK_PRICE_PER_NODE_HOUR);
    }
  });

  it("is node-hours × price over the roles", () => {
    const nodes = { head: { vmSize: "Standard_E4_v3", count: 2 }, worker: { vmSize: "Standard_E4_v3", count: 2 }, zookeeper: { vmSize: "Standard_A2_v2", count: 3 } };
    const cost = estimateCost(nodes, 30 * 60_000);
    expect(cost.nodeHours).toBe(3.5);
    expect(cost.amount).toBeCloseTo(2 * 0.5 * 0.48 + 2 * 0.5 * 0.48 + 3 * 0.5 * 0.13, 3);
  });
});
