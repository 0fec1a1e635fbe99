import { describe, expect, it } from "vitest";
import { gatewayUrl, loadConfig, SETTINGS } from "../../shared/config";

describe("config", () => {
  it("defaults to the local sandbox subscription and resource group", () => {
    const c = loadConfig({});
    expect(c.target).toBe("local");
    expect(c.subscriptionId).toBe("00000000-0000-0000-0000-000000000000");
    expect(c.resourceGroup).toBe("jobflow-local");
    expect(c.reaperResourceGroups).toEqual(["jobflow-local"]);
  });
  it("names every missing Azure setting at once", () => {
    const required = SETTINGS.filter((s) => s.requiredInAzure && !("default" in s)).map((s) => s.name);
    expect(() => loadConfig({ JOBFLOW_TARGET: "azure" })).toThrow(required.join(", "));
  });
  it("builds gateway URLs from the template", () => {
    expect(gatewayUrl({ gatewayUrlTemplate: "https://{cluster}.azurehdinsight.net" }, "jf-abc")).toBe("https://jf-abc.azurehdinsight.net");
  });
});
