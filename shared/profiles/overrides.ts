// Applies a job's `cluster.overrides` to a profile. The overrides were already checked against overridesSchema
// (types, bounds, VM size pattern) by the job validator; this adds the rules that need both sides.
import type { Problem } from "../errors";
import type { ClusterProfile, RoleSize } from "../model/profile";
import type { ProfileOverrides } from "../model/job";
import { joinPointer } from "../spec/ajv";
import { overridesCatalogueProblems } from "./catalogueRules";

export type ApplyOverridesResult = { ok: true; profile: ClusterProfile } | { ok: false; problems: Problem[] };

/**
 * Returns the effective profile. `pointer` is where the overrides sit in the submitted document (problems point
 * below it). Rules: autoscale min ≤ max; a worker count (explicit or the profile's) lies inside the autoscale range;
 * VM sizes and the region are ones HDInsight 5.1 offers (shared catalogue); tags starting with "jobflow-" are
 * reserved. Never mutates its inputs.
 */
export function applyOverrides(profile: ClusterProfile, overrides: ProfileOverrides, pointer = "/cluster/overrides"): ApplyOverridesResult {
  const problems: Problem[] = [];
  const autoscale = overrides.autoscale === undefined ? profile.workerNode.autoscale : (overrides.autoscale ?? undefined);
  const count = overrides.workerCount ?? profile.workerNode.count;
  if (autoscale) {
    if (autoscale.minInstanceCount > autoscale.maxInstanceCount) {
      problems.push({
        pointer: `${pointer}/autoscale/minInstanceCount`,
        message: `must not exceed maxInstanceCount (${autoscale.minInstanceCount} > ${autoscale.maxInstanceCount})`,
      });
    } else if (count < autoscale.minInstanceCount || count > autoscale.maxInstanceCount) {
      const where = overrides.workerCount !== undefined ? `${pointer}/workerCount` : `${pointer}/autoscale`;
      problems.push({
        pointer: where,
        message: `worker count ${count} is outside the autoscale range ${autoscale.minInstanceCount}-${autoscale.maxInstanceCount}`,
      });
    }
  }
  problems.push(...overridesCatalogueProblems(overrides, pointer));
  for (const key of Object.keys(overrides.tags ?? {})) {
    if (key.toLowerCase().startsWith("jobflow-"))
      problems.push({ pointer: joinPointer(pointer, "tags", key), message: "tags starting with 'jobflow-' are reserved for Jobflow" });
  }
  if (problems.length) return { ok: false, problems };
  const workerNode: RoleSize & { autoscale?: { minInstanceCount: number; maxInstanceCount: number } } = {
    vmSize: overrides.workerVmSize ?? profile.workerNode.vmSize,
    count,
  };
  if (autoscale) workerNode.autoscale = { ...autoscale };
  return {
    ok: true,
    profile: {
      ...profile,
      location: overrides.location ?? profile.location,
      headNode: { ...profile.headNode, vmSize: overrides.headVmSize ?? profile.headNode.vmSize },
      workerNode,
      tags: { ...profile.tags, ...(overrides.tags ?? {}) },
    },
  };
}
