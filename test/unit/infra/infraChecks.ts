// The deployment checks of issue 7, as functions from templates (and host.json) to a list of problems, so each
// one can be fed a deliberately broken template in the tests. Researched facts (API versions, role ids, host.json
// keys) are tables here, with where they come from; see docs/deploy.md for the reasoning.
import { SETTINGS, type SettingSpec } from "../../../shared/config";
import {
  callArgs, findParams, findResources, findVar, paramSources, parseObject, resolveObject,
  type ResolvedEntry, type ResourceDecl, type TemplateSet,
} from "./bicepReader";

export const FUNCTION_APP_FILE = "modules/functionapp.bicep";

// ------------------------------------------------------------------ (a) + (c) app settings
/** The Function App's app settings (name -> value expression), followed through union/vars/module params. */
export function provisionedAppSettings(set: TemplateSet): { settings: Map<string, ResolvedEntry>; problems: string[] } {
  const config = findResources(set, FUNCTION_APP_FILE).find((r) => r.type === "Microsoft.Web/sites/config" && /name:\s*'appsettings'/.test(r.body));
  if (!config) return { settings: new Map(), problems: [`${FUNCTION_APP_FILE}: no Microsoft.Web/sites/config 'appsettings' resource`] };
  const properties = parseObject(`{${config.body}}`).get("properties");
  if (!properties) return { settings: new Map(), problems: [`${FUNCTION_APP_FILE}: appsettings has no properties`] };
  const unresolved: string[] = [];
  const settings = resolveObject(set, FUNCTION_APP_FILE, properties, unresolved);
  return { settings, problems: unresolved.map((u) => `cannot read app settings from ${u}`) };
}

/** (a) Every SETTINGS entry marked requiredInAzure is provisioned (identity connections count by their prefix). */
export function checkRequiredSettings(set: TemplateSet, settings: readonly SettingSpec[] = SETTINGS): string[] {
  const { settings: provisioned, problems } = provisionedAppSettings(set);
  for (const s of settings) {
    if (!s.requiredInAzure) continue;
    if (!provisioned.has(s.name)) problems.push(`app setting ${s.name} (requiredInAzure in shared/config.ts) is not provisioned`);
  }
  // The identity-based connections the host and triggers need, beside what SETTINGS lists.
  for (const name of ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "ServiceBusConnection__credential", "ServiceBusConnection__clientId"]) {
    if (!provisioned.has(name)) problems.push(`identity-based connection setting ${name} is not provisioned`);
  }
  // Flex Consumption rejects these (runtime and package come from functionAppConfig).
  for (const name of ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"]) {
    if (provisioned.has(name)) problems.push(`app setting ${name} is not allowed on Flex Consumption`);
  }
  return problems;
}

