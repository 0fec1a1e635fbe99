// Storage URI helpers shared by the validator and the EMR import. Pure.

/** s3:// and s3n:// become s3a:// (HDInsight has the Hadoop S3A connector, not EMRFS). Other URIs are unchanged. */
export function toS3a(uri: string): string {
  return uri.replace(/^s3n?:\/\//i, "s3a://");
}

/** The bucket of an s3a:// URI, or undefined for any other URI. */
export function bucketOf(uri: string): string | undefined {
  const m = /^s3a:\/\/([^/?#]+)/i.exec(uri);
  return m ? m[1] : undefined;
}

/** Whether a string looks like a local path (which a Livy batch on HDInsight cannot read). */
export function isLocalPath(uri: string): boolean {
  return uri.startsWith("/") || /^file:/i.test(uri) || /^local:/i.test(uri) || !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri);
}

/**
 * s3:// and s3n:// rewritten to s3a:// wherever a URI starts inside a value: at the start, or after = , ; : space
 * or a quote — `--output-path=s3://b/x`, `spark.yarn.dist.files=s3://a/x,s3n://b/y`. Not inside a word (`mys3://`).
 */
export function toS3aInValue(value: string): string {
  return value.replace(/(^|[=,;:\s"'(])s3n?:\/\//gi, "$1s3a://");
}
