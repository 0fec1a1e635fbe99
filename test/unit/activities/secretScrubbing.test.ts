// The invocation boundary's secret scrubbing (functions/runtime/secretScrub.ts) around factory-built activities:
// with the production wiring of the secret store (recordingSecretStore around it), a cloud error that echoes a
// secret the activity read — in a failure value or in a thrown error — leaves the activity without it.
import { describe, expect, it } from "vitest";
import { createActivities } from "../../../functions/activities/createActivities";
import type { ActivityInvocation } from "../../../functions/activities/activityDeps";
import { recordingSecretStore, scrubbingHandler } from "../../../functions/runtime/secretScrub";
import { JobflowError } from "../../../shared/errors";
import { ACTIVITY, type BeginCreateClusterInput } from "../../../shared/workflow/activities";
import { GATEWAY_PASSWORD, SSH_PASSWORD, activityHarness } from "./harness";

const createInput: BeginCreateClusterInput = {
  clusterName: "jf-c1",
  profileName: "default",
  overrides: {},
  profileHash: "h",
  owner: { jobId: "job-1" },
  keepWarmMinutes: 0,
  maxLifetimeMinutes: 60,
  createdAt: "2026-01-01T00:00:00.000Z",
  jobTags: {},
  adlsAccounts: [],
};

function scrubbedCreate() {
  const h = activityHarness();
  const activities = createActivities({ ...h.deps, secrets: recordingSecretStore(() => h.cloud.secrets) });
  const invocation: ActivityInvocation = { durableClient: () => h.durable.asClient() };
  const handler = scrubbingHandler((input) => activities[ACTIVITY.beginCreateCluster](input as BeginCreateClusterInput, invocation), true);
  return { h, run: () => handler(createInput) as Promise<unknown> };
}

describe("secret scrubbing around factory-built activities", () => {
  it("a permanent failure echoing the request body comes back without the passwords it carried", async () => {
    const { h, run } = scrubbedCreate();
    h.cloud.clusters.failNext(
      "beginCreate",
      new JobflowError("ValidationError", `InvalidParameter: password '${SSH_PASSWORD}' / '${GATEWAY_PASSWORD}' rejected`, {
        statusCode: 400,
      }),
    );
    const result = JSON.stringify(await run());
    expect(result).toContain("InvalidParameter");
    expect(result).not.toContain(SSH_PASSWORD);
    expect(result).not.toContain(GATEWAY_PASSWORD);
  });

  it("a transient error thrown for a retry is scrubbed too", async () => {
    const { h, run } = scrubbedCreate();
    h.cloud.clusters.failNext(
      "beginCreate",
      new JobflowError("TransientError", `upstream reset while sending ${GATEWAY_PASSWORD}`, { statusCode: 502 }),
    );
    const err = (await run().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^\[transient\] upstream reset/);
    expect(err.message).not.toContain(GATEWAY_PASSWORD);
  });
});
