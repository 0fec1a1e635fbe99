// "Does this step touch S3A?": every place a Spark step can name an s3a:// location or configure S3A — its file,
// jars/pyFiles/files/archives, any argument containing s3a:// (also `--in=s3a://…`), any conf value containing
// s3a://, and conf keys under spark.hadoop.fs.s3a. Reads raw documents defensively (semantic checks run before
// normalization) and normalized steps alike. Pure.
import { toS3a } from "../spec/uris";

const S3A_IN_TEXT = /s3a:\/\//i;
const S3A_CONF_KEY = /^spark\.hadoop\.fs\.s3a\./i;
const URI_LISTS = ["jars", "pyFiles", "files", "archives"] as const;

type Obj = Record<string, unknown>;
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const escapeKey = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** JSON pointers (relative to the step, e.g. "/file", "/args/2", "/conf/spark.x") of every S3A mention. */
export function s3aMentions(step: unknown): string[] {
  if (!isObj(step)) return [];
  const found: string[] = [];
  const file = own(step, "file");
  // s3:// and s3n:// in file and lists are rewritten to s3a:// on import, so they count too.
  if (typeof file === "string" && toS3a(file).toLowerCase().startsWith("s3a://")) found.push("/file");
  for (const field of URI_LISTS) {
    const list = own(step, field);
    if (!Array.isArray(list)) continue;
    list.forEach((u, i) => {
      if (typeof u === "string" && toS3a(u).toLowerCase().startsWith("s3a://")) found.push(`/${field}/${i}`);
    });
  }
  const args = own(step, "args");
  if (Array.isArray(args)) args.forEach((a, i) => typeof a === "string" && S3A_IN_TEXT.test(a) && found.push(`/args/${i}`));
  const conf = own(step, "conf");
  if (isObj(conf)) {
    for (const [key, value] of Object.entries(conf)) {
      if (S3A_CONF_KEY.test(key) || (typeof value === "string" && S3A_IN_TEXT.test(value))) found.push(`/conf/${escapeKey(key)}`);
    }
  }
  return found;
}

/** Whether the step touches S3A at all (it then needs the connector and gets the job's data.s3a settings). */
export function touchesS3a(step: unknown): boolean {
  return s3aMentions(step).length > 0;
}
