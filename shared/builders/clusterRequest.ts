// Effective cluster profile + ownership + lifetime policy → the ARM body of `PUT .../Microsoft.HDInsight/clusters/{name}`
// (reference/azure-apis.md §1). Pure: passwords come in as arguments (an activity reads them from Key Vault just
// before the PUT) and `redactCreateRequest` gives the copy that may be printed or logged.

import type { ClusterCreateParametersExtended, Role, StorageAccount } from "@azure/arm-hdinsight";
import { JobflowError, type Problem } from "../errors";
import type { ClusterProfile } from "../model/profile";

/** Who owns the cluster: exactly one of a job or a compute lease (tag `jobflow-job` / `jobflow-lease`). */
export type ClusterOwnership = { jobId: string; leaseId?: never } | { leaseId: string; jobId?: never };

export interface ClusterLifetimePolicy {
  /** Idle time after the last job before the reaper/cluster orchestration deletes it (0 = at once). */
  keepWarmMinutes: number;
  /** Hard cap on cluster age, counted from createdAt. */
  maxLifetimeMinutes: number;
}

export interface ClusterCredentials {
  gatewayPassword: string;
  sshPassword: string;
}

export interface BuildClusterRequestOptions {
  /** Hash of the effective profile (shared/profiles); identifies compatible warm clusters. */
  profileHash: string;
  /** Creation time, ISO 8601 (the orchestration's currentUtcDateTime): the source of created/expires tags. */
  createdAt: string;
  /** Job tags (DESIGN §5 `tags`); they override profile tags but never the jobflow system tags. */
  jobTags?: Record<string, string>;
  /** Extra ADLS Gen2 accounts (job `data.adls`) wired to the cluster identity as secondary storage. */
  additionalAdlsAccounts?: { name: string; fileSystem?: string; resourceId?: string }[];
}

export const TAG = {
  managed: "jobflow-managed",
  job: "jobflow-job",
  lease: "jobflow-lease",
  createdAt: "jobflow-created-at",
  idleMinutes: "jobflow-idle-minutes",
  expiresAt: "jobflow-expires-at",
  profile: "jobflow-profile",
  keep: "jobflow-keep",
  reap: "jobflow-reap",
} as const;

/** Tags Jobflow sets itself; a profile or job tag of the same name is ignored. */
export const SYSTEM_TAGS: readonly string[] = [TAG.managed, TAG.job, TAG.lease, TAG.createdAt, TAG.idleMinutes, TAG.expiresAt, TAG.profile];

// Azure Resource Manager tag limits (learn.microsoft.com "tag resources": 50 tags, name 512, value 256, and
// names may not contain < > % & \ ? /).
export const AZURE_TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 } as const;
const FORBIDDEN_TAG_NAME_CHARS = /[<>%&\\?/]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export const GATEWAY_PASSWORD_KEY = "restAuthCredential.password";

