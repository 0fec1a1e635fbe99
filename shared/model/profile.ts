// A cluster profile: a named, versioned description of an HDInsight cluster shape. Profiles are data (JSON
// documents validated against their schema in shared/profiles); jobs name one and may override a few fields.

export interface RoleSize {
  vmSize: string;
  count: number;
}

/**
 * How the cluster gets the S3A connector: Maven coordinates Spark resolves at submit (`spark.jars.packages`; the
 * cluster needs egress to the repository) or jar URIs on storage the cluster reads (VNet-isolated clusters).
 */
export type S3aConnector = { packages: string[]; repositories?: string[] } | { jars: string[] };

/** S3A committer for writes: directory (default), partitioned, magic, or none (Spark's rename-based commit). */
export type S3aCommitter = "directory" | "partitioned" | "magic" | "none";

export interface S3aProfileSettings {
  /** Absent = no connector: jobs touching s3a:// are refused on this profile. */
  connector?: S3aConnector;
  /** Default "directory". */
  committer?: S3aCommitter;
}

export interface ClusterProfile {
  name: string;
  /** Bumped when the profile changes; part of the profile hash. */
  version: number;
  description?: string;
  location: string;
  /** HDInsight cluster version; only "5.1" is creatable today (4.0/5.0 retired 2025-03-31). */
  clusterVersion: "5.1";
  kind: "spark";
  componentVersion: { Spark: string };
  tier: "Standard";
  headNode: RoleSize;
  workerNode: RoleSize & { autoscale?: { minInstanceCount: number; maxInstanceCount: number } };
  zookeeperNode: RoleSize;
  network?: { vnetId: string; subnetId: string };
  storage: {
    /** ADLS Gen2 account name (without domain). */
    accountName: string;
    fileSystem: string;
    /** ARM id of the storage account. */
    resourceId: string;
  };
  /** ARM id of the user-assigned managed identity the cluster uses for ADLS Gen2 (Storage Blob Data Owner). */
  managedIdentityId: string;
  gateway: GatewayLoginRef;
  ssh: { username: string; /** secret name holding the password */ passwordSecret: string };
  tags: Record<string, string>;
  /** S3A connector and committer for steps that touch s3a:// (see docs/job-spec.md "S3A"). */
  s3a?: S3aProfileSettings;
  /** Scripts run on the nodes of these roles at create time (persisted script actions; EMR bootstrap actions). */
  scriptActions?: ScriptActionSpec[];
}

export interface ScriptActionSpec {
  name: string;
  /** https URL of a bash script. */
  uri: string;
  parameters?: string;
  roles: ("headnode" | "workernode" | "zookeepernode")[];
}

/** Where a cluster's gateway login comes from: the user name and the Key Vault secret holding its password. */
export interface GatewayLoginRef {
  username: string;
  /** secret name holding the password */
  passwordSecret: string;
}

/**
 * A profile as the gateway-login cache needs it: its name (resolved from the catalog on a cache miss, older inputs)
 * or the part of the job's effective profile it needs (carried from the submit: the profile is resolved once).
 */
export type GatewayProfileRef = string | { name: string; gateway: GatewayLoginRef };
