// Spark conf that makes writes to s3a:// go through an S3A committer instead of FileOutputCommitter's rename
// (a rename on S3 is a copy + delete per object: slow, and a failed job leaves partial output). Hadoop 3.3.4's
// S3ACommitterFactory picks the committer by fs.s3a.committer.name; Spark SQL needs spark-hadoop-cloud's
// PathOutputCommitProtocol (and its Parquet binding) to use it. Pure.
import type { S3aCommitter } from "../model/profile";

/** The committer used when a profile does not choose one: works on every S3-compatible store, no S3 magic paths. */
export const DEFAULT_S3A_COMMITTER: S3aCommitter = "directory";

export const S3A_COMMITTER_FACTORY = "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory";
export const PATH_OUTPUT_COMMIT_PROTOCOL = "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
export const BINDING_PARQUET_COMMITTER = "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

/**
 * Conf for one committer ("none" = nothing, Spark's defaults). directory/partitioned = staging committers (task
 * output staged on the cluster's own file system, uploaded as multipart uploads completed at job commit); magic =
 * tasks write straight to S3 as pending multipart uploads under __magic paths (needs a consistent store).
 */
export function committerConf(committer: S3aCommitter): Record<string, string> {
  if (committer === "none") return {};
  const conf: Record<string, string> = {
    "spark.hadoop.fs.s3a.committer.name": committer,
    "spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a": S3A_COMMITTER_FACTORY,
    "spark.sql.sources.commitProtocolClass": PATH_OUTPUT_COMMIT_PROTOCOL,
    "spark.sql.parquet.output.committer.class": BINDING_PARQUET_COMMITTER,
  };
  if (committer === "magic") conf["spark.hadoop.fs.s3a.committer.magic.enabled"] = "true";
  return conf;
}
