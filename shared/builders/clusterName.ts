// Deterministic HDInsight cluster names. The name is the global DNS label `<name>.azurehdinsight.net` (and
// `<name>-ssh.azurehdinsight.net`, hence 59 = 63 - "-ssh"), so it must be unique worldwide and the same id must
// always give the same name (idempotent ARM PUTs, duplicate deliveries never create a second cluster).
//
// Shape: `jf` + 10 base32 characters of SHA-256("<kind>:<full id>") + "-" + a readable slug of the id.
// The hash comes first because HDInsight documents that the first six characters of a cluster name must be unique
// within a virtual network; a shared slug prefix ("nightly-…") would otherwise collide. 50 bits of hash keep
// accidental collisions across the world negligible for our volumes; the slug is only for humans.

import { shortHash } from "./sha256";

export const CLUSTER_NAME_MIN_LENGTH = 3;
export const CLUSTER_NAME_MAX_LENGTH = 59;
const PREFIX = "jf";
const HASH_LENGTH = 10;

export type ClusterOwnerKind = "job" | "lease" | "warm";

/** Lower-case slug of letters, digits and single hyphens, at most `maxLength` characters, no edge hyphens. */
export function slugify(text: string, maxLength: number): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, Math.max(0, maxLength)).replace(/-+$/g, "");
}

function composeName(kind: ClusterOwnerKind, hashInput: string, readable: string): string {
  const head = PREFIX + shortHash(`${kind}:${hashInput}`, HASH_LENGTH);
  const slug = slugify(readable, CLUSTER_NAME_MAX_LENGTH - head.length - 1);
  return slug === "" ? head : `${head}-${slug}`;
}

/** Name of the cluster created for one job (reuse "never", or the first job of a warm cluster). */
export function clusterNameForJob(jobId: string): string {
  if (jobId === "") throw new RangeError("clusterNameForJob: empty job id");
  return composeName("job", jobId, jobId);
}

/** Name of the cluster created for a compute lease. */
export function clusterNameForLease(leaseId: string): string {
  if (leaseId === "") throw new RangeError("clusterNameForLease: empty lease id");
  return composeName("lease", leaseId, leaseId);
}

/**
 * Name of a warm-pool cluster: one per (profile hash, generation). A new generation is used when the previous
 * warm cluster of that profile is being deleted or failed, so a fresh PUT never lands on a dying resource.
 */
export function warmClusterName(profileName: string, profileHash: string, generation: number): string {
  if (!Number.isInteger(generation) || generation < 0) throw new RangeError(`warmClusterName: bad generation ${generation}`);
  if (profileHash === "") throw new RangeError("warmClusterName: empty profile hash");
  return composeName("warm", `${profileHash}:${generation}`, `${profileName}-g${generation}`);
}

/**
 * Every reason `name` is not a valid HDInsight cluster name (empty list = valid). Jobflow is stricter than the
 * portal in one way: upper case is rejected, because DNS is case-insensitive and tag/record lookups are not.
 */
export function clusterNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < CLUSTER_NAME_MIN_LENGTH || name.length > CLUSTER_NAME_MAX_LENGTH) {
    problems.push(`must be ${CLUSTER_NAME_MIN_LENGTH}-${CLUSTER_NAME_MAX_LENGTH} characters long (is ${name.length})`);
  }
  if (/[^a-z0-9-]/.test(name)) problems.push("may contain only lower-case letters, digits and hyphens");
  if (!/^[a-zA-Z]/.test(name)) problems.push("must start with a letter");
  if (/-$/.test(name)) problems.push("must not end with a hyphen");
  return problems;
}

export function isValidClusterName(name: string): boolean {
  return clusterNameProblems(name).length === 0;
}
