// What the HDInsight resource provider checks in a create request. Versions, kinds, component versions, VM sizes
// per role and regions come from the shared HDInsight 5.1 catalogue (shared/hdinsight), the same one Jobflow's
// profile validation uses. Failures become ARM errors shaped like the RP's: 400 with a code and a message naming
// the field, every problem in `details`.
import { ArmError } from "../http";
import { clusterVersionProblem, componentVersionProblems, kindOffer, locationProblem } from "../../../shared/hdinsight/checks";
import { isObject, validateRoles } from "./validateRoles";

export { isObject } from "./validateRoles";

/** Cluster names double as the DNS label <name>.azurehdinsight.net. */
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,57}[a-zA-Z0-9]$/;
/** A storage account given by name only ("mystorage", as a published example does) or by its blob / dfs host. */
const STORAGE_NAME = /^([a-z0-9]{3,24})(\.(blob|dfs)\.core\.windows\.net)?$/i;

/** The facts the sandbox keeps from a valid create request (the rest is echoed back as sent, without secrets). */
export interface ValidatedCreate {
  clusterVersion: string;
  kind: string;
  gatewayUsername: string;
  gatewayPassword: string;
  /** Node count, for quotaInfo.coresUsed (rough: a fixed 8 cores per node). */
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

/** ARM itself refuses a region the resource type is not offered in, before the RP sees the request. */
export function validateLocation(location: unknown): void {
  if (location === undefined) return;
  const why = typeof location === "string" ? locationProblem(location) : "The location must be a string.";
  if (why) throw new ArmError(400, "LocationNotAvailableForResourceType", why);
}

/** Throws ArmError 400 naming the first problem found (all problems in `details`). */
export function validateCreateBody(body: unknown): ValidatedCreate {
  const problems: Array<{ code: string; message: string; target?: string }> = [];
  const fail = (message: string, target: string, code = "InvalidDocumentErrorCode"): void => {
    problems.push({ code, message, target });
  };
  if (!isObject(body)) throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: a JSON object is required.");
  validateLocation(body.location);
  const props = body.properties;
  if (!isObject(props)) throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.");

  const version = typeof props.clusterVersion === "string" ? props.clusterVersion : "";
  const versionWhy = version ? clusterVersionProblem(version) : undefined;
  if (!version) fail("Cluster version is required.", "properties.clusterVersion");
  else if (versionWhy) fail(versionWhy.message, "properties.clusterVersion", "UnsupportedClusterVersion");

  if (props.osType !== undefined && String(props.osType).toLowerCase() !== "linux")
    fail("Only Linux clusters are supported.", "properties.osType");
  const tier = props.tier === undefined ? "standard" : String(props.tier).toLowerCase();
  if (!["standard", "premium"].includes(tier)) fail(`Tier '${String(props.tier)}' is invalid.`, "properties.tier");

  const def = isObject(props.clusterDefinition) ? props.clusterDefinition : undefined;
  const kind = typeof def?.kind === "string" ? def.kind : "";
  if (!def) fail("clusterDefinition is required.", "properties.clusterDefinition");
  else if (!kindOffer(kind)) fail(`Cluster kind '${kind}' is not supported.`, "properties.clusterDefinition.kind");
  else if (def.componentVersion !== undefined) {
    if (!isObject(def.componentVersion))
      fail("componentVersion must be an object of component → version.", "properties.clusterDefinition.componentVersion");
    else
      for (const p of componentVersionProblems(kind, def.componentVersion))
        fail(p.message, `properties.clusterDefinition.componentVersion.${p.component}`);
  }
  if (def?.blueprint !== undefined && def.kind !== undefined)
    fail(
      "'BlueprintUri' cannot be used together with 'Kind'. Please specify only one of the properties during create.",
      "properties.clusterDefinition",
    );

  const { username, password } = validateGateway(def, fail);
  validateStorage(body, props, fail);
  const esp = validateSecurityProfile(props, tier, fail);
  const nodeCount = validateRoles(props, kind.toLowerCase(), esp, fail);
  validateIdentity(body, fail);
  if (props.kafkaRestProperties !== undefined && kind.toLowerCase() !== "kafka")
    fail("kafkaRestProperties is supported on Kafka clusters only.", "properties.kafkaRestProperties");
  if (body.zones !== undefined && (!Array.isArray(body.zones) || !body.zones.every((z) => typeof z === "string" && /^[1-3]$/.test(z))))
    fail("zones must be a list of availability zones '1', '2' or '3'.", "zones");

  if (problems.length > 0) {
    const first = problems[0];
    const message =
      first.code === "InvalidDocumentErrorCode"
        ? `DeploymentDocument 'CsmDocument_2_0' failed the validation. Error: '${first.message}'`
        : first.message;
    throw new ArmError(400, first.code, message, problems);
  }
  return { clusterVersion: version, kind, gatewayUsername: String(username), gatewayPassword: String(password), nodeCount };
}

function validateGateway(def: Json | undefined, fail: (m: string, t: string) => void): { username: unknown; password: unknown } {
  const gateway = isObject(def?.configurations) && isObject(def.configurations.gateway) ? def.configurations.gateway : undefined;
  const enabled = gateway?.["restAuthCredential.isEnabled"];
  const username = gateway?.["restAuthCredential.username"];
  const password = gateway?.["restAuthCredential.password"];
  if (!gateway)
    fail("Gateway credentials are required: configurations.gateway is missing.", "properties.clusterDefinition.configurations.gateway");
  else {
    // The spec's own examples send the flag both as a boolean and as the string "true": the RP accepts both.
    if (!(enabled === true || (typeof enabled === "string" && enabled.toLowerCase() === "true")))
      fail(
        "'restAuthCredential.isEnabled' must be true (HTTP gateway credentials cannot be disabled).",
        "gateway.restAuthCredential.isEnabled",
      );
    if (typeof username !== "string" || !username)
      fail("'restAuthCredential.username' is required.", "gateway.restAuthCredential.username");
    if (typeof password !== "string" || !password)
      fail("'restAuthCredential.password' is required.", "gateway.restAuthCredential.password");
    else {
      const why = gatewayPasswordProblem(password);
      if (why) fail(`The cluster login password ${why}`, "gateway.restAuthCredential.password");
    }
  }
  return { username, password };
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
  if (accounts.length === 0)
    return fail("At least one storage account is required in storageProfile.storageaccounts.", "properties.storageProfile");
  if (accounts.filter((a) => isObject(a) && a.isDefault === true).length !== 1)
    fail("Exactly one storage account must be the default (isDefault: true).", "properties.storageProfile");
  accounts.forEach((a, i) => {
    const at = `properties.storageProfile.storageaccounts[${i}]`;
    const m = isObject(a) && typeof a.name === "string" ? STORAGE_NAME.exec(a.name) : null;
    if (!isObject(a) || !m) return fail("Storage account 'name' must be an account name or its blob / dfs endpoint host name.", at);
    const isDfs = m[3]?.toLowerCase() === "dfs" || (m[3] === undefined && typeof a.fileSystem === "string");
    if (isDfs && typeof a.fileSystem !== "string") fail("An ADLS Gen2 storage account requires 'fileSystem'.", at);
    if (!isDfs && typeof a.container !== "string" && typeof a.fileshare !== "string")
      fail("A blob storage account requires 'container'.", at);
    if (typeof a.msiResourceId === "string") {
      if (isDfs && a.isDefault === true && typeof a.resourceId !== "string")
        fail("The default ADLS Gen2 account with msiResourceId also requires 'resourceId'.", at);
      const ids =
        isObject(body.identity) && isObject(body.identity.userAssignedIdentities) ? Object.keys(body.identity.userAssignedIdentities) : [];
      if (!ids.some((id) => id.toLowerCase() === String(a.msiResourceId).toLowerCase()))
        fail(`The managed identity '${a.msiResourceId}' used for storage must be listed in identity.userAssignedIdentities.`, at);
    } else if ((typeof a.key !== "string" || !a.key) && (typeof a.saskey !== "string" || !a.saskey))
      fail("A storage account requires 'key', 'saskey' or 'msiResourceId'.", at);
  });
}

/** Enterprise Security Package: Premium tier, an Active Directory domain and its admin account. */
function validateSecurityProfile(props: Json, tier: string, fail: (m: string, t: string) => void): boolean {
  const sp = props.securityProfile;
  if (sp === undefined) return false;
  const at = "properties.securityProfile";
  if (!isObject(sp)) return (fail("securityProfile must be an object.", at), false);
  if (tier !== "premium") fail("The Enterprise Security Package (securityProfile) requires tier 'Premium'.", "properties.tier");
  if (sp.directoryType !== undefined && sp.directoryType !== "ActiveDirectory")
    fail(`directoryType '${String(sp.directoryType)}' is invalid; use ActiveDirectory.`, `${at}.directoryType`);
  for (const k of ["domain", "domainUsername"])
    if (typeof sp[k] !== "string" || !sp[k]) fail(`securityProfile.${k} is required.`, `${at}.${k}`);
  return true;
}

function validateIdentity(body: Json, fail: (m: string, t: string) => void): void {
  if (body.identity === undefined) return;
  const identity = body.identity;
  if (!isObject(identity) || typeof identity.type !== "string") return fail("identity.type is required.", "identity");
  const type = identity.type.toLowerCase();
  if (!["none", "systemassigned", "userassigned", "systemassigned, userassigned"].includes(type))
    fail(`identity.type '${identity.type}' is invalid.`, "identity.type");
  if (
    type.includes("userassigned") &&
    (!isObject(identity.userAssignedIdentities) || Object.keys(identity.userAssignedIdentities).length === 0)
  )
    fail("identity.userAssignedIdentities must name at least one identity for type UserAssigned.", "identity.userAssignedIdentities");
}
