// The local credential never shows its token; the credential choice follows the target; CloudEvents map onto
// Service Bus messages in structured mode.
import { inspect } from "node:util";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { toServiceBusMessage } from "../../../shared/cloud/azure/serviceBusEvents";
import { createCredential, LOCAL_SANDBOX_TOKEN, StaticTokenCredential } from "../../../shared/cloud/credentials";
import { CLOUD_EVENTS_CONTENT_TYPE, type CloudEvent } from "../../../shared/cloud/events";

describe("credentials", () => {
  it("StaticTokenCredential hands out its token for any scope but never prints it", async () => {
    const credential = new StaticTokenCredential("do-not-print-me", () => 1_000);
    expect(await credential.getToken()).toMatchObject({ token: "do-not-print-me", expiresOnTimestamp: 3_601_000 });
    for (const shown of [
      String(credential),
      JSON.stringify(credential),
      inspect(credential, { depth: 5, showHidden: true }),
      `${credential}`,
    ]) {
      expect(shown).not.toContain("do-not-print-me");
    }
  });

  it("chooses the credential by target", async () => {
    const local = createCredential({ target: "local" });
    expect(local).toBeInstanceOf(StaticTokenCredential);
    expect((await local.getToken("https://management.azure.com/.default"))?.token).toBe(LOCAL_SANDBOX_TOKEN);
    expect(createCredential({ target: "azure", clientId: "11111111-2222-3333-4444-555555555555" })).toBeInstanceOf(
      ManagedIdentityCredential,
    );
    expect(createCredential({ target: "azure" })).toBeInstanceOf(DefaultAzureCredential);
  });
});

describe("toServiceBusMessage", () => {
  it("carries the whole event as body, the id as message id and cloudEvents:* properties", () => {
    const event: CloudEvent = {
      specversion: "1.0",
      id: "evt-1",
      source: "/jobflow/jobs/j1",
      type: "jobflow.job.succeeded",
      subject: "j1",
      time: "2026-11-21T10:00:00Z",
      datacontenttype: "application/json",
      data: { state: "succeeded" },
    };
    expect(toServiceBusMessage(event)).toEqual({
      body: event,
      contentType: CLOUD_EVENTS_CONTENT_TYPE,
      messageId: "evt-1",
      subject: "jobflow.job.succeeded",
      applicationProperties: {
        "cloudEvents:specversion": "1.0",
        "cloudEvents:id": "evt-1",
        "cloudEvents:source": "/jobflow/jobs/j1",
        "cloudEvents:type": "jobflow.job.succeeded",
        "cloudEvents:subject": "j1",
        "cloudEvents:time": "2026-11-21T10:00:00Z",
      },
    });
  });
});
