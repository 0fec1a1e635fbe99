// The compute-lease routes built from RouteDeps (functions/policies/leaseRoutes.ts through createApiRoutes) on the
// in-memory fakes: a signed create starts the lease orchestration with the caller and the fake clock's time, the
// same signature again is a replay (409), an unknown caller or a bad signature creates nothing, and a caller cannot
// renew another caller's lease. test/integration/policies/leases.test.ts runs the routes over real HTTP.
import { describe, expect, it } from "vitest";
import { callerSecretName, signedHeaders } from "../../../shared/policies/webhookSignature";
import type { LeaseOrchestrationInput } from "../../../shared/policies/workflowTypes";
import { ORCHESTRATION } from "../../../shared/workflow/activities";
import { routeHarness } from "./harness";

const CALLER = "partner";
const SECRET = "partner-signing-secret";
const CALLBACK = "https://partner.example.com/leases";

function harness() {
  return routeHarness({
    settings: { JOBFLOW_WEBHOOK_CALLERS: `${CALLER},other`, JOBFLOW_WEBHOOK_ALLOW_HOSTS: "partner.example.com" },
    secrets: { [callerSecretName(CALLER)]: SECRET, [callerSecretName("other")]: "other-secret" },
  });
}

function signed(h: ReturnType<typeof harness>, body: unknown, caller = CALLER, secret = SECRET) {
  const text = JSON.stringify(body);
  return { body: text, headers: { "content-type": "application/json", ...signedHeaders(secret, caller, h.deps.clock.nowMs(), text) } };
}

describe("lease routes from RouteDeps", () => {
  it("starts the lease orchestration for a signed request, then refuses the same signature as a replay", async () => {
    const h = harness();
    const request = signed(h, { profile: "default", durationMinutes: 60, callbackUrl: CALLBACK });
    const created = await h.call("leaseCreate", { path: "compute-requests", ...request });
    expect(created.status).toBe(202);
    const { leaseId } = created.body as { leaseId: string };
    expect(h.durable.started).toHaveLength(1);
    expect(h.durable.started[0]).toMatchObject({ name: ORCHESTRATION.lease, instanceId: leaseId });
    const input = h.durable.started[0].input as LeaseOrchestrationInput;
    expect(input).toMatchObject({ leaseId, caller: CALLER, durationMinutes: 60, profileName: "default" });
    expect(input.requestedAt).toBe(h.deps.clock.now().toISOString());
    const replay = await h.call("leaseCreate", { path: "compute-requests", ...request });
    expect(replay.status).toBe(409);
    expect(h.durable.started).toHaveLength(1);
  });

  it("creates nothing for a caller not allowed or a signature made with another secret", async () => {
    const h = harness();
    const stranger = await h.call("leaseCreate", {
      path: "compute-requests",
      ...signed(h, { profile: "default", durationMinutes: 60, callbackUrl: CALLBACK }, "stranger"),
    });
    expect(stranger.status).toBe(403);
    const forged = await h.call("leaseCreate", {
      path: "compute-requests",
      ...signed(h, { profile: "default", durationMinutes: 60, callbackUrl: CALLBACK }, CALLER, "not-the-secret"),
    });
    expect(forged.status).toBe(401);
    expect(h.durable.started).toEqual([]);
  });

  it("answers another caller's renew with 404 and raises nothing", async () => {
    const h = harness();
    const created = await h.call("leaseCreate", {
      path: "compute-requests",
      ...signed(h, { profile: "default", durationMinutes: 60, callbackUrl: CALLBACK }),
    });
    const { leaseId } = created.body as { leaseId: string };
    h.durable.put({
      instanceId: leaseId,
      name: ORCHESTRATION.lease,
      runtimeStatus: "Running",
      customStatus: { leaseId, caller: CALLER, state: "ready" },
    });
    const renew = await h.call("leaseRenew", {
      path: `compute-requests/${leaseId}/renew`,
      ...signed(h, { durationMinutes: 30 }, "other", "other-secret"),
    });
    expect(renew.status).toBe(404);
    expect(h.durable.raised).toEqual([]);
    const own = await h.call("leaseRenew", { path: `compute-requests/${leaseId}/renew`, ...signed(h, { durationMinutes: 30 }) });
    expect(own.status).toBe(202);
    expect(h.durable.raised).toHaveLength(1);
  });
});
