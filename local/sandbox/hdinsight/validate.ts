// What the HDInsight resource provider checks in a create request, for the fields Jobflow (and the REST spec's
// examples) send. Failures become ARM errors shaped like the RP's: 400 with a code and a message naming the field.
import { ArmError } from "../http";

/** Cluster versions the RP still creates. 3.6, 4.0 and 5.0 are retired (no new clusters). */
const SUPPORTED_VERSIONS = new Set(["5.1"]);
const RETIRED_VERSIONS = new Set(["3.5", "3.6", "4.0", "5.0"]);
const KINDS = new Set(["spark", "hadoop", "hbase", "kafka", "interactivehive"]);
const VM_SIZE = /^(standard_[a-z0-9_]+|small|medium|large|extralarge)$/i;
/** Cluster names double as the DNS label <name>.azurehdinsight.net. */
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,57}[a-zA-Z0-9]$/;

/** The facts the sandbox keeps from a valid create request (the rest is echoed back as sent). */
export interface ValidatedCreate {
  clusterVersion: string;
  kind: string;
  gatewayUsername: string;
  gatewayPassword: string;
  /** Sum of cores, for quotaInfo.coresUsed (rough: a fixed 8 cores per node). */
  nodeCount: number;
}

type Json = Record<string, unknown>;

export function validateClusterName(name: string): void {
  if (!CLUSTER_NAME.test(name)) {
    throw new ArmError(
      400,
      "InvalidClusterName",
      `The cluster name '${name}' is invalid. It must be 3 to 59 characters long, contain only letters, numbers and hyphens, start with a letter and end with a letter or number.`,
    );
  }
}

/** Throws ArmError 400 for the first problem found (all problems in `details`). */
export function validateCreateBody(body: unknown): ValidatedCreate {
  const problems: Array<{ code: string; message: string; target?: string }> = [];
  const fail = (message: string, target: string, code = "InvalidDocumentErrorCode"): void => {
    problems.push({ code, message, target });
  };
  if (!isObject(body)) throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: a JSON object is required.");
  const props = body.properties;
  if (!isObject(props)) throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.");

  const version = typeof props.clusterVersion === "string" ? props.clusterVersion : "";
  const majorMinor = /^(\d+\.\d+)/.exec(version)?.[1] ?? "";
  if (!version) fail("Cluster version is required.", "properties.clusterVersion");
  else if (RETIRED_VERSIONS.has(majorMinor))
    fail(`Cluster version '${version}' has been retired and new clusters cannot be created with it. Supported versions: 5.1.`, "properties.clusterVersion", "UnsupportedClusterVersion");
  else if (!SUPPORTED_VERSIONS.has(majorMinor))
    fail(`Cluster version '${version}' is not supported. Supported versions: 5.1.`, "properties.clusterVersion", "UnsupportedClusterVersion");

  if (props.osType !== undefined && String(props.osType).toLowerCase() !== "linux") fail("Only Linux clusters are supported.", "properties.osType");
  if (props.tier !== undefined && !["standard", "premium"].includes(String(props.tier).toLowerCase())) fail(`Tier '${String(props.tier)}' is invalid.`, "properties.tier");

  const def = isObject(props.clusterDefinition) ? props.clusterDefinition : undefined;
  const kind = typeof def?.kind === "string" ? def.kind : "";
  if (!def) fail("clusterDefinition is required.", "properties.clusterDefinition");
  else if (!KINDS.has(kind.toLowerCase())) fail(`Cluster kind '${kind}' is not supported.`, "properties.clusterDefinition.kind");

  const gateway = isObject(def?.configurations) && isObject(def.configurations.gateway) ? def.configurations.gateway : undefined;
  const enabled = gateway?.["restAuthCredential.isEnabled"];
  const username = gateway?.["restAuthCredential.username"];
  const password = gateway?.["restAuthCredential.password"];
  if (!gateway) fail("Gateway credentials are required: configurations.gateway is missing.", "properties.clusterDefinition.configurations.gateway");
  else {
    // The spec's own examples send the flag both as a boolean and as the string "true": the RP accepts both.
    if (!(enabled === true || (typeof enabled === "string" && enabled.toLowerCase() === "true")))
      fail("'restAuthCredential.isEnabled' must be true (HTTP gateway credentials cannot be disabled).", "gateway.restAuthCredential.isEnabled");
    if (typeof username !== "string" || !username) fail("'restAuthCredential.username' is required.", "gateway.restAuthCredential.username");
    if (typeof password !== "string" || !password) fail("'restAuthCredential.password' is required.", "gateway.restAuthCredential.password");
    else {
      const why = gatewayPasswordProblem(password);
      if (why) fail(`The cluster login password ${why}`, "gateway.restAuthCredential.password");
    }
  }

  validateStorage(body, props, fail);
  const nodeCount = validateRoles(props, fail);
  validateIdentity(body, fail);

  if (problems.length > 0) {
    const first = problems[0];
    const message = first.code === "InvalidDocumentErrorCode" ? `DeploymentDocument 'CsmDocument_2_0' failed the validation. Error: '${first.message}'` : first.message;
    throw new ArmError(400, first.code, message, problems);
  }
  return { clusterVersion: version, kind, gatewayUsername: String(username), gatewayPassword: String(password), nodeCount };
}

