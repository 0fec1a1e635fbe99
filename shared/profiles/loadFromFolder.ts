// Effectful: reads extra cluster profiles (*.json) from a folder (JOBFLOW_PROFILES_PATH). Each file is validated
// against the profile schema; a bad file is reported with its path, never half-loaded.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Problem } from "../errors";
import type { ClusterProfile } from "../model/profile";
import { profileCatalog, validateProfileDocument, type ProfileCatalog } from "./catalog";

export interface LoadedProfiles {
  /** Built-ins plus the valid extra profiles. */
  catalog: ProfileCatalog;
  /** The valid extra profiles alone (profileCatalog(profiles) equals catalog). */
  profiles: ClusterProfile[];
  /** Problems per file; the pointer is "<file name>#<pointer>". */
  problems: Problem[];
}

/** Built-ins plus every valid profile in `folder` (non-recursive; a missing folder yields just the built-ins). */
export async function loadProfilesFromFolder(folder: string | undefined): Promise<LoadedProfiles> {
  if (!folder) return { catalog: profileCatalog(), profiles: [], problems: [] };
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith(".json")).sort();
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return { catalog: profileCatalog(), profiles: [], problems: [] };
    throw err;
  }
  const extra: ClusterProfile[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(join(folder, name), "utf8"));
    } catch (err) {
      problems.push({ pointer: `${name}#`, message: `is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const checked = validateProfileDocument(doc);
    if (!checked.ok) problems.push(...checked.problems.map((p) => ({ pointer: `${name}#${p.pointer}`, message: p.message })));
    else if (extra.some((p) => p.name === checked.profile.name))
      problems.push({ pointer: `${name}#/name`, message: `profile '${checked.profile.name}' is defined twice` });
    else extra.push(checked.profile);
  }
  return { catalog: profileCatalog(extra), profiles: extra, problems };
}
