// What S3A adds to the Livy batch of a step that touches s3a://: the connector (spark.jars.packages or jars), the
// committer conf and the job's data.s3a conf with credentials as placeholders. Steps that do not touch S3A get
// none of it — no 300 MB SDK bundle download, no credentials. Pure.
import { JobflowError } from "../errors";
import type { JobSpec, SparkStep } from "../model/job";
import type { S3aProfileSettings } from "../model/profile";
import { committerConf, DEFAULT_S3A_COMMITTER } from "./committer";
import { s3aDataConf, type SecretRef } from "./credentials";
import { touchesS3a } from "./touches";

export interface S3aBatchParts {
  /** Conf to merge over the step's conf (the step's own spark.jars.packages/repositories are kept in the lists). */
  conf: Record<string, string>;
  /** Conf keys generated from data.s3a: a step may not set these itself. */
  generatedKeys: string[];
  /** Jars to append to the batch (jar-URI connectors). */
  jars: string[];
  secretRefs: SecretRef[];
  warnings: string[];
}

/** The validation message for a step that touches S3A on a profile without a connector (also used offline). */
export function missingConnectorMessage(stepId: string, profileName: string): string {
  return (
    `step '${stepId}' uses s3a:// but profile '${profileName}' has no S3A connector: add s3a.connector to the profile ` +
    `(packages: org.apache.hadoop:hadoop-aws and com.amazonaws:aws-java-sdk-bundle of the cluster's Hadoop, or jars on the cluster's storage; docs/job-spec.md, S3A)`
  );
}

function mergeList(existing: string | undefined, extra: string[]): string {
  const items = (existing ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of extra) if (!items.includes(item)) items.push(item);
  return items.join(",");
}

/** S3A parts for one step, or undefined when the step does not touch S3A. Throws ValidationError without a connector. */
export function s3aBatchParts(
  step: SparkStep,
  data: JobSpec["data"],
  profile: { name: string; s3a?: S3aProfileSettings },
): S3aBatchParts | undefined {
  if (!touchesS3a(step)) return undefined;
  const connector = profile.s3a?.connector;
  if (!connector) throw new JobflowError("ValidationError", missingConnectorMessage(step.id, profile.name));
  const conf: Record<string, string> = {};
  const jars: string[] = [];
  if ("packages" in connector) {
    conf["spark.jars.packages"] = mergeList(step.conf["spark.jars.packages"], connector.packages);
    if (connector.repositories?.length)
      conf["spark.jars.repositories"] = mergeList(step.conf["spark.jars.repositories"], connector.repositories);
  } else {
    jars.push(...connector.jars);
  }
  // The profile chooses the committer; a step that sets a committer key itself keeps its own value.
  for (const [key, value] of Object.entries(committerConf(profile.s3a?.committer ?? DEFAULT_S3A_COMMITTER))) {
    if (!(key in step.conf)) conf[key] = value;
  }
  const warnings: string[] = [];
  let generatedKeys: string[] = [];
  let secretRefs: SecretRef[] = [];
  if (data.s3a) {
    const fromData = s3aDataConf(data.s3a);
    Object.assign(conf, fromData.conf);
    generatedKeys = Object.keys(fromData.conf);
    secretRefs = fromData.secretRefs;
  } else {
    warnings.push(`step ${step.id}: uses s3a:// paths but the job has no data.s3a section (the cluster's own S3A settings apply)`);
  }
  return { conf, generatedKeys, jars, secretRefs, warnings };
}
