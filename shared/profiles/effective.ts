// The effective profile of a normalized job: named profile + the job's overrides + resolved placeholders. This is
// what builders turn into a create request and what profileHash identifies for warm reuse. Pure.
import type { Problem } from "../errors";
import type { JobSpec } from "../model/job";
import type { ClusterProfile } from "../model/profile";
import { findProfile, type ProfileCatalog } from "./catalog";
import { profileHash } from "./hash";
import { applyOverrides } from "./overrides";
import { resolveProfilePlaceholders, type PlaceholderValues } from "./placeholders";
import { resolvedLocationProblems } from "./catalogueRules";

export function effectiveProfile(
  job: Pick<JobSpec, "cluster">,
  catalog: ProfileCatalog,
  values: PlaceholderValues,
): { ok: true; profile: ClusterProfile; hash: string } | { ok: false; problems: Problem[] } {
  const named = findProfile(catalog, job.cluster.profile);
  if (!named) return { ok: false, problems: [{ pointer: "/cluster/profile", message: `unknown profile '${job.cluster.profile}'` }] };
  const applied = applyOverrides(named, job.cluster.overrides);
  if (!applied.ok) return applied;
  const resolved = resolveProfilePlaceholders(applied.profile, values);
  if (!resolved.ok) return resolved;
  // {location} resolves from configuration: check the region it became (an override was checked already).
  const region = job.cluster.overrides.location === undefined ? resolvedLocationProblems(resolved.profile, "/cluster/profile") : [];
  if (region.length) return { ok: false, problems: region };
  return { ok: true, profile: resolved.profile, hash: profileHash(resolved.profile) };
}
