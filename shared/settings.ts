// Every app setting Jobflow reads, declared once as data (name, description, default, whether Azure needs it):
// the catalogue config.ts's loadConfig() reads through, the infrastructure test (issue 7) checks the Bicep
// templates against, and the local stack and the policy functions read their settings' defaults from. A new
// setting is added here, never read ad hoc from process.env.

export type Target = "local" | "azure";

export interface SettingSpec {
  name: string;
  description: string;
  /** Default when unset (both targets). */
  default?: string;
  /** Must be set when JOBFLOW_TARGET=azure (the Bicep templates must provision it). */
  requiredInAzure: boolean;
  /** Provisioned by the platform/templates under a different mechanism (e.g. identity-based connection). */
  kind?: "plain" | "identity-connection";
}

export const SETTINGS = [
  { name: "JOBFLOW_TARGET", description: "local (sandbox + Azurite) or azure", default: "local", requiredInAzure: true },
  {
    name: "AZURE_SUBSCRIPTION_ID",
    description: "Subscription holding the clusters and edge VMs",
    default: "00000000-0000-0000-0000-000000000000",
    requiredInAzure: true,
  },
  { name: "AZURE_TENANT_ID", description: "Entra tenant (used for ABFS MSI config and token audience)", requiredInAzure: true },
  { name: "AZURE_CLIENT_ID", description: "Client id of the app's user-assigned managed identity", requiredInAzure: true },
  {
    name: "JOBFLOW_RESOURCE_GROUP",
    description: "Resource group where clusters are created",
    default: "jobflow-local",
    requiredInAzure: true,
  },
  {
    name: "JOBFLOW_REAPER_RESOURCE_GROUPS",
    description: "Comma-separated resource groups the reaper watches (default: JOBFLOW_RESOURCE_GROUP)",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_LOCATION", description: "Azure region for clusters", default: "westeurope", requiredInAzure: true },
  { name: "JOBFLOW_ARM_ENDPOINT", description: "ARM base URL", default: "https://management.azure.com", requiredInAzure: false },
  {
    name: "JOBFLOW_GATEWAY_URL_TEMPLATE",
    description: "Cluster gateway base URL; {cluster} is replaced by the cluster name",
    default: "https://{cluster}.azurehdinsight.net",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_CA_CERT_PATH",
    description: "Extra CA certificate (PEM) trusted by the SDK clients (the sandbox's CA locally)",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_KEY_VAULT_URL", description: "Key Vault holding gateway passwords, S3 keys and webhook secrets", requiredInAzure: true },
  {
    name: "JOBFLOW_STORAGE_BLOB_URL",
    description: "Blob endpoint of Jobflow's own storage (job records, logs, config bundles)",
    requiredInAzure: true,
  },
  {
    name: "JOBFLOW_STORAGE_CONNECTION_STRING",
    description: "Local only: Azurite connection string (Azure uses the managed identity)",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_SERVICE_BUS_NAMESPACE", description: "Fully qualified Service Bus namespace for events", requiredInAzure: true },
  {
    name: "ServiceBusConnection__fullyQualifiedNamespace",
    description: "Identity-based connection of the jobs queue trigger",
    requiredInAzure: true,
    kind: "identity-connection",
  },
  { name: "JOBFLOW_JOBS_QUEUE", description: "Service Bus queue of job submissions", default: "jobs", requiredInAzure: false },
  { name: "JOBFLOW_EVENTS_TOPIC", description: "Service Bus topic for CloudEvents", default: "jobflow-events", requiredInAzure: false },
  { name: "JOBFLOW_TASK_HUB", description: "Durable Functions task hub name", default: "jobflow", requiredInAzure: true },
  {
    name: "JOBFLOW_EDGE_RESOURCE_GROUP",
    description: "Resource group of the registered edge VMs",
    default: "jobflow-local",
    requiredInAzure: true,
  },
  { name: "JOBFLOW_EDGE_VMS", description: "Comma-separated names of the registered edge VMs", default: "", requiredInAzure: true },
  { name: "JOBFLOW_REAPER_SCHEDULE", description: "NCRONTAB schedule of the reaper", default: "0 */5 * * * *", requiredInAzure: false },
  {
    name: "JOBFLOW_REAPER_DRY_RUN",
    description: "true = report reaper decisions without deleting",
    default: "false",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_CONSOLE_AUTH",
    description: "Console sign-in: local (one-time login URL → session cookie) or entra (App Service Authentication principal)",
    default: "local",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_CONSOLE_SECRET",
    description: "HMAC key of console login tokens, session cookies and CSRF tokens (≥ 32 characters; a Key Vault reference in Azure)",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_WEBHOOK_CALLERS",
    description: "Comma-separated caller ids allowed to request compute (secret per caller in Key Vault: webhook-<caller>)",
    default: "",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_NOTIFY_SECRET_NAME",
    description: "Secret (Key Vault) whose value signs job notify.webhook deliveries (HMAC-SHA256)",
    default: "webhook-notify",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_WEBHOOK_SUBSCRIPTION",
    description: "Subscription of the events topic that feeds job notify.webhook deliveries",
    default: "jobflow-webhooks",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_JOB_SECRET_PREFIXES",
    description:
      "Comma-separated secret name prefixes a job may reference (data.s3a.credentialsSecret); platform secrets (gateway, SSH, webhook-*, console-*) are refused whatever this says",
    default: "data-,s3-",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_JOB_SECRET_NAMES",
    description: "Comma-separated exact secret names a job may reference besides JOBFLOW_JOB_SECRET_PREFIXES",
    default: "",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_WEBHOOK_ALLOW_HOSTS",
    description:
      "Comma-separated host or host:port that notify.webhook and lease callbackUrl may target although not public (http allowed): local test receivers only; empty in Azure",
    default: "",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_PRICES_URL",
    description: "Azure Retail Prices API endpoint (the sandbox's /api/retail/prices locally)",
    default: "https://prices.azure.com/api/retail/prices",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_PRICES_CURRENCY",
    description: "Currency of cost figures (ISO 4217; the Retail Prices API converts from USD)",
    default: "USD",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_PRICES_REFRESH_HOURS",
    description: "Age after which the price book cached in Blob is fetched again",
    default: "24",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_PROFILES_PATH", description: "Folder or blob prefix with extra cluster profiles", requiredInAzure: false },
  // Provisioned by infra/ (issue 7): the cluster identity, data lake and subnet the profiles reference, and the
  // names of Jobflow's own blob containers (pre-created by the templates; the app's data role is scoped to them).
  {
    name: "JOBFLOW_CLUSTER_IDENTITY_ID",
    description: "ARM id of the user-assigned identity clusters use for ADLS Gen2 (Storage Blob Data Owner on the data lake)",
    requiredInAzure: true,
  },
  {
    name: "JOBFLOW_DATA_LAKE_ACCOUNT",
    description: "ADLS Gen2 account name clusters use as default storage (the profiles' {storageAccount})",
    requiredInAzure: true,
  },
  {
    name: "JOBFLOW_CLUSTER_SUBNET_ID",
    description: "ARM id of the subnet clusters and edge VMs share (unset = clusters without a VNet)",
    requiredInAzure: false,
  },
  {
    name: "JOBFLOW_JOBS_CONTAINER",
    description: "Blob container of job, lease and schedule records",
    default: "jobs",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_LOGS_CONTAINER", description: "Blob container of step logs", default: "logs", requiredInAzure: false },
  {
    name: "JOBFLOW_BUNDLES_CONTAINER",
    description: "Blob container of cluster client-config bundles handed to edge VMs",
    default: "bundles",
    requiredInAzure: false,
  },
  { name: "JOBFLOW_AUDIT_CONTAINER", description: "Blob container of reaper audit records", default: "audit", requiredInAzure: false },
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]["name"];
