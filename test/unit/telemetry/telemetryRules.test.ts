// Pure parts of the telemetry set-up: which exporter the environment selects, the managed identity of the
// Application Insights auth string, which Azure endpoint a throttled request went to, the ids an input names, and
// the error text that may go on a span or a log line.
import { describe, expect, it } from "vitest";
import { aadClientId, telemetryModeFor } from "../../../functions/runtime/telemetry";
import { endpointKind } from "../../../functions/runtime/telemetryMetrics";
import { idsFromInput, safeMessage } from "../../../functions/runtime/telemetryHooks";

describe("telemetryModeFor", () => {
  it.each([
    [{}, undefined, "off"],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x" }, undefined, "azureMonitor"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, undefined, "otlp"],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }, undefined, "otlp"],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c" }, undefined, "azureMonitor"],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: "  " }, undefined, "off"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c" }, { spanProcessors: [{} as never] }, "embedded"],
    [{}, { spanProcessors: [] }, "off"],
  ])("%j (embedded %j) → %s", (env, embedded, mode) => {
    expect(telemetryModeFor(env, embedded)).toBe(mode);
  });
});

describe("aadClientId", () => {
  it.each([
    ["ClientId=abc;Authorization=AAD", "abc"],
    ["Authorization=AAD", ""],
    ["authorization=aad; clientid=xyz", "xyz"],
    ["Authorization=Key", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s → %s", (text, id) => {
    expect(aadClientId(text)).toBe(id);
  });
});

describe("endpointKind", () => {
  it.each([
    [
      "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.HDInsight/clusters/c?api-version=2021-06-01",
      "arm",
    ],
    ["https://127.0.0.1:4443/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v/runCommands/r", "arm"],
    ["https://c.azurehdinsight.net/livy/batches", "gateway"],
    ["https://127.0.0.1:4443/gateway/c/ws/v1/cluster/apps", "gateway"],
    ["https://kv.vault.azure.net/secrets/gw?api-version=7.5", "keyvault"],
    ["https://acct.blob.core.windows.net/jobs/x.json", "storage"],
    ["not a url", "other"],
  ])("%s → %s", (url, kind) => {
    expect(endpointKind(url)).toBe(kind);
  });
});

describe("idsFromInput", () => {
  it.each([
    [
      { jobId: "j", clusterName: "c", stepId: "s" },
      { jobId: "j", clusterName: "c", stepId: "s" },
    ],
    [
      { owner: { jobId: "j" }, clusterName: "c" },
      { jobId: "j", clusterName: "c" },
    ],
    [{ owner: { leaseId: "l" } }, { leaseId: "l" }],
    [{ record: { id: "j", cluster: { name: "c" } } }, { jobId: "j", clusterName: "c" }],
    [
      { jobId: "j", step: { id: "s" } },
      { jobId: "j", stepId: "s" },
    ],
    [
      { clusterName: "c", batchId: 3, finishIfEnded: { jobId: "j", stepId: "s", attempt: 1 } },
      { jobId: "j", clusterName: "c", stepId: "s" },
    ],
    [[{ jobId: "j" }], {}],
    ["x", {}],
  ])("%j → %j", (input, ids) => {
    expect(idsFromInput(input)).toEqual(ids);
  });
});

describe("safeMessage", () => {
  it("cuts SAS signatures, keys and tokens out of URLs, keeps the first line, caps the length", () => {
    const err = new Error("GET https://a.blob.core.windows.net/c/b?sv=2024&sig=SECRETSIG&se=x failed\nstack");
    expect(safeMessage(err)).toBe("Error: GET https://a.blob.core.windows.net/c/b?sv=2024&sig=REDACTED&se=x failed");
    expect(safeMessage("POST /api/jobs?code=FUNCTIONKEY")).toBe("POST /api/jobs?code=REDACTED");
    expect(safeMessage("x".repeat(900)).length).toBe(500);
  });
});