const SECRET_VALUE = /AccountKey=|SharedAccessKey=|SharedAccessSignature=|\bsig=|listKeys\(|listConnectionStrings\(|listSecrets\(|primaryKey|secondaryKey|password/i;
const SECRET_NAME = /(PASSWORD|SECRET|_KEY$|ACCESS_KEY|CONNECTION_STRING$|ConnectionString$)/i;
/** Secret-looking names that are fine: the ingestion endpoint (local auth disabled), not a credential. */
const NAME_EXCEPTIONS = new Set(["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
/** Settings that must never exist in Azure (local-only credentials). */
const LOCAL_ONLY = new Set(["JOBFLOW_STORAGE_CONNECTION_STRING", "AzureWebJobsStorage"]);

/** (c) No secret as a plain app setting: only Key Vault references or identity-based connections. */
export function checkNoPlainSecrets(set: TemplateSet): string[] {
  const { settings, problems } = provisionedAppSettings(set);
  for (const [name, entry] of settings) {
    const keyVaultRef = /@Microsoft\.KeyVault\(/.test(entry.value);
    if (LOCAL_ONLY.has(name)) problems.push(`app setting ${name} must not be set in Azure (use identity-based connections)`);
    if (SECRET_VALUE.test(entry.value) && !keyVaultRef) problems.push(`app setting ${name} looks like a secret: ${entry.value}`);
    if (SECRET_NAME.test(name) && !NAME_EXCEPTIONS.has(name) && !keyVaultRef) problems.push(`app setting ${name} is named like a secret but is not a Key Vault reference`);
    const ident = /^(\w+)$/.exec(entry.value)?.[1];
    if (ident && findParams(set, entry.file).secure.includes(ident)) problems.push(`app setting ${name} is fed from the @secure() parameter ${ident}`);
  }
  for (const [file, text] of set) {
    if (file.endsWith(".bicep") && /\blist(Keys|ConnectionStrings|Secrets)\s*\(/.test(text)) problems.push(`${file}: reads keys with list*(); use identities`);
  }
  for (const r of allResources(set)) {
    if (r.type === "Microsoft.Storage/storageAccounts" && !r.existing && !/allowSharedKeyAccess:\s*false/.test(r.body)) problems.push(`${r.file}: storage account ${r.symbol} must set allowSharedKeyAccess: false`);
    if (r.type === "Microsoft.ServiceBus/namespaces" && !r.existing && !/disableLocalAuth:\s*true/.test(r.body)) problems.push(`${r.file}: Service Bus ${r.symbol} must set disableLocalAuth: true`);
    if (r.type === "Microsoft.KeyVault/vaults" && !r.existing && !/enableRbacAuthorization:\s*true/.test(r.body)) problems.push(`${r.file}: Key Vault ${r.symbol} must use RBAC (enableRbacAuthorization: true)`);
  }
  return problems;
}

export function allResources(set: TemplateSet): ResourceDecl[] {
  return [...set.keys()].filter((f) => f.endsWith(".bicep")).flatMap((f) => findResources(set, f));
}

// ------------------------------------------------------------------ (d) API versions
/**
 * Resource type -> API versions we checked exist and carry the properties we use (Azure REST specs / the
 * published Bicep reference, and the quickstart templates that use them: Azure-Samples functions-quickstart-
 * typescript-azd, azure-quickstart-templates function-app-flex-managed-identities). Looked up 2026-11.
 */
export const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "Microsoft.Resources/resourceGroups": ["2021-04-01"],
  "Microsoft.Authorization/roleDefinitions": ["2022-04-01"],
  "Microsoft.Authorization/roleAssignments": ["2022-04-01"],
  "Microsoft.ManagedIdentity/userAssignedIdentities": ["2023-01-31"],
  "Microsoft.OperationalInsights/workspaces": ["2023-09-01"],
  "Microsoft.Insights/components": ["2020-02-02"],
  // 2023-05-01 has allowSharedKeyAccess, defaultToOAuthAuthentication, isHnsEnabled.
  "Microsoft.Storage/storageAccounts": ["2023-05-01"],
  "Microsoft.Storage/storageAccounts/blobServices": ["2023-05-01"],
  "Microsoft.Storage/storageAccounts/blobServices/containers": ["2023-05-01"],
  // 2024-01-01 (GA) has disableLocalAuth and minimumTlsVersion.
  "Microsoft.ServiceBus/namespaces": ["2024-01-01", "2021-11-01"],
  "Microsoft.ServiceBus/namespaces/queues": ["2024-01-01", "2021-11-01"],
  "Microsoft.ServiceBus/namespaces/topics": ["2024-01-01", "2021-11-01"],
  "Microsoft.ServiceBus/namespaces/topics/subscriptions": ["2024-01-01", "2021-11-01"],
  "Microsoft.KeyVault/vaults": ["2023-07-01"],
  "Microsoft.KeyVault/vaults/secrets": ["2023-07-01"],
  "Microsoft.Network/virtualNetworks": ["2024-05-01"],
  "Microsoft.Network/virtualNetworks/subnets": ["2024-05-01"],
  "Microsoft.Network/networkSecurityGroups": ["2024-05-01"],
  "Microsoft.Compute/virtualMachines": ["2024-07-01"],
  // functionAppConfig (Flex Consumption) needs 2023-12-01 or later.
  "Microsoft.Web/serverfarms": ["2024-04-01", "2023-12-01"],
  "Microsoft.Web/sites": ["2024-04-01", "2023-12-01"],
  "Microsoft.Web/sites/config": ["2024-04-01", "2023-12-01"],
};

/** (d) Every resource type/API version is in the researched allow-list. */
export function checkApiVersions(set: TemplateSet, allow: Readonly<Record<string, readonly string[]>> = API_VERSIONS): string[] {
  const problems: string[] = [];
  for (const r of allResources(set)) {
    const allowed = allow[r.type];
    if (!allowed) problems.push(`${r.file}: resource type ${r.type} (${r.symbol}) is not in the researched allow-list`);
    else if (!r.apiVersion || !allowed.includes(r.apiVersion)) problems.push(`${r.file}: ${r.type}@${r.apiVersion ?? "?"} (${r.symbol}) is not an allowed API version (${allowed.join(", ")})`);
  }
  return problems;
}

// ------------------------------------------------------------------ (b) role assignments
/** Built-in role definition ids (docs "Azure built-in roles"; identical in every tenant). */
export const BUILTIN_ROLES: Readonly<Record<string, string>> = {
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageBlobDelegator: "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  serviceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  serviceBusDataReceiver: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  serviceBusDataOwner: "090c5cfd-751d-490a-894a-3ce6f1109419",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  managedIdentityOperator: "f1a07417-d97a-45cb-824c-7a7467783830",
};
/** Roles the app must never hold: Owner, Contributor, User Access Administrator. */
const FORBIDDEN_ROLES = ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"];

export interface Assignment {
  file: string;
  symbol: string;
  /** Module symbol of the identity that receives the role (appIdentity, clusterIdentity), or the raw expression. */
  principal: string;
  /** Built-in role id, or `custom:<symbol>` with its actions. */
  role: string;
  actions: string[];
  /** Resource type of the scope, or "resourceGroup" when the assignment has no scope property. */
  scopeType: string;
}

/** Every role assignment, with principal, role and scope resolved through modules. */
export function roleAssignments(set: TemplateSet): Assignment[] {
  const roles = JSON.parse(set.get("roles.json") ?? "{}") as Record<string, string>;
  return allResources(set).filter((r) => r.type === "Microsoft.Authorization/roleAssignments" && !r.existing).map((r) => {
    const body = parseObject(`{${r.body}}`);
    const props = parseObject(body.get("properties") ?? "{}");
    const scope = body.get("scope")?.replace(/\[.*\]$/, "");
    const scopeType = scope ? (findResources(set, r.file).find((d) => d.symbol === scope)?.type ?? `unknown:${scope}`) : "resourceGroup";
    const { role, actions } = resolveRole(set, r.file, props.get("roleDefinitionId") ?? "", roles);
    return { file: r.file, symbol: r.symbol, principal: resolvePrincipal(set, r.file, props.get("principalId") ?? ""), role, actions, scopeType };
  });
}

function resolveRole(set: TemplateSet, file: string, expr: string, roles: Record<string, string>): { role: string; actions: string[] } {
  const args = callArgs(expr, "subscriptionResourceId");
  if (args) {
    const key = /^roles\.(\w+)$/.exec(args[1] ?? "")?.[1];
    const literal = /^'([0-9a-f-]{36})'$/.exec(args[1] ?? "")?.[1];
    return { role: (key ? roles[key] : literal) ?? `unresolved:${args[1]}`, actions: [] };
  }
  const custom = /^(\w+)\.id$/.exec(expr);
  if (custom) {
    const def = findResources(set, file).find((d) => d.symbol === custom[1] && d.type === "Microsoft.Authorization/roleDefinitions");
    if (def) return { role: `custom:${def.symbol}`, actions: [...def.body.matchAll(/'((?:Microsoft\.[\w.]+|\*)\/?[^']*)'/g)].map((m) => m[1]).filter((a) => a.includes("/") || a === "*") };
  }
  if (/^\w+$/.test(expr)) {
    const [source] = paramSources(set, file, expr);
    if (source) return resolveRole(set, source.file, source.expr, roles);
  }
  return { role: `unresolved:${expr}`, actions: [] };
}

function resolvePrincipal(set: TemplateSet, file: string, expr: string): string {
  const fromModule = /^(\w+)\.outputs\.principalId$/.exec(expr);
  if (fromModule) return fromModule[1];
  if (/^\w+$/.test(expr) && !findVar(set, file, expr)) {
    const [source] = paramSources(set, file, expr);
    if (source) return resolvePrincipal(set, source.file, source.expr);
  }
  return expr;
}

export interface RoleNeed {
  capability: string;
  principal: "appIdentity" | "clusterIdentity";
  /** A built-in role id, or the actions a custom role must include. */
  role: string | { actions: string[] };
  scopeType: string;
}

/** What the code needs (capability -> role -> scope); docs/deploy.md has the same table with the reasons. */
export const ROLE_NEEDS: readonly RoleNeed[] = [
  { capability: "Functions host blobs (AzureWebJobsStorage)", principal: "appIdentity", role: BUILTIN_ROLES.storageBlobDataOwner, scopeType: "Microsoft.Storage/storageAccounts" },
  { capability: "Durable task hub queues", principal: "appIdentity", role: BUILTIN_ROLES.storageQueueDataContributor, scopeType: "Microsoft.Storage/storageAccounts" },
  { capability: "Durable task hub tables", principal: "appIdentity", role: BUILTIN_ROLES.storageTableDataContributor, scopeType: "Microsoft.Storage/storageAccounts" },
  { capability: "job records, logs, bundles, audit blobs", principal: "appIdentity", role: BUILTIN_ROLES.storageBlobDataContributor, scopeType: "Microsoft.Storage/storageAccounts/blobServices/containers" },
  { capability: "user-delegation SAS for edge bundle links", principal: "appIdentity", role: BUILTIN_ROLES.storageBlobDelegator, scopeType: "Microsoft.Storage/storageAccounts" },
  { capability: "jobs queue trigger", principal: "appIdentity", role: BUILTIN_ROLES.serviceBusDataReceiver, scopeType: "Microsoft.ServiceBus/namespaces/queues" },
  { capability: "publish CloudEvents", principal: "appIdentity", role: BUILTIN_ROLES.serviceBusDataSender, scopeType: "Microsoft.ServiceBus/namespaces/topics" },
  { capability: "forward job events to notify webhooks (topic subscription trigger)", principal: "appIdentity", role: BUILTIN_ROLES.serviceBusDataReceiver, scopeType: "Microsoft.ServiceBus/namespaces/topics" },
  { capability: "read secrets by name", principal: "appIdentity", role: BUILTIN_ROLES.keyVaultSecretsUser, scopeType: "Microsoft.KeyVault/vaults" },
  { capability: "telemetry with Entra ID", principal: "appIdentity", role: BUILTIN_ROLES.monitoringMetricsPublisher, scopeType: "Microsoft.Insights/components" },
  { capability: "HDInsight create/get/list/delete in target groups", principal: "appIdentity", role: { actions: ["Microsoft.HDInsight/clusters/read", "Microsoft.HDInsight/clusters/write", "Microsoft.HDInsight/clusters/delete"] }, scopeType: "resourceGroup" },
  { capability: "attach the cluster identity to clusters", principal: "appIdentity", role: BUILTIN_ROLES.managedIdentityOperator, scopeType: "Microsoft.ManagedIdentity/userAssignedIdentities" },
  { capability: "create clusters in the shared subnet", principal: "appIdentity", role: { actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] }, scopeType: "Microsoft.Network/virtualNetworks/subnets" },
  { capability: "edge Run Command v2", principal: "appIdentity", role: { actions: ["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/runCommands/read", "Microsoft.Compute/virtualMachines/runCommands/write", "Microsoft.Compute/virtualMachines/runCommands/delete"] }, scopeType: "Microsoft.Compute/virtualMachines" },
  { capability: "clusters read/write the data lake (ADLS Gen2)", principal: "clusterIdentity", role: BUILTIN_ROLES.storageBlobDataOwner, scopeType: "Microsoft.Storage/storageAccounts" },
];

/** (b) Each need is met by an assignment with that role at that scope; nothing broader is granted. */
export function checkRoleAssignments(set: TemplateSet, needs: readonly RoleNeed[] = ROLE_NEEDS): string[] {
  const problems: string[] = [];
  const roles = JSON.parse(set.get("roles.json") ?? "{}") as Record<string, string>;
  for (const [key, id] of Object.entries(BUILTIN_ROLES)) {
    if (roles[key] !== undefined && roles[key] !== id) problems.push(`roles.json: ${key} is ${roles[key]}, the built-in role id is ${id}`);
  }
  const assignments = roleAssignments(set);
  for (const a of assignments) {
    if (a.role.startsWith("unresolved") || a.scopeType.startsWith("unknown")) problems.push(`${a.file}: cannot resolve role assignment ${a.symbol} (${a.role}, scope ${a.scopeType})`);
    if (FORBIDDEN_ROLES.includes(a.role)) problems.push(`${a.file}: ${a.symbol} grants Owner/Contributor/User Access Administrator`);
    if (a.actions.some((x) => x === "*" || x.endsWith("/*"))) problems.push(`${a.file}: ${a.symbol} uses a custom role with a wildcard action`);
  }
  for (const need of needs) {
    const met = assignments.some((a) => a.principal === need.principal && a.scopeType === need.scopeType &&
      (typeof need.role === "string" ? a.role === need.role : need.role.actions.every((x) => a.actions.includes(x))));
    if (!met) problems.push(`missing role assignment: ${need.capability} (${need.principal}, ${typeof need.role === "string" ? need.role : need.role.actions.join(" ")}, scope ${need.scopeType})`);
  }
  return problems;
}
