// Deployment checks of issue 7 (no Bicep compiler or Azure here): the real templates pass every check, and each
// check fails on a deliberately broken copy of them.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS, type SettingSpec } from "../../../shared/config";
import { loadTemplates, type TemplateSet } from "./bicepReader";
import { checkHostJson, checkJobsQueue } from "./hostAndQueueChecks";
import {
  checkApiVersions, checkNoPlainSecrets, checkRequiredSettings, checkRoleAssignments, FUNCTION_APP_FILE, provisionedAppSettings,
} from "./infraChecks";

const ROOT = path.resolve(__dirname, "../../..");
const templates = loadTemplates(path.join(ROOT, "infra"));
const hostJson = readFileSync(path.join(ROOT, "host.json"), "utf8");

/** A copy of the templates with `from` replaced by `to` in `file`; throws if `from` is not there (no silent pass). */
function broken(file: string, from: string | RegExp, to: string): TemplateSet {
  const text = templates.get(file);
  if (text === undefined) throw new Error(`no template ${file}`);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing matched ${String(from)}`);
  return new Map(templates).set(file, next);
}

function brokenHost(mutate: (h: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any -- host.json is free-form JSON
  const h = JSON.parse(hostJson) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
  mutate(h);
  return JSON.stringify(h);
}

describe("infra: the real templates", () => {
  it("provision every requiredInAzure setting of shared/config.ts", () => {
    const required = SETTINGS.filter((s) => s.requiredInAzure).map((s) => s.name);
    expect(required.length).toBeGreaterThan(5);
    const provisioned = provisionedAppSettings(templates).settings;
    expect(required.filter((n) => !provisioned.has(n))).toEqual([]);
    expect(checkRequiredSettings(templates)).toEqual([]);
  });
  it("grant every role the code needs, at the narrow scope, and nothing broad", () => {
    expect(checkRoleAssignments(templates)).toEqual([]);
  });
  it("pass no secret as a plain app setting", () => {
    expect(checkNoPlainSecrets(templates)).toEqual([]);
  });
  it("use only researched API versions", () => {
    expect(checkApiVersions(templates)).toEqual([]);
  });
  it("configure the jobs queue for redelivery, dead-lettering and duplicate detection", () => {
    expect(checkJobsQueue(templates)).toEqual([]);
  });
  it("ship a host.json whose durableTask/serviceBus settings are documented and sane", () => {
    expect(checkHostJson(hostJson, templates)).toEqual([]);
  });
  it("use the container names shared/config.ts defaults to", () => {
    const provisioned = provisionedAppSettings(templates).settings;
    for (const s of SETTINGS.filter((x) => x.name.endsWith("_CONTAINER")) as readonly SettingSpec[]) {
      const value = provisioned.get(s.name)?.value ?? "";
      const resolved = /^containers\.(\w+)$/.exec(value)?.[1];
      const literal = resolved ? new RegExp(`${resolved}: '([^']+)'`).exec(templates.get("main.bicep") ?? "")?.[1] : undefined;
      expect(literal, s.name).toBe(s.default);
    }
  });
});