/** Portal rule: ≥10 chars, a digit, an upper- and a lower-case letter, a symbol; never ' " ` \ or #. */
export function gatewayPasswordProblem(pw: string): string | undefined {
  if (pw.length < 10) return "must be at least 10 characters long.";
  if (!/\d/.test(pw) || !/[A-Z]/.test(pw) || !/[a-z]/.test(pw) || !/[^A-Za-z0-9]/.test(pw))
    return "must contain at least one digit, one uppercase letter, one lowercase letter and one non-alphanumeric character.";
  if (/['"`\\#]/.test(pw)) return "must not contain the characters ' \" ` \\ or #.";
  return undefined;
}

function validateStorage(body: Json, props: Json, fail: (m: string, t: string) => void): void {
  const profile = isObject(props.storageProfile) ? props.storageProfile : undefined;
  const accounts = Array.isArray(profile?.storageaccounts) ? (profile.storageaccounts as unknown[]) : [];
  if (accounts.length === 0) return fail("At least one storage account is required in storageProfile.storageaccounts.", "properties.storageProfile");
  if (accounts.filter((a) => isObject(a) && a.isDefault === true).length !== 1) fail("Exactly one storage account must be the default (isDefault: true).", "properties.storageProfile");
  accounts.forEach((a, i) => {
    const at = `properties.storageProfile.storageaccounts[${i}]`;
    if (!isObject(a) || typeof a.name !== "string" || !/\.(blob|dfs)\./i.test(a.name)) return fail("Storage account 'name' must be a blob or dfs endpoint host name.", at);
    const isDfs = /\.dfs\./i.test(a.name);
    if (isDfs && typeof a.fileSystem !== "string") fail("An ADLS Gen2 storage account requires 'fileSystem'.", at);
    if (!isDfs && typeof a.container !== "string") fail("A blob storage account requires 'container'.", at);
    if (typeof a.msiResourceId === "string") {
      if (isDfs && a.isDefault === true && typeof a.resourceId !== "string") fail("The default ADLS Gen2 account with msiResourceId also requires 'resourceId'.", at);
      const ids = isObject(body.identity) && isObject(body.identity.userAssignedIdentities) ? Object.keys(body.identity.userAssignedIdentities) : [];
      if (!ids.some((id) => id.toLowerCase() === String(a.msiResourceId).toLowerCase()))
        fail(`The managed identity '${a.msiResourceId}' used for storage must be listed in identity.userAssignedIdentities.`, at);
    } else if (typeof a.key !== "string" || !a.key) fail("A storage account requires either 'key' or 'msiResourceId'.", at);
  });
}

function validateRoles(props: Json, fail: (m: string, t: string) => void): number {
  const compute = isObject(props.computeProfile) ? props.computeProfile : undefined;
  const roles = Array.isArray(compute?.roles) ? (compute.roles as unknown[]) : [];
  const byName = new Map<string, Json>();
  for (const r of roles) if (isObject(r) && typeof r.name === "string") byName.set(r.name.toLowerCase(), r);
  let nodes = 0;
  const check = (name: string, allowed: (n: number) => boolean, rule: string, required: boolean): void => {
    const role = byName.get(name);
    const at = `properties.computeProfile.roles[${name}]`;
    if (!role) {
      if (required) fail(`Role '${name}' is required.`, at);
      else nodes += 3; // the RP adds zookeeper nodes itself when they are omitted
      return;
    }
    const count = role.targetInstanceCount;
    if (typeof count !== "number" || !Number.isInteger(count) || !allowed(count)) fail(`Role '${name}' targetInstanceCount ${String(count)} is invalid: ${rule}.`, at);
    else nodes += count;
    const size = isObject(role.hardwareProfile) ? role.hardwareProfile.vmSize : undefined;
    if (typeof size !== "string" || !VM_SIZE.test(size)) fail(`VM size '${String(size)}' provided is invalid or not supported for role '${name}'.`, at);
    const linux = isObject(role.osProfile) && isObject(role.osProfile.linuxOperatingSystemProfile) ? role.osProfile.linuxOperatingSystemProfile : undefined;
    if (!linux || typeof linux.username !== "string" || !linux.username) return fail(`Role '${name}' requires osProfile.linuxOperatingSystemProfile.username.`, at);
    const keys = isObject(linux.sshProfile) && Array.isArray(linux.sshProfile.publicKeys) ? linux.sshProfile.publicKeys : [];
    if (typeof linux.password === "string") {
      if (!sshPasswordOk(linux.password)) fail("UserPassword for Linux OS Profile must be 10-72 characters long and contain a letter, a digit and a non-alphanumeric character.", at);
    } else if (keys.length === 0) fail(`Role '${name}' requires an SSH password or public key.`, at);
  };
  check("headnode", (n) => n === 2, "a cluster has exactly 2 head nodes", true);
  check("workernode", (n) => n >= 1 && n <= 500, "between 1 and 500", true);
  check("zookeepernode", (n) => n === 3, "a cluster has exactly 3 zookeeper nodes", false);
  for (const name of byName.keys())
    if (!["headnode", "workernode", "zookeepernode", "edgenode"].includes(name)) fail(`Unknown role '${name}'.`, "properties.computeProfile.roles");
  return nodes;
}

function sshPasswordOk(pw: string): boolean {
  return pw.length >= 10 && pw.length <= 72 && /[A-Za-z]/.test(pw) && /\d/.test(pw) && /[^A-Za-z0-9]/.test(pw);
}

function validateIdentity(body: Json, fail: (m: string, t: string) => void): void {
  if (body.identity === undefined) return;
  const identity = body.identity;
  if (!isObject(identity) || typeof identity.type !== "string") return fail("identity.type is required.", "identity");
  const type = identity.type.toLowerCase();
  if (!["none", "systemassigned", "userassigned", "systemassigned, userassigned"].includes(type)) fail(`identity.type '${identity.type}' is invalid.`, "identity.type");
  if (type.includes("userassigned") && (!isObject(identity.userAssignedIdentities) || Object.keys(identity.userAssignedIdentities).length === 0))
    fail("identity.userAssignedIdentities must name at least one identity for type UserAssigned.", "identity.userAssignedIdentities");
}

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
