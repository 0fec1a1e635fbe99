// Jobflow's profile rules from the HDInsight 5.1 catalogue (shared/hdinsight): the same checks the sandbox's
// resource provider applies to a create request, run offline on a profile document, on a job's overrides and on
// the effective profile, so `jobflow validate` / `plan` and POST /api/jobs refuse what Azure would refuse
// (a component version 5.1 does not offer, a VM size not offered for the role, a region without HDInsight). Pure.
import type { Problem } from "../errors";
import type { ProfileOverrides } from "../model/job";
import type { ClusterProfile } from "../model/profile";
import { clusterVersionProblem, componentVersionProblems, locationProblem, vmSizeProblem } from "../hdinsight/checks";

const ROLE_OF = { headNode: "headnode", workerNode: "workernode", zookeeperNode: "zookeepernode" } as const;

/** A location still holding a placeholder ({location}) is checked once resolved (effectiveProfile). */
function isPlaceholder(location: string): boolean {
  return location.includes("{");
}

/** Profile messages name what is wrong and what would work (the ARM message lists every region). */
function regionMessage(location: string): string {
  return `HDInsight is not offered in region '${location}' (use an Azure region name such as westeurope)`;
}

/** Problems of a profile document against the catalogue; pointers are below `pointer`. */
export function profileCatalogueProblems(profile: ClusterProfile, pointer = ""): Problem[] {
  const problems: Problem[] = [];
  if (!isPlaceholder(profile.location) && locationProblem(profile.location))
    problems.push({ pointer: `${pointer}/location`, message: regionMessage(profile.location) });
  const version = clusterVersionProblem(profile.clusterVersion);
  if (version) problems.push({ pointer: `${pointer}/clusterVersion`, message: version.message });
  for (const p of componentVersionProblems(profile.kind, profile.componentVersion))
    problems.push({ pointer: `${pointer}/componentVersion/${p.component}`, message: p.message });
  for (const [key, role] of Object.entries(ROLE_OF) as Array<[keyof typeof ROLE_OF, string]>) {
    const why = vmSizeProblem(role, profile[key].vmSize);
    if (why) problems.push({ pointer: `${pointer}/${key}/vmSize`, message: why });
  }
  return problems;
}

/** Problems of a job's cluster overrides against the catalogue. */
export function overridesCatalogueProblems(overrides: ProfileOverrides, pointer = "/cluster/overrides"): Problem[] {
  const problems: Problem[] = [];
  if (overrides.location !== undefined && locationProblem(overrides.location))
    problems.push({ pointer: `${pointer}/location`, message: regionMessage(overrides.location) });
  const sizes: Array<[string | undefined, string, string]> = [
    [overrides.workerVmSize, "workernode", "workerVmSize"],
    [overrides.headVmSize, "headnode", "headVmSize"],
  ];
  for (const [size, role, key] of sizes) {
    const why = size === undefined ? undefined : vmSizeProblem(role, size);
    if (why) problems.push({ pointer: `${pointer}/${key}`, message: why });
  }
  return problems;
}

/** The resolved region of an effective profile ({location} = JOBFLOW_LOCATION) must offer HDInsight. */
export function resolvedLocationProblems(profile: ClusterProfile, pointer: string): Problem[] {
  return locationProblem(profile.location)
    ? [{ pointer, message: `profile '${profile.name}' resolves to location '${profile.location}': ${regionMessage(profile.location)}` }]
    : [];
}
