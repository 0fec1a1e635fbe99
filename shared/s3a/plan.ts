// The S3A line of a plan: which connector a step gets and which committer its writes use, or nothing for a step
// that does not touch S3A. Pure.
import type { SparkStep } from "../model/job";
import type { ClusterProfile, S3aCommitter } from "../model/profile";
import { DEFAULT_S3A_COMMITTER } from "./committer";
import { connectorItems } from "./versions";
import { touchesS3a } from "./touches";

export interface S3aPlanSummary {
  via: "packages" | "jars";
  connector: string[];
  committer: S3aCommitter;
}

export function s3aPlanSummary(step: SparkStep, profile: Pick<ClusterProfile, "s3a">): S3aPlanSummary | undefined {
  const connector = profile.s3a?.connector;
  if (!connector || !touchesS3a(step)) return undefined;
  const committer = step.conf["spark.hadoop.fs.s3a.committer.name"] ?? profile.s3a?.committer ?? DEFAULT_S3A_COMMITTER;
  return { via: "packages" in connector ? "packages" : "jars", connector: connectorItems(connector), committer: committer as S3aCommitter };
}
