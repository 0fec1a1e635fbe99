// Profile documents: validation against profileSchema and the catalog (built-ins + extra profiles) jobs resolve
// names against. Pure.
import type { Problem } from "../errors";
import type { ClusterProfile } from "../model/profile";
import { ajvProblems, compileSchema } from "../spec/ajv";
import { connectorProblems } from "../s3a/versions";
import { BUILTIN_PROFILES } from "./builtin";
import { profileCatalogueProblems } from "./catalogueRules";
import { profileSchema } from "./schema";

/** Profiles by name. */
export type ProfileCatalog = Readonly<Record<string, ClusterProfile>>;

/**
 * Validates a profile document (e.g. a JSON file) against profileSchema, the HDInsight 5.1 catalogue (component
 * versions, VM sizes per role, region), the autoscale rule and the S3A connector versions. Never throws.
 */
export function validateProfileDocument(
  doc: unknown,
  pointer = "",
): { ok: true; profile: ClusterProfile } | { ok: false; problems: Problem[] } {
  const validate = compileSchema(profileSchema);
  if (!validate(doc)) return { ok: false, problems: ajvProblems(validate.errors, pointer) };
  const profile = doc as ClusterProfile;
  const catalogue = profileCatalogueProblems(profile, pointer);
  if (catalogue.length) return { ok: false, problems: catalogue };
  const autoscale = profile.workerNode.autoscale;
  if (autoscale && autoscale.minInstanceCount > autoscale.maxInstanceCount) {
    return {
      ok: false,
      problems: [{ pointer: `${pointer}/workerNode/autoscale/minInstanceCount`, message: "must not exceed maxInstanceCount" }],
    };
  }
  const s3a = connectorProblems(profile.s3a, profile.clusterVersion, `${pointer}/s3a`);
  if (s3a.length) return { ok: false, problems: s3a };
  // Script action names are unique: HDInsight identifies persisted script actions by name.
  const seen = new Set<string>();
  const dup = (profile.scriptActions ?? []).findIndex((a) => seen.size === seen.add(a.name.toLowerCase()).size);
  if (dup >= 0)
    return {
      ok: false,
      problems: [
        {
          pointer: `${pointer}/scriptActions/${dup}/name`,
          message: `script action name '${profile.scriptActions?.[dup].name}' is used twice`,
        },
      ],
    };
  return { ok: true, profile: structuredClone(profile) };
}

/** Built-ins plus `extra` (an extra profile with a built-in's name replaces it). */
export function profileCatalog(extra: readonly ClusterProfile[] = []): ProfileCatalog {
  const all: Record<string, ClusterProfile> = { ...BUILTIN_PROFILES };
  for (const p of extra) all[p.name] = p;
  return Object.freeze(all);
}

/** Looks a profile up by name without touching Object.prototype (names like "constructor" are simply absent). */
export function findProfile(catalog: ProfileCatalog, name: string): ClusterProfile | undefined {
  return Object.prototype.hasOwnProperty.call(catalog, name) ? catalog[name] : undefined;
}
