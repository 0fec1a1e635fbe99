// Checks against the HDInsight 5.1 catalogue (catalogue.ts), shared by the sandbox's create validation and
// Jobflow's profile validation. Each returns a problem message or undefined; callers add their own pointer/code.
// Pure functions.
import { CREATABLE_VERSIONS, KINDS_51, REGIONS, RETIRED_VERSIONS, VM_SIZES_BY_ROLE, type KindOffer, type RoleName } from "./catalogue";

/** ARM region name of a location given as "westeurope", "West Europe" or "WEST EUROPE"; undefined if unknown. */
export function regionName(location: string): string | undefined {
  const key = location.replace(/\s+/g, "").toLowerCase();
  return Object.prototype.hasOwnProperty.call(REGIONS, key) ? key : undefined;
}

export function locationProblem(location: string): string | undefined {
  if (regionName(location)) return undefined;
  return `The provided location '${location}' is not available for resource type 'Microsoft.HDInsight/clusters'. List of available regions for the resource type is '${Object.keys(REGIONS).join(",")}'.`;
}

/** "5.1" from "5.1" or "5.1.3000.0.2406130129". */
export function majorMinor(version: string): string {
  return /^(\d+\.\d+)/.exec(version)?.[1] ?? version;
}

export function clusterVersionProblem(version: string): { retired: boolean; message: string } | undefined {
  const mm = majorMinor(version);
  if ((CREATABLE_VERSIONS as readonly string[]).includes(mm)) return undefined;
  const supported = `Supported versions: ${CREATABLE_VERSIONS.join(", ")}.`;
  if ((RETIRED_VERSIONS as readonly string[]).includes(mm))
    return {
      retired: true,
      message: `Cluster version '${version}' has been retired and new clusters cannot be created with it. ${supported}`,
    };
  return { retired: false, message: `Cluster version '${version}' is not supported. ${supported}` };
}

export function kindOffer(kind: string): KindOffer | undefined {
  const k = kind.toLowerCase();
  return Object.prototype.hasOwnProperty.call(KINDS_51, k) ? KINDS_51[k] : undefined;
}

/** Problems of a componentVersion map for a kind (unknown component, version not offered). */
export function componentVersionProblems(
  kind: string,
  componentVersion: Record<string, unknown>,
): Array<{ component: string; message: string }> {
  const offer = kindOffer(kind);
  if (!offer) return [];
  return Object.entries(componentVersion).flatMap(([component, version]) => {
    const key = Object.keys(offer.components).find((c) => c.toLowerCase() === component.toLowerCase());
    if (!key)
      return [
        {
          component,
          message: `Component '${component}' is not part of a ${kind} cluster on HDInsight 5.1 (components: ${Object.keys(offer.components).join(", ")}).`,
        },
      ];
    const offered = offer.components[key];
    if (typeof version !== "string" || !offered.includes(version))
      return [
        {
          component,
          message: `Component version '${component}: ${String(version)}' is not supported for HDInsight 5.1 ${kind} clusters. Supported: ${offered.join(", ")}.`,
        },
      ];
    return [];
  });
}

/** The componentVersion the RP fills in when a create sends none. */
export function defaultComponentVersion(kind: string): Record<string, string> | undefined {
  const offer = kindOffer(kind);
  return offer ? Object.fromEntries(Object.entries(offer.components).map(([c, versions]) => [c, versions[0]])) : undefined;
}

export function isRoleName(name: string): name is RoleName {
  return Object.prototype.hasOwnProperty.call(VM_SIZES_BY_ROLE, name);
}

/** Roles a kind accepts (every kind: head, worker, zookeeper; then its extras). */
export function rolesOf(kind: string): RoleName[] {
  return ["headnode", "workernode", "zookeepernode", ...(kindOffer(kind)?.extraRoles ?? [])];
}

/** VM sizes compare case-insensitively ("standard_d3_v2" = "Standard_D3_v2", as the RP echoes them lower-case). */
export function vmSizeProblem(role: string, size: string): string | undefined {
  const allowed = isRoleName(role) ? VM_SIZES_BY_ROLE[role] : [];
  if (allowed.some((s) => s.toLowerCase() === size.toLowerCase())) return undefined;
  return `The VM size '${size}' provided in the request is invalid or not supported for role '${role}'. Sizes offered for this role on HDInsight 5.1 include ${allowed.slice(0, 6).join(", ")}.`;
}
