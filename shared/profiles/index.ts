// Cluster profiles: schema, built-ins, catalog, overrides, placeholders and the compatibility hash. Pure (the
// folder loader lives in loadFromFolder.ts and is not re-exported here, so orchestrations can import this file).
export { profileSchema, overridesSchema, autoscaleSchema, VM_SIZE_PATTERN, PROFILE_NAME_PATTERN } from "./schema";
export { BUILTIN_PROFILES } from "./builtin";
export { validateProfileDocument, profileCatalog, findProfile } from "./catalog";
export type { ProfileCatalog } from "./catalog";
export { applyOverrides } from "./overrides";
export type { ApplyOverridesResult } from "./overrides";
export { resolveProfilePlaceholders, placeholderValuesFromConfig } from "./placeholders";
export type { PlaceholderValues } from "./placeholders";
export { profileHash, canonicalJson, sha256Hex } from "./hash";
export { effectiveProfile } from "./effective";
