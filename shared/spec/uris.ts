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
