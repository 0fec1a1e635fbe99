// The one definition of a "live" durable instance, used by every route and activity that asks before starting,
// raising an event to or deleting an instance.
import { OrchestrationRuntimeStatus } from "durable-functions";
import { describe, expect, it } from "vitest";
import { LIVE_RUNTIME_STATUSES, isLiveRuntimeStatus } from "../../../shared/states/orchestration";

describe("isLiveRuntimeStatus", () => {
  it.each(Object.values(OrchestrationRuntimeStatus))("%s", (status) => {
    const live = status === "Running" || status === "Pending" || status === "ContinuedAsNew";
    expect(isLiveRuntimeStatus(status)).toBe(live);
    expect(LIVE_RUNTIME_STATUSES.includes(status)).toBe(live);
  });
  it("an unknown instance is not live", () => {
    expect(isLiveRuntimeStatus(undefined)).toBe(false);
  });
});
