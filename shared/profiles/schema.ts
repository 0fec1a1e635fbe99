// JSON Schema (2020-12) of a cluster profile document and of the per-job overrides a job may apply to it.
// These schemas are the source of truth for profile files (built-in and JOBFLOW_PROFILES_PATH) and for the
// `cluster.overrides` part of the job schema; the script actions and S3A settings a profile may add are in
// addonSchemas.ts. Pure data: no Node built-ins.
import { KINDS_51 } from "../hdinsight/catalogue";
import { s3aSettingsSchema, scriptActionsSchema } from "./addonSchemas";
const placeholderOr = (body: string) =>
  `^(\\{subscriptionId\\}|[0-9a-fA-F-]{36})/resourceGroups/(\\{resourceGroup\\}|[-\\w.()]{1,90})/providers/${body}$`;

export const VM_SIZE_PATTERN = "^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$";

export const PROFILE_NAME_PATTERN = "^[a-z0-9][a-z0-9-]{0,39}$";

export const LOCATION_PATTERN = "^[a-z][a-z0-9]{1,39}$";

const vmSize = {
  type: "string",
  maxLength: 64,
  pattern: VM_SIZE_PATTERN,
  "x-hint": "an Azure VM size such as Standard_E8_v3",
  description: "Azure VM size of the role's nodes (e.g. Standard_E8_v3).",
} as const;

const workerCount = { type: "integer", minimum: 1, maximum: 500, description: "Number of worker nodes (1-500)." } as const;

export const autoscaleSchema = {
  type: "object",
  additionalProperties: false,
  required: ["minInstanceCount", "maxInstanceCount"],
  description: "Load-based autoscale range of the worker role; minInstanceCount must not exceed maxInstanceCount.",
  properties: {
    minInstanceCount: { ...workerCount, description: "Fewest worker nodes autoscale keeps." },
    maxInstanceCount: { ...workerCount, description: "Most worker nodes autoscale adds." },
  },
} as const;

/** A tag value: ARM's 256 characters, no control characters (CR/LF, NUL, ANSI escapes would forge log lines). */
export const TAG_VALUE_SCHEMA = {
  type: "string",
  maxLength: 256,
  pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
  "x-hint": "at most 256 characters, no control characters (CR, LF, NUL, escape)",
} as const;

const tagsSchema = {
  type: "object",
  maxProperties: 32,
  description: "Azure resource tags (key ≤128 chars, value ≤256 chars). Keys starting with 'jobflow-' are reserved.",
  propertyNames: {
    pattern: "^[A-Za-z0-9][A-Za-z0-9 _.:+=@-]{0,127}$",
    "x-hint": "1-128 letters, digits, spaces or _ . : + = @ -, starting with a letter or digit",
  },
  additionalProperties: TAG_VALUE_SCHEMA,
} as const;

export const TAGS_SCHEMA = tagsSchema;

/** Per-job overrides (`cluster.overrides` in a job document). */
export const overridesSchema = {
  type: "object",
  additionalProperties: false,
  description: "Per-job changes to the named profile. Jobs with different effective profiles never share a warm cluster.",
  properties: {
    workerCount: { ...workerCount, description: "Worker node count (initial count when autoscale is on; must lie inside its range)." },
    workerVmSize: { ...vmSize, description: "VM size of the worker nodes." },
    headVmSize: { ...vmSize, description: "VM size of the two head nodes." },
    autoscale: {
      ...autoscaleSchema,
      type: ["object", "null"],
      description: "Autoscale range of the workers; null turns the profile's autoscale off.",
    },
    location: {
      type: "string",
      pattern: LOCATION_PATTERN,
      "x-hint": "an Azure region name such as westeurope",
      description: "Azure region of the cluster.",
    },
    tags: { ...tagsSchema, description: "Extra tags merged over the profile's tags." },
  },
} as const;

const armId = (provider: string, hint: string, deploymentPlaceholder?: string) =>
  ({
    type: "string",
    maxLength: 1024,
    pattern: deploymentPlaceholder
      ? `^(\\{${deploymentPlaceholder}\\}|/subscriptions/${placeholderOr(provider).slice(1, -1)})$`
      : "^/subscriptions/" + placeholderOr(provider).slice(1),
    "x-hint": `an ARM id of ${hint} ({subscriptionId} and {resourceGroup} placeholders allowed${deploymentPlaceholder ? `, or {${deploymentPlaceholder}}` : ""})`,
  }) as const;

const secretName = { type: "string", pattern: "^[0-9A-Za-z-]{1,127}$", "x-hint": "a Key Vault secret name (letters, digits, -)" } as const;