/** Every way a tag set breaks Azure's limits; pointers are `/tags/<name>`. */
export function tagProblems(tags: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(tags);
  if (names.length > AZURE_TAG_LIMITS.maxTags) {
    problems.push({ pointer: "/tags", message: `at most ${AZURE_TAG_LIMITS.maxTags} tags per resource (got ${names.length})` });
  }
  for (const name of names) {
    const pointer = `/tags/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (name.length === 0 || name.length > AZURE_TAG_LIMITS.maxNameLength) {
      problems.push({ pointer, message: `tag name must be 1-${AZURE_TAG_LIMITS.maxNameLength} characters` });
    }
    if (FORBIDDEN_TAG_NAME_CHARS.test(name)) problems.push({ pointer, message: "tag name may not contain < > % & \\ ? /" });
    if (CONTROL_CHARS.test(name) || CONTROL_CHARS.test(tags[name])) {
      problems.push({ pointer, message: "tag names and values may not contain control characters (CR, LF, NUL, escape)" });
    }
    if (tags[name].length > AZURE_TAG_LIMITS.maxValueLength) {
      problems.push({ pointer, message: `tag value must be at most ${AZURE_TAG_LIMITS.maxValueLength} characters` });
    }
  }
  return problems;
}

function addMinutesIso(iso: string, minutes: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new JobflowError("ValidationError", `createdAt is not an ISO 8601 time: ${iso}`);
  return new Date(ms + minutes * 60_000).toISOString();
}

/** The tag set of DESIGN §2 plus profile and job tags (system tags win). Throws ValidationError past Azure limits. */
export function buildClusterTags(
  profile: ClusterProfile,
  ownership: ClusterOwnership,
  policy: ClusterLifetimePolicy,
  options: Pick<BuildClusterRequestOptions, "profileHash" | "createdAt" | "jobTags">,
): Record<string, string> {
  const createdAtMs = Date.parse(options.createdAt);
  if (Number.isNaN(createdAtMs)) throw new JobflowError("ValidationError", `createdAt is not an ISO 8601 time: ${options.createdAt}`);
  const tags: Record<string, string> = {};
  for (const source of [profile.tags, options.jobTags ?? {}]) {
    for (const [name, value] of Object.entries(source)) if (!SYSTEM_TAGS.includes(name)) tags[name] = value;
  }
  tags[TAG.managed] = "true";
  if (ownership.jobId !== undefined) tags[TAG.job] = ownership.jobId;
  else tags[TAG.lease] = ownership.leaseId;
  tags[TAG.createdAt] = new Date(createdAtMs).toISOString();
  tags[TAG.idleMinutes] = String(policy.keepWarmMinutes);
  tags[TAG.expiresAt] = addMinutesIso(options.createdAt, policy.maxLifetimeMinutes);
  tags[TAG.profile] = options.profileHash;
  const problems = tagProblems(tags);
  if (problems.length > 0) throw new JobflowError("ValidationError", "cluster tags exceed Azure limits", { problems });
  return tags;
}

function role(
  name: "headnode" | "workernode" | "zookeepernode",
  size: { vmSize: string; count: number },
  profile: ClusterProfile,
  sshPassword: string,
): Role {
  const r: Role = {
    name,
    targetInstanceCount: size.count,
    hardwareProfile: { vmSize: size.vmSize },
    osProfile: { linuxOperatingSystemProfile: { username: profile.ssh.username, password: sshPassword } },
  };
  if (profile.network) r.virtualNetworkProfile = { id: profile.network.vnetId, subnet: profile.network.subnetId };
  // Persisted script actions given at create run on every node of the role (and on nodes added later).
  const scripts = (profile.scriptActions ?? []).filter((a) => a.roles.includes(name));
  if (scripts.length) r.scriptActions = scripts.map((a) => ({ name: a.name, uri: a.uri, parameters: a.parameters ?? "" }));
  return r;
}

/** The HDInsight 5.1 Spark create request. Contains the passwords: never log it, log `redactCreateRequest(...)`. */
export function buildClusterCreateRequest(
  profile: ClusterProfile,
  ownership: ClusterOwnership,
  policy: ClusterLifetimePolicy,
  credentials: ClusterCredentials,
  options: BuildClusterRequestOptions,
): ClusterCreateParametersExtended {
  const problems: Problem[] = [];
  if ((ownership.jobId === undefined) === (ownership.leaseId === undefined)) {
    problems.push({ pointer: "/ownership", message: "exactly one of jobId or leaseId" });
  }
  if (!(policy.keepWarmMinutes >= 0)) problems.push({ pointer: "/policy/keepWarmMinutes", message: "must be >= 0" });
  if (!(policy.maxLifetimeMinutes > 0)) problems.push({ pointer: "/policy/maxLifetimeMinutes", message: "must be > 0" });
  if (credentials.gatewayPassword === "") problems.push({ pointer: "/credentials/gatewayPassword", message: "empty" });
  if (credentials.sshPassword === "") problems.push({ pointer: "/credentials/sshPassword", message: "empty" });
  if (problems.length > 0) throw new JobflowError("ValidationError", "invalid cluster request input", { problems });

  const worker = role("workernode", profile.workerNode, profile, credentials.sshPassword);
  if (profile.workerNode.autoscale) {
    worker.autoscaleConfiguration = {
      capacity: {
        minInstanceCount: profile.workerNode.autoscale.minInstanceCount,
        maxInstanceCount: profile.workerNode.autoscale.maxInstanceCount,
      },
    };
  }
  const storageaccounts: StorageAccount[] = [
    {
      name: `${profile.storage.accountName}.dfs.core.windows.net`,
      isDefault: true,
      fileSystem: profile.storage.fileSystem,
      resourceId: profile.storage.resourceId,
      msiResourceId: profile.managedIdentityId,
    },
  ];
  for (const extra of options.additionalAdlsAccounts ?? []) {
    const name = `${extra.name}.dfs.core.windows.net`;
    if (storageaccounts.some((s) => s.name === name)) continue;
    const account: StorageAccount = { name, isDefault: false, fileSystem: extra.fileSystem ?? profile.storage.fileSystem };
    if (extra.resourceId !== undefined) account.resourceId = extra.resourceId;
    account.msiResourceId = profile.managedIdentityId;
    storageaccounts.push(account);
  }

  return {
    location: profile.location,
    tags: buildClusterTags(profile, ownership, policy, options),
    identity: { type: "UserAssigned", userAssignedIdentities: { [profile.managedIdentityId]: {} } },
    properties: {
      clusterVersion: profile.clusterVersion,
      osType: "Linux",
      tier: profile.tier,
      minSupportedTlsVersion: "1.2",
      clusterDefinition: {
        kind: profile.kind,
        componentVersion: { Spark: profile.componentVersion.Spark },
        configurations: {
          gateway: {
            "restAuthCredential.isEnabled": true,
            "restAuthCredential.username": profile.gateway.username,
            [GATEWAY_PASSWORD_KEY]: credentials.gatewayPassword,
          },
        },
      },
      storageProfile: { storageaccounts },
      computeProfile: {
        roles: [
          role("headnode", profile.headNode, profile, credentials.sshPassword),
          worker,
          role("zookeepernode", profile.zookeeperNode, profile, credentials.sshPassword),
        ],
      },
    },
  };
}

/** A secret replaced by its name, for plan output and logs. */
export interface SecretReference {
  secretRef: string;
}

/** A JSON-shaped copy of the request in which secrets are `SecretReference`s instead of strings. */
export type RedactedCreateRequest = Record<string, unknown>;

/**
 * A deep copy of `request` with the gateway and SSH passwords replaced by `{ secretRef }`. The reference names
 * default to "gateway-password"/"ssh-password"; pass the profile's secret names to show where they come from.
 */
export function redactCreateRequest(
  request: ClusterCreateParametersExtended,
  secretNames: { gateway?: string; ssh?: string } = {},
): RedactedCreateRequest {
  const copy = JSON.parse(JSON.stringify(request)) as Record<string, unknown> & ClusterCreateParametersExtended;
  const gatewayRef: SecretReference = { secretRef: secretNames.gateway ?? "gateway-password" };
  const sshRef: SecretReference = { secretRef: secretNames.ssh ?? "ssh-password" };
  const configurations = copy.properties?.clusterDefinition?.configurations as Record<string, Record<string, unknown>> | undefined;
  if (configurations?.gateway && GATEWAY_PASSWORD_KEY in configurations.gateway) configurations.gateway[GATEWAY_PASSWORD_KEY] = gatewayRef;
  for (const r of copy.properties?.computeProfile?.roles ?? []) {
    const linux = r.osProfile?.linuxOperatingSystemProfile as Record<string, unknown> | undefined;
    if (linux && "password" in linux) linux.password = sshRef;
  }
  for (const account of copy.properties?.storageProfile?.storageaccounts ?? []) {
    const a = account as Record<string, unknown>;
    if ("key" in a) a.key = { secretRef: "storage-key" };
    if ("saskey" in a) a.saskey = { secretRef: "storage-sas" };
  }
  return copy;
}