describe("infra checks fail on broken templates", () => {
  it("(a) a required setting that is not provisioned", () => {
    const set = broken("main.bicep", /\n\s*JOBFLOW_KEY_VAULT_URL: keyVault\.outputs\.uri/, "");
    expect(checkRequiredSettings(set)).toEqual([expect.stringContaining("JOBFLOW_KEY_VAULT_URL")]);
  });
  it("(a) a setting newly declared requiredInAzure in the config module", () => {
    const settings: SettingSpec[] = [...SETTINGS, { name: "JOBFLOW_SOMETHING_NEW", description: "", requiredInAzure: true }];
    expect(checkRequiredSettings(templates, settings)).toEqual([expect.stringContaining("JOBFLOW_SOMETHING_NEW")]);
  });
  it("(a) a worker-runtime setting Flex Consumption rejects", () => {
    const set = broken(FUNCTION_APP_FILE, "AzureWebJobsStorage__credential: 'managedidentity'", "AzureWebJobsStorage__credential: 'managedidentity'\n      FUNCTIONS_WORKER_RUNTIME: 'node'");
    expect(checkRequiredSettings(set)).toEqual([expect.stringContaining("FUNCTIONS_WORKER_RUNTIME")]);
  });
  it("(b) a role assigned at the wrong scope", () => {
    const set = broken("modules/rbac/app-core.bicep", "roles.serviceBusDataReceiver)\n  scope: jobsQueue", "roles.serviceBusDataReceiver)\n  scope: namespace");
    expect(checkRoleAssignments(set)).toEqual([expect.stringContaining("jobs queue trigger")]);
  });
  it("(b) a custom role missing an action the code needs", () => {
    const set = broken("main.bicep", /\n\s*'Microsoft\.HDInsight\/clusters\/delete'.*/, "");
    expect(checkRoleAssignments(set)).toEqual([expect.stringContaining("HDInsight create/get/list/delete")]);
  });
  it("(b) a wrong built-in role id, a broad role and a wildcard action", () => {
    const wrongId = broken("roles.json", "4633458b-17de-408a-b874-0445c86b69e6", "00000000-17de-408a-b874-0445c86b69e6");
    expect(checkRoleAssignments(wrongId).join("\n")).toMatch(/keyVaultSecretsUser[\s\S]*read secrets by name/);
    const contributor = broken("modules/rbac/app-core.bicep", "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)",
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')");
    expect(checkRoleAssignments(contributor).join("\n")).toMatch(/Owner\/Contributor/);
    const wildcard = broken("main.bicep", "'Microsoft.HDInsight/clusters/read'", "'Microsoft.HDInsight/clusters/*'");
    expect(checkRoleAssignments(wildcard).join("\n")).toMatch(/wildcard/);
  });
  it("(c) a storage key, a local connection string, shared keys and list*()", () => {
    const key = broken(FUNCTION_APP_FILE, "APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString",
      "APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString\n      DATA: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc=='");
    expect(checkNoPlainSecrets(key)).toEqual([expect.stringContaining("DATA looks like a secret")]);
    const local = broken("main.bicep", "JOBFLOW_TARGET: 'azure'", "JOBFLOW_TARGET: 'azure'\n  JOBFLOW_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true'");
    expect(checkNoPlainSecrets(local).join("\n")).toMatch(/JOBFLOW_STORAGE_CONNECTION_STRING must not be set/);
    const shared = broken("modules/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true");
    expect(checkNoPlainSecrets(shared)).toEqual([expect.stringContaining("allowSharedKeyAccess")]);
    const sas = broken("modules/servicebus.bicep", "output name string = namespace.name", "output name string = namespace.name\noutput k string = namespace.listKeys().primaryKey");
    expect(checkNoPlainSecrets(sas)).toEqual([expect.stringContaining("list*()")]);
  });
  it("(c) but accepts a Key Vault reference", () => {
    const set = broken("main.bicep", "JOBFLOW_TARGET: 'azure'", "JOBFLOW_TARGET: 'azure'\n  S3_SECRET_KEY: '@Microsoft.KeyVault(VaultName=kv;SecretName=s3)'");
    expect(checkNoPlainSecrets(set)).toEqual([]);
  });
  it("(d) an API version or a resource type outside the allow-list", () => {
    const old = broken("modules/keyvault.bicep", "Microsoft.KeyVault/vaults@2023-07-01", "Microsoft.KeyVault/vaults@2015-06-01");
    expect(checkApiVersions(old)).toEqual([expect.stringContaining("Microsoft.KeyVault/vaults@2015-06-01")]);
    const unknown = broken("modules/identity.bicep", "output id string", "resource x 'Microsoft.Sql/servers@2023-08-01' = {\n  name: 'x'\n}\noutput id string");
    expect(checkApiVersions(unknown)).toEqual([expect.stringContaining("Microsoft.Sql/servers")]);
  });
  it("(e) host.json that is not JSON, or has undocumented or unsafe durable/serviceBus settings", () => {
    expect(checkHostJson("{ \"version\": \"2.0\", ")).toEqual([expect.stringContaining("not valid JSON")]);
    expect(checkHostJson(brokenHost((h) => { h.extensions.durableTask.extendedSessionsEnabled = true; }))).toEqual([expect.stringContaining("extendedSessionsEnabled")]);
    expect(checkHostJson(brokenHost((h) => { h.extensions.durableTask.hubName = "%NOT_A_SETTING%"; }))).toEqual([expect.stringContaining("NOT_A_SETTING")]);
    expect(checkHostJson(brokenHost((h) => { h.extensions.durableTask.storageProvider.maxQueuePollingInterval = "10s"; }))).toEqual([expect.stringContaining("maxQueuePollingInterval")]);
    expect(checkHostJson(brokenHost((h) => { h.extensions.serviceBus.messageHandlerOptions = { maxConcurrentCalls: 8 }; }))).toEqual([expect.stringContaining("messageHandlerOptions")]);
    expect(checkHostJson(brokenHost((h) => { delete h.extensions.durableTask.maxConcurrentActivityFunctions; })).join("\n")).toMatch(/maxConcurrentActivityFunctions/);
    expect(checkHostJson(brokenHost((h) => { h.extensions.http.routePrefix = ""; }))).toEqual([expect.stringContaining("routePrefix")]);
  });
  it("(e) a hub name setting the templates do not provision", () => {
    const set = broken("main.bicep", /\n\s*JOBFLOW_TASK_HUB: taskHubName/, "");
    expect(checkHostJson(hostJson, set)).toEqual([expect.stringContaining("do not provision")]);
  });
  it("a jobs queue without dead-lettering semantics or with a too-short duplicate window", () => {
    expect(checkJobsQueue(broken("modules/servicebus.bicep", "maxDeliveryCount: 10", "maxDeliveryCount: 3"))).toEqual([expect.stringContaining("maxDeliveryCount")]);
    expect(checkJobsQueue(broken("modules/servicebus.bicep", "param jobsDuplicateDetectionWindow string = 'P1D'", "param jobsDuplicateDetectionWindow string = 'PT1M'"))).toEqual([expect.stringContaining("duplicateDetectionHistoryTimeWindow")]);
  });
});