export const profileSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://jobflow.example/schemas/cluster-profile.json",
  title: "Jobflow cluster profile",
  description: "A named, versioned HDInsight 5.1 Spark cluster shape that jobs refer to by name.",
  type: "object",
  additionalProperties: false,
  required: [
    "name",
    "version",
    "location",
    "clusterVersion",
    "kind",
    "componentVersion",
    "tier",
    "headNode",
    "workerNode",
    "zookeeperNode",
    "storage",
    "managedIdentityId",
    "gateway",
    "ssh",
    "tags",
  ],
  properties: {
    $schema: { type: "string", maxLength: 2048, description: "Optional schema URL for editors." },
    name: {
      type: "string",
      pattern: PROFILE_NAME_PATTERN,
      "x-hint": "1-40 lowercase letters, digits or -",
      description: "Profile name jobs refer to.",
    },
    version: { type: "integer", minimum: 1, maximum: 1000000, description: "Bumped on every change; part of the profile hash." },
    description: { type: "string", maxLength: 1024, description: "Free text; not part of the profile hash." },
    location: {
      type: "string",
      pattern: "^(\\{location\\}|[a-z][a-z0-9]{1,39})$",
      "x-hint": "an Azure region name or {location}",
      description: "Azure region; {location} = JOBFLOW_LOCATION.",
    },
    clusterVersion: { const: "5.1", description: "HDInsight version; only 5.1 is creatable." },
    kind: { const: "spark", description: "Cluster type." },
    componentVersion: {
      type: "object",
      additionalProperties: false,
      required: ["Spark"],
      description: "Component versions.",
      properties: {
        Spark: {
          enum: [...KINDS_51.spark.components.Spark],
          description: "Spark version of HDInsight 5.1 (from the shared HDInsight catalogue).",
        },
      },
    },
    tier: { const: "Standard", description: "HDInsight tier." },
    headNode: {
      type: "object",
      additionalProperties: false,
      required: ["vmSize", "count"],
      description: "Head nodes (always 2).",
      properties: { vmSize, count: { const: 2, description: "HDInsight always runs two head nodes." } },
    },
    workerNode: {
      type: "object",
      additionalProperties: false,
      required: ["vmSize", "count"],
      description: "Worker nodes.",
      properties: { vmSize, count: workerCount, autoscale: autoscaleSchema },
    },
    zookeeperNode: {
      type: "object",
      additionalProperties: false,
      required: ["vmSize", "count"],
      description: "ZooKeeper nodes (always 3).",
      properties: { vmSize, count: { const: 3, description: "HDInsight always runs three ZooKeeper nodes." } },
    },
    network: {
      type: "object",
      additionalProperties: false,
      required: ["vnetId", "subnetId"],
      description: "Virtual network placement (edge VMs must reach it).",
      properties: {
        vnetId: armId("Microsoft.Network/virtualNetworks/[-\\w.]{2,64}", "a virtual network", "clusterVnetId"),
        subnetId: armId("Microsoft.Network/virtualNetworks/[-\\w.]{2,64}/subnets/[-\\w.]{1,80}", "a subnet", "clusterSubnetId"),
      },
    },
    storage: {
      type: "object",
      additionalProperties: false,
      required: ["accountName", "fileSystem", "resourceId"],
      description: "Primary ADLS Gen2 storage, reached with the managed identity.",
      properties: {
        accountName: {
          type: "string",
          pattern: "^(\\{storageAccount\\}|[a-z0-9]{3,24})$",
          "x-hint": "a storage account name (3-24 lowercase letters or digits) or {storageAccount}",
          description: "Storage account name without domain.",
        },
        fileSystem: {
          type: "string",
          pattern: "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$",
          "x-hint": "a container name (3-63 lowercase letters, digits or single -)",
          description: "ADLS Gen2 file system (container).",
        },
        resourceId: armId("Microsoft.Storage/storageAccounts/(\\{storageAccount\\}|[a-z0-9]{3,24})", "a storage account"),
      },
    },
    managedIdentityId: {
      ...armId("Microsoft.ManagedIdentity/userAssignedIdentities/[-\\w]{3,128}", "a user-assigned managed identity", "clusterIdentityId"),
      description: "User-assigned identity with Storage Blob Data Owner on the storage account.",
    },
    gateway: {
      type: "object",
      additionalProperties: false,
      required: ["username", "passwordSecret"],
      description: "Cluster login (Ambari, Livy).",
      properties: {
        username: { type: "string", pattern: "^[a-z][a-z0-9_-]{1,31}$", "x-hint": "a lowercase user name" },
        passwordSecret: secretName,
      },
    },
    ssh: {
      type: "object",
      additionalProperties: false,
      required: ["username", "passwordSecret"],
      description: "SSH user of the nodes.",
      properties: {
        username: { type: "string", pattern: "^[a-z][a-z0-9_-]{1,31}$", "x-hint": "a lowercase user name" },
        passwordSecret: secretName,
      },
    },
    tags: tagsSchema,
    s3a: s3aSettingsSchema,
    scriptActions: scriptActionsSchema,
  },
} as const;
