// infra/ turns telemetry on in Azure (docs/operations.md): the app settings the Azure Monitor distro reads — the
// connection string from the monitoring module and the AAD authentication string naming the app's identity (local
// auth is disabled on the component) — and no OTLP endpoint that would send telemetry elsewhere. Each check fails
// on a deliberately broken copy of the templates.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { aadClientId, telemetryModeFor } from "../../../functions/runtime/telemetry";
import { loadTemplates, type TemplateSet } from "./bicepReader";
import { FUNCTION_APP_FILE, provisionedAppSettings } from "./infraChecks";

const templates = loadTemplates(path.resolve(__dirname, "../../../infra"));

/** Problems with the telemetry settings the templates provision. */
function checkTelemetrySettings(set: TemplateSet): string[] {
  const { settings, problems } = provisionedAppSettings(set);
  const connection = settings.get("APPLICATIONINSIGHTS_CONNECTION_STRING");
  if (!connection) problems.push("APPLICATIONINSIGHTS_CONNECTION_STRING is not provisioned: telemetry would be off");
  else if (!/connectionString/i.test(connection.value)) problems.push(`APPLICATIONINSIGHTS_CONNECTION_STRING is not the component's connection string: ${connection.value}`);
  const auth = settings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
  // The value as the app sees it, with the identity's client id standing in for the Bicep expression.
  const authValue = auth?.value.replace(/^'|'$/g, "").replace(/\$\{[^}]+\}/g, "00000000-0000-0000-0000-0000000000aa");
  if (aadClientId(authValue) !== "00000000-0000-0000-0000-0000000000aa") {
    problems.push(`APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be ClientId=<the app identity>;Authorization=AAD (local auth is disabled), got ${auth?.value ?? "nothing"}`);
  }
  for (const name of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]) {
    if (settings.has(name)) problems.push(`${name} is set: Azure sends telemetry to Application Insights`);
  }
  return problems;
}

function broken(from: string | RegExp, to: string): TemplateSet {
  const text = templates.get(FUNCTION_APP_FILE) as string;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`nothing matched ${String(from)}`);
  return new Map(templates).set(FUNCTION_APP_FILE, next);
}

describe("infra: telemetry settings", () => {
  it("the real templates turn the Azure Monitor exporter on with the app's identity", () => {
    expect(checkTelemetrySettings(templates)).toEqual([]);
    const settings = provisionedAppSettings(templates).settings;
    expect(telemetryModeFor({ APPLICATIONINSIGHTS_CONNECTION_STRING: settings.get("APPLICATIONINSIGHTS_CONNECTION_STRING")?.value }, undefined)).toBe("azureMonitor");
  });
  it("fails without the connection string", () => {
    expect(checkTelemetrySettings(broken(/^\s*APPLICATIONINSIGHTS_CONNECTION_STRING:.*\n/m, ""))).toEqual([
      "APPLICATIONINSIGHTS_CONNECTION_STRING is not provisioned: telemetry would be off",
    ]);
  });
  it("fails with key authentication or without the authentication string", () => {
    expect(checkTelemetrySettings(broken("Authorization=AAD", "Authorization=Key"))[0]).toMatch(/must be ClientId=<the app identity>;Authorization=AAD/);
    expect(checkTelemetrySettings(broken(/^\s*APPLICATIONINSIGHTS_AUTHENTICATION_STRING:.*\n/m, ""))[0]).toMatch(/got nothing/);
  });
  it("fails when an OTLP endpoint is provisioned too", () => {
    const withOtlp = broken(/^(\s*)(APPLICATIONINSIGHTS_CONNECTION_STRING:.*)$/m, "$1$2\n$1OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com'");
    expect(checkTelemetrySettings(withOtlp)).toEqual(["OTEL_EXPORTER_OTLP_ENDPOINT is set: Azure sends telemetry to Application Insights"]);
  });
});
